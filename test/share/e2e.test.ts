/**
 * A classroom in pseudo-terminals: a dashboard sharing its host, a wall and a dashboard attached to it. A
 * command at the host shows on both viewers; a viewer's key that would change the host is refused; a
 * viewer killed leaves the host and the other viewer running; when the host quits, the viewer says so
 * and exits cleanly with the terminal restored. Only polling for expected text, no fixed sleeps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliTerminal, startCli } from '../terminal.ts';

type Term = CliTerminal;

const dir = mkdtempSync(join(tmpdir(), 'memvisor-share-e2e-'));
const started: Term[] = [];

function start(args: string[], cols: number, rows: number): Term {
  const t = startCli(args, { cols, rows }, { XDG_CONFIG_HOME: join(dir, 'config') });
  started.push(t);
  return t;
}

afterAll(() => {
  for (const t of started) if (t.exit === undefined) t.child.kill();
});

describe('a shared host and two viewers', () => {
  const preset = join(dir, 'class.yaml');
  writeFileSync(
    preset,
    [
      '# class: two small guests',
      'seed: 5',
      'host:',
      '  memory: 512MB',
      'guests:',
      '  - name: vm1',
      '    memsz: 96MB',
      '  - name: vm2',
      '    memsz: 96MB',
      '',
    ].join('\n'),
  );
  const sock = join(dir, 'class.sock');
  let host: Term;
  let a: Term;
  let b: Term;
  let c: Term;

  it('starts a sharing dashboard, a wall and a dashboard following it', async () => {
    host = start([preset, '--share', sock], 120, 32);
    await host.waitFor((s) => s.includes('PMEM  /MB:') && / 2 vm2 /.test(s), 'the host dashboard');
    expect(host.output).toContain(`memvisor: sharing on ${sock}`);
    a = start(['wall', '--attach', sock], 80, 24);
    b = start(['attach', sock], 120, 36);
    c = start(['attach', sock, '--screen', 'xentop'], 80, 24);
    const wall = await a.waitFor((x) => x.includes('attached to class@') && x.includes('vm2'), 'the wall');
    expect(wall).toContain('free memory state');
    await b.waitFor((x) => x.includes('PMEM  /MB:') && / 2 vm2 /.test(x), 'the attached dashboard');
    await c.waitFor((x) => x.includes('xentop - ') && /vm2 -----r/.test(x), 'a third viewer, on xentop');
    // The host's event log says where it is shared (what standard error said is under the dashboard now) and who attached.
    host.child.write('l');
    await host.waitFor((x) => x.includes(`share: sharing on ${sock}`), 'the address in the host log');
    await host.waitFor(
      (x) => (x.match(/share: viewer \d \((wall|attach), unix socket\) attached/g) ?? []).length === 3,
      'three viewers in the host log',
    );
    host.child.write('m');
  });

  it('shows a command typed at the host on both viewers', async () => {
    host.child.write(':limit vm1 48MB\r');
    await host.waitFor((s) => s.includes('vm1 limit 48MB'), 'the limit at the host');
    await a.waitFor((s) => s.includes('vm1 limit 48MB'), 'the limit in the wall log');
    b.child.write('l');
    await b.waitFor((s) => s.includes('vm1 limit 48MB'), "the limit in the dashboard's event log");
    b.child.write('m');
  });

  it("refuses a viewer's pause and commands: the host keeps running", async () => {
    a.child.write(' ');
    await a.waitFor((s) => s.includes('read-only: attached to'), 'the refusal on the wall');
    b.child.write(':');
    await b.waitFor((s) => s.includes('read-only: attached to class@'), 'the refusal on the dashboard');
    b.child.write('p');
    await b.waitFor((s) => s.includes('read-only: attached to class@'), 'the pause refused');
    const t0 = (await host.waitFor((s) => /t=\d+:\d\d:\d\d/.test(s), 'the clock')).match(
      /t=(\d+:\d\d:\d\d)/,
    )![1];
    await host.waitFor((s) => !s.includes(`t=${t0}`) && s.includes('running'), 'the host clock moving on');
  });

  it('leaves the host and the other viewers running when a viewer is killed', async () => {
    c.child.kill('SIGKILL');
    await c.waitExit();
    const clock = (s: string): string => s.match(/t=(\d+:\d\d:\d\d)/)?.[1] ?? '';
    for (const v of [a, b]) {
      const before = clock(v.screen());
      await v.waitFor((s) => clock(s) !== before && clock(s) !== '', 'the other viewers still following');
    }
    const h = clock(host.screen());
    await host.waitFor((s) => clock(s) !== h, 'the host still ticking');
  });

  it('ends the viewers cleanly when the host quits, terminal restored', async () => {
    host.child.write('q');
    expect(await host.waitExit()).toBe(0);
    for (const [v, last] of [
      [a, 'free memory state'],
      [b, 'PMEM  /MB:'],
    ] as const) {
      expect(await v.waitExit()).toBe(0);
      expect(v.output.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(v.output.lastIndexOf(last));
      expect(v.output).toMatch(/memvisor: the host class@\S+ quit/);
    }
    expect(host.output).toMatch(/memvisor: share: viewer [123] left/);
  });
});
