// What a packed tarball ships. `files` in package.json must ship dist, README and LICENSE and nothing
// else: no tests, no test helpers or fixtures, no build caches, no source maps that point at sources
// the tarball does not contain.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Paths of the regular files in a .tgz, relative to its `package/` folder. */
export function tarballFiles(tarball) {
  const bytes = gunzipSync(readFileSync(tarball));
  const files = [];
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const path = prefix ? `${prefix}/${name}` : name;
    if (type === '0' || type === '') files.push(path.replace(/^package\//, ''));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files.sort();
}

const ALWAYS = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
const FORBIDDEN = [
  [/\.(test|spec)\.[cm]?[jt]sx?(\.map)?$|\.test\.d\.ts/, 'a test'],
  [/(^|\/)(test-support|__tests__|__fixtures__|fixtures|testdata)\//, 'a test helper or fixture'],
  [/\.tsbuildinfo$/, 'a build cache'],
  [/\.d\.[cm]?ts\.map$/, 'a declaration map (points at src/, which is not shipped)'],
];

/** Problems with the file list of a tarball (empty when it ships only what it should). */
export function tarballProblems(files) {
  const problems = [];
  for (const name of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(name)) problems.push(`does not ship ${name}`);
  }
  for (const file of files) {
    if (!ALWAYS.has(file) && !file.startsWith('dist/')) problems.push(`ships ${file} (outside dist)`);
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(file)) problems.push(`ships ${file} (${what})`);
    }
  }
  return problems;
}

/** Source maps in an installed package whose sources are neither inlined nor shipped. */
export function brokenSourceMaps(packageDir, files) {
  const problems = [];
  const shipped = new Set(files);
  for (const file of files.filter((f) => f.endsWith('.js.map'))) {
    const map = JSON.parse(readFileSync(`${packageDir}/${file}`, 'utf8'));
    const base = file.split('/').slice(0, -1);
    map.sources.forEach((source, i) => {
      if (map.sourcesContent?.[i] != null) return;
      const parts = [...base];
      for (const part of source.split('/')) {
        if (part === '..') parts.pop();
        else if (part !== '.') parts.push(part);
      }
      if (!shipped.has(parts.join('/'))) problems.push(`${file} points at ${source}, which is not shipped`);
    });
  }
  return problems;
}
