import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');

/** Every bare or `node:` specifier reachable from a built entry through its relative imports. */
function externalImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    // Statements start a line; doc comments that show imports (` * import …`) do not.
    for (const [, spec] of source.matchAll(/^(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else external.add(spec);
    }
  };
  visit(resolve(dist, entry));
  return external;
}

describe('@wordloom/viz', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/viz');
    expect(typeof entry.tsne).toBe('function');
    expect(import.meta.resolve('@wordloom/viz')).toMatch(/packages\/viz\/dist\/index\.js$/);
    expect(typeof (await import('@wordloom/viz/node')).renderPng).toBe('function');
    expect(typeof (await import('@wordloom/viz/worker')).serveTsne).toBe('function');
  });

  it('keeps node-only code (resvg, node: modules) out of the browser and worker entries', () => {
    for (const entry of ['index.js', 'worker/index.js']) {
      expect([...externalImports(entry)].sort()).toEqual(['#tfjs-core', '@wordloom/core']);
    }
    expect(externalImports('node/index.js')).toContain('@resvg/resvg-js');
  });
});
