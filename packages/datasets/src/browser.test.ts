import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));
const NODE_ONLY = new Set([
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  '@wordloom/core/node',
]);

/** Every module reachable from `entry` through relative imports, and the bare specifiers they import. */
function importGraph(entry: string) {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.set(spec, file);
    }
  };
  visit(entry);
  return { files, external };
}

describe('browser entry point', () => {
  it('reaches no Node built-in and no Node-only module', () => {
    const { files, external } = importGraph(join(src, 'browser.ts'));
    expect(files.size).toBeGreaterThan(10);
    const nodeOnly = [...external].filter(([spec]) => NODE_ONLY.has(spec));
    expect(nodeOnly).toEqual([]);
    expect([...external.keys()].sort()).toEqual(['@tensorflow/tfjs-core', '@wordloom/core']);
  });

  it('is what the package root resolves to outside Node, while Node gets the file loaders too', () => {
    const pkg = JSON.parse(readFileSync(join(src, '../package.json'), 'utf8'));
    const root = pkg.exports['.'];
    expect(Object.keys(root)[0]).toBe('node');
    // "default" (not "import") so that Node >= 20.19's require(esm) serves CommonJS users too.
    expect(root.node).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect([root.types, root.default]).toEqual(['./dist/browser.d.ts', './dist/browser.js']);
    const { external } = importGraph(join(src, 'index.ts'));
    expect(external.has('node:fs/promises')).toBe(true);
  });
});
