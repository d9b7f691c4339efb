/** Runs each benchmark in a process of its own (V8 optimises a hot function differently once it is shared). */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const name of ['pageops', 'engine', 'dashboard', 'wall']) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = join(here, `${name}.ts`);
  try {
    execFileSync(process.execPath, ['--import', 'tsx', file], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } catch {
    process.exitCode = 1;
  }
  console.log();
}
