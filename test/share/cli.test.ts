import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';

describe('sharing and attaching on the command line', () => {
  it('says in one line, with status 2, what is wrong with an address, a token or a combination', () => {
    const cases: [string[], string][] = [
      [
        ['wall', '--attach', '/nonexistent/memvisor.sock'],
        'attach: /nonexistent/memvisor.sock: no host is sharing there\n',
      ],
      [
        ['wall', 'default', '--attach', '/tmp/x.sock'],
        'wall: --attach follows a shared host: give no preset, --seed or --personality\n',
      ],
      [['wall', '--token-file', 'x'], 'wall: --token-file goes with --attach\n'],
      [
        ['wall', '--attach', 'tcp://127.0.0.1:9'],
        "attach: tcp://127.0.0.1:9 needs the host's token: --token-file FILE or MEMVISOR_SHARE_TOKEN\n",
      ],
      [
        ['wall', '--attach', 'tcp://127.0.0.1:99999'],
        '--attach: "tcp://127.0.0.1:99999": port 99999 is over 65535\n',
      ],
      [['default', '--share', 'tcp://nowhere'], '--share: "tcp://nowhere" is not tcp://HOST:PORT\n'],
      [
        ['default', '--share', '/tmp/x.sock', '--token-file', '/etc/hostname'],
        '--token-file: a Unix socket needs no token (its mode keeps other users out)\n',
      ],
      [
        ['default', '--share', 'tcp://127.0.0.1:0', '--token-file', '/nonexistent'],
        '--token-file /nonexistent: cannot read: no such file (ENOENT)\n',
      ],
    ];
    for (const [args, err] of cases) {
      const r = runCli(...args);
      expect({ args, status: r.status, err: r.err }).toEqual({ args, status: 2, err });
    }
  });
});
