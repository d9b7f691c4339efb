import xterm from '@xterm/headless';

/** Feeds bytes to a headless xterm of cols x rows and returns its screen, one string a row. */
export async function screenOf(cols: number, rows: number, data: string): Promise<string[]> {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((r) => term.write(data, r));
  const out: string[] = [];
  for (let y = 0; y < rows; y++) out.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  term.dispose();
  return out;
}
