import { describe, expect, it } from 'vitest';
import { PresetError, parsePreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

const preset = (personality: string, without: string) =>
  parsePreset(
    [
      `personality: ${personality}`,
      'host:',
      '  memory: 64MB',
      `  without: ${without}`,
      'guests:',
      '  - name: g',
      '    memsz: 16MB',
    ].join('\n'),
    'without.yaml',
  );

describe('a host without some of its mechanisms', () => {
  it.each([
    ['esx', '[sharing]', { sharing: 'off', compression: true, hostSwap: true }],
    ['esx', '[sharing, compression]', { sharing: 'off', compression: false, balloon: true }],
    ['kvm', '[sharing]', { sharing: 'off', hostSwap: true }],
    ['xen-tmem', '[tmem]', { tmem: false, selfBalloon: true, balloon: true }],
    ['esx', '[]', { sharing: 'esx', compression: true }],
  ])('%s without %s', (personality, without, want) => {
    const session = new Session(preset(personality, without));
    try {
      expect(session.host.reclaimer.config).toMatchObject(want);
    } finally {
      session.close();
    }
  });

  it('names a mechanism it does not know, with its place in the file', () => {
    try {
      preset('esx', '[sharing, balloons]');
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(PresetError);
      expect((e as Error).message).toMatch(/without\.yaml:4:\d+: host\.without\[1\]: .*balloons/);
    }
  });
});
