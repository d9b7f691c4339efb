/**
 * A screen (the dashboard, the wall) started without a terminal to draw on: a usage error like any bad
 * input (one line, exit status 2), not a failure of memvisor's.
 */
export class NoTerminalError extends Error {
  override name = 'NoTerminalError';
}
