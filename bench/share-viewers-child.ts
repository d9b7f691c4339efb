/**
 * N viewers (argv[3]) attached to the host on socket argv[2], each as `memvisor attach` would be (the
 * protocol checked message by message). On SIGTERM it prints one JSON line: for each viewer, when
 * (epoch ms) each tick arrived.
 */
import { attach } from '../src/share/client.ts';

const n = Number(process.argv[3] ?? 20);
const arrivals: Record<number, number>[] = [];
const links = await Promise.all(
  Array.from({ length: n }, async (_, i) => {
    const link = await attach({ kind: 'unix', path: process.argv[2] }, { viewer: 'attach' });
    const seen: Record<number, number> = {};
    arrivals[i] = seen;
    link.subscribe((s) => {
      seen[s.tick] ??= Date.now();
    });
    return link;
  }),
);
console.log('attached');
process.on('SIGTERM', async () => {
  console.log(JSON.stringify({ arrivals }));
  for (const l of links) await l.close();
  process.exit(0);
});
