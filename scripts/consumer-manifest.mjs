#!/usr/bin/env node
// The packaging every library needs to work alone from its tarball (see e2e/consumers/README.md):
//   - `exports` conditions use "default" (not "import"), so Node >= 20.19 `require()`s the ES module;
//   - "imports" maps `#tfjs-core` (what scripts/build-library.mjs rewrites tfjs-core imports to) for
//     packages whose sources import @tensorflow/tfjs-core;
//   - `files` ships dist, README and LICENSE only (no tests, test helpers, declaration maps, build cache);
//   - `build` runs scripts/build-library.mjs; tsconfig.build.json inlines sources into the JS maps.
//
// Usage: node scripts/consumer-manifest.mjs --check [folder ...]   lists what differs, exits 1 if any
//        node scripts/consumer-manifest.mjs --write folder ...     applies it to those packages
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const TFJS_CORE = '@tensorflow/tfjs-core';
const IMPORTS = {
  '#tfjs-core': { module: TFJS_CORE, node: './dist/peer/tfjs-core.node.js', default: TFJS_CORE },
};
const FILES = [
  'dist',
  '!dist/**/*.test.*',
  '!dist/**/test-support/**',
  '!dist/**/*.d.ts.map',
  '!dist/.tsbuildinfo',
  'README.md',
  'LICENSE',
];
const BUILD = 'node ../../scripts/build-library.mjs';

const args = process.argv.slice(2);
const write = args.includes('--write');
const folders = args.filter((a) => !a.startsWith('--'));
if (write === args.includes('--check') || (write && folders.length === 0)) {
  console.error('usage: consumer-manifest.mjs --check [folder ...] | --write folder ...');
  process.exit(2);
}

function importsTfjs(dir) {
  const stack = [join(dir, 'src')];
  while (stack.length > 0) {
    const current = stack.pop();
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        if (
          /from '@tensorflow\/tfjs-core'/.test(readFileSync(path, 'utf8').replace(/import type [^;]+;/g, ''))
        )
          return true;
      }
    }
  }
  return false;
}

/** "import" → "default" at every level of an exports map. */
function withDefault(value) {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k === 'import' ? 'default' : k, withDefault(v)]),
  );
}

/** The manifest as it should be (key order kept; `imports` right after `exports`). */
function expected(dir, pkg) {
  const out = {};
  for (const [key, value] of Object.entries(pkg)) {
    if (key === 'imports') continue;
    if (key === 'exports') {
      out.exports = withDefault(value);
      if (importsTfjs(dir)) out.imports = IMPORTS;
    } else if (key === 'files') out.files = FILES;
    else if (key === 'scripts') out.scripts = { ...value, build: BUILD };
    else out[key] = value;
  }
  return out;
}

const all = readdirSync(join(root, 'packages')).filter((f) =>
  existsSync(join(root, 'packages', f, 'package.json')),
);
const problems = [];
for (const folder of folders.length > 0 ? folders : all) {
  const dir = join(root, 'packages', folder);
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.private) continue;
  const want = expected(dir, pkg);
  const tsconfigFile = join(dir, 'tsconfig.build.json');
  const tsconfig = JSON.parse(readFileSync(tsconfigFile, 'utf8'));
  if (write) {
    writeFileSync(file, `${JSON.stringify(want, null, 2)}\n`);
    tsconfig.compilerOptions.inlineSources = true;
    writeFileSync(tsconfigFile, `${JSON.stringify(tsconfig, null, 2)}\n`);
    console.log(`${pkg.name}: package.json and tsconfig.build.json updated`);
    continue;
  }
  for (const key of ['exports', 'imports', 'files', 'scripts']) {
    if (JSON.stringify(pkg[key]) !== JSON.stringify(want[key])) {
      problems.push(`${pkg.name}: "${key}" should be ${JSON.stringify(want[key])}`);
    }
  }
  if (tsconfig.compilerOptions?.inlineSources !== true)
    problems.push(
      `${pkg.name}: tsconfig.build.json needs "inlineSources": true (its JS maps ship without src/)`,
    );
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
if (!write) console.log('consumer manifests ok');
