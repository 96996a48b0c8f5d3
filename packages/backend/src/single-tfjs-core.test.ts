import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Two copies of tfjs-core mean two kernel registries and failing `instanceof Tensor`: the most
// reported tfjs bug. The workspace must install exactly one.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function workspacePackageDirs(): string[] {
  const dirs: string[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) dirs.push(join(root, group, name));
  }
  dirs.push(join(root, 'bench'));
  return dirs;
}

describe('the workspace', () => {
  it('installs exactly one @tensorflow/tfjs-core', () => {
    const copies = readdirSync(join(root, 'node_modules/.pnpm')).filter((d) =>
      d.startsWith('@tensorflow+tfjs-core@'),
    );
    expect(copies).toHaveLength(1);
  });

  it('resolves tfjs-core to that one copy from every package and every tfjs package', () => {
    const seen = new Set<string>();
    const resolveFrom = (dir: string) => {
      const require = createRequire(join(dir, 'package.json'));
      try {
        seen.add(realpathSync(dirname(require.resolve('@tensorflow/tfjs-core/package.json'))));
      } catch {
        // package does not use tfjs-core
      }
      return require;
    };
    for (const dir of workspacePackageDirs()) {
      const require = resolveFrom(dir);
      for (const dep of [
        '@tensorflow/tfjs-backend-wasm',
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-layers',
      ]) {
        try {
          resolveFrom(dirname(require.resolve(`${dep}/package.json`)));
        } catch {
          // not a dependency of this package
        }
      }
    }
    expect(seen.size).toBe(1);
    const version = JSON.parse(readFileSync(join([...seen][0], 'package.json'), 'utf8')).version;
    expect(version).toMatch(/^4\.22\./);
  });

  it('never installs the union @tensorflow/tfjs package', () => {
    const union = readdirSync(join(root, 'node_modules/.pnpm')).filter((d) => /^@tensorflow\+tfjs@/.test(d));
    expect(union).toEqual([]);
  });
});
