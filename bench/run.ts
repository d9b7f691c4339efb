/**
 * Runs each benchmark in a process of its own (V8 optimises a hot function differently once it is
 * shared). `npm run bench -- NAME [args]` runs one benchmark, passing it the arguments that follow.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = ['pageops', 'engine', 'presets', 'dashboard', 'wall', 'keys'];
const args = process.argv.slice(2);
const only = args.filter((a) => BENCHMARKS.includes(a));
const rest = args.filter((a) => !BENCHMARKS.includes(a));
for (const name of BENCHMARKS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = join(here, `${name}.ts`);
  try {
    execFileSync(process.execPath, ['--import', 'tsx', file, ...rest], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } catch {
    process.exitCode = 1;
  }
  console.log();
}
