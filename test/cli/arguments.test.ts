/**
 * A wrong command-line argument is refused the way bad input is: a message that names the option or
 * argument, exit status 2, no stack trace, and nothing run.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';

describe('wrong arguments', () => {
  it.each([
    [['batch', 'default', '-n', 'x'], '-n must be a positive whole number, got "x"'],
    [['batch', 'default', '--format', 'yaml'], '--format: "yaml" is not a format'],
    [['compare', 'default', '--personalities', 'esx,foo'], '"foo" is not a personality'],
    [['default', '--seed', '-3'], 'seed must be a whole number'],
    [['batch'], "missing required argument 'preset'"],
    [['nosuch-preset'], 'preset "nosuch-preset": no such file, and no shipped preset by that name (default,'],
    [['default'], 'the dashboard needs a terminal (stdin and stdout a TTY)'],
    [['wall'], 'the wall needs a terminal (stdin and stdout a TTY)'],
  ])('memvisor %j: exit status 2 and one message naming it', (args, message) => {
    const r = runCli(...args);
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.err).not.toContain('Options:');
  });

  it('gives the help with exit status 0 when asked for it', () => {
    const r = runCli('batch', '--help');
    expect(r.status).toBe(0);
    expect(r.out).toContain('Usage: memvisor batch [options] <preset>');
  });
});
