import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

/** Every file of the built package reachable from `entry` through relative static or dynamic imports. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const stack = [join(dist, entry)];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    const code = readFileSync(file, 'utf8');
    seen.set(file, code);
    for (const m of code.matchAll(/(?:from\s*|import\s*\(?\s*)['"](\.[^'"]+)['"]/g))
      stack.push(resolve(dirname(file), m[1]));
  }
  return seen;
}

const importsLayers = (code: string) =>
  /(?:from\s*|import\s*\(?\s*)['"]@tensorflow\/tfjs-layers['"]/.test(code);

describe('@tensorflow/tfjs-layers stays an optional peer', () => {
  it('the main entry and @wordloom/rnn/node never import it; @wordloom/rnn/layers does', () => {
    for (const entry of ['index.js', 'node/index.js']) {
      const files = reachable(entry);
      expect(files.size).toBeGreaterThan(1);
      for (const [file, code] of files)
        expect({ file, layers: importsLayers(code) }).toEqual({ file, layers: false });
    }
    expect([...reachable('interop/index.js').values()].some(importsLayers)).toBe(true);
  });

  it('the package exports ./layers and declares tfjs-layers as an optional peer', () => {
    const pkg = JSON.parse(readFileSync(join(dist, '../package.json'), 'utf8'));
    expect(pkg.exports['./layers']).toEqual({
      types: './dist/interop/index.d.ts',
      default: './dist/interop/index.js',
    });
    expect(pkg.peerDependencies['@tensorflow/tfjs-layers']).toBe('^4.22.0');
    expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-layers']).toEqual({ optional: true });
  });
});
