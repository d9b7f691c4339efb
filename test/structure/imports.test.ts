import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The module graph of src/, from the import and export lines of each file (type-only imports included:
// a cycle of types still ties the files together).
const SRC = resolve(import.meta.dirname, '../../src');
const files = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => join(SRC, f));
const graph = new Map(
  files.map((f) => [
    f,
    [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)\b[^'";]*?from\s+'(\.[^']+)'/gm)].map((m) =>
      resolve(dirname(f), m[1]),
    ),
  ]),
);

/** Every cycle's files, as a path from src/, found by depth-first search. */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const to of graph.get(f) ?? []) {
      if (state.get(to) === 'open') found.push([...stack.slice(stack.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found.map((c) => c.map((f) => f.slice(SRC.length + 1)));
}

describe('module structure', () => {
  it('reads the imports of every source file', () => {
    expect(graph.get(join(SRC, 'engine/host.ts'))).toContain(join(SRC, 'engine/machine.ts'));
  });

  it('has no import cycles', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps the engine to itself', () => {
    const outside = [...graph]
      .filter(([f]) => f.startsWith(join(SRC, 'engine')))
      .flatMap(([f, to]) => to.filter((t) => !t.startsWith(join(SRC, 'engine'))).map((t) => `${f} -> ${t}`));
    expect(outside).toEqual([]);
  });
});
