#!/usr/bin/env node
// `pnpm lint` part two: checks every workspace manifest against wordloom's packaging rules, then runs
// publint on every publishable package. Exits 1 listing each problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = resolve(import.meta.dirname, '..');
const TFJS_CORE = '@tensorflow/tfjs-core';
const TFJS_RANGE = /^\^4\.22\.\d+$/;
const problems = [];
const fail = (pkg, message) => problems.push(`${pkg}: ${message}`);

function sourceImports(dir, specifier) {
  const stack = [join(dir, 'src')];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!existsSync(current)) continue;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        if (readFileSync(path, 'utf8').includes(`'${specifier}'`)) return true;
      }
    }
  }
  return false;
}

const dirs = [
  ...readdirSync(join(root, 'packages')).map((d) => ['packages', d]),
  ...readdirSync(join(root, 'apps')).map((d) => ['apps', d]),
  ['.', 'bench'],
];

for (const [group, folder] of dirs) {
  const dir = join(root, group, folder);
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const id = pj.name ?? `${group}/${folder}`;
  const allDeps = {
    ...pj.dependencies,
    ...pj.devDependencies,
    ...pj.peerDependencies,
    ...pj.optionalDependencies,
  };

  if ('@tensorflow/tfjs' in allDeps)
    fail(id, 'depends on the union package @tensorflow/tfjs; use @tensorflow/tfjs-core');
  for (const [dep, range] of Object.entries(allDeps)) {
    if (dep.startsWith('@wordloom/') && range !== 'workspace:*')
      fail(id, `internal dependency ${dep} must be "workspace:*"`);
  }

  if (group !== 'packages') {
    if (group === 'apps' && pj.name !== `@wordloom/${folder === 'demo' ? 'demo' : folder}`)
      fail(id, 'app name');
    if (pj.private !== true) fail(id, 'apps and the bench must be "private": true');
    continue;
  }

  // Publishable libraries.
  if (pj.name !== `@wordloom/${folder}`) fail(id, `name must be @wordloom/${folder}`);
  if (pj.type !== 'module') fail(id, '"type" must be "module"');
  if (pj.sideEffects !== false) fail(id, '"sideEffects" must be false (tree-shaking)');
  const main = pj.exports?.['.'];
  if (!main || typeof main !== 'object' || !main.types || !(main.import || main.default)) {
    fail(id, 'exports["."] must give "types" and "import"');
  }
  if (!Array.isArray(pj.files) || !pj.files.includes('dist')) fail(id, '"files" must ship dist');
  if (pj.dependencies && TFJS_CORE in pj.dependencies) {
    fail(id, `${TFJS_CORE} must be a peerDependency, never a dependency (one copy per install)`);
  }
  if (folder !== 'core' || sourceImports(dir, TFJS_CORE)) {
    if (!TFJS_RANGE.test(pj.peerDependencies?.[TFJS_CORE] ?? ''))
      fail(id, `peerDependencies["${TFJS_CORE}"] must be ^4.22.x`);
    if (!pj.devDependencies?.[TFJS_CORE]) fail(id, `${TFJS_CORE} must also be a devDependency`);
  }
  for (const [dep, meta] of Object.entries(pj.peerDependenciesMeta ?? {})) {
    if (!meta.optional || !(dep in (pj.peerDependencies ?? {})))
      fail(id, `peerDependenciesMeta["${dep}"] must mark a declared peer optional`);
  }

  const { messages, pkg } = await publint({ pkgDir: dir, level: 'warning', strict: true });
  for (const message of messages) fail(id, `publint: ${formatMessage(message, pkg)}`);
}

if (problems.length > 0) {
  console.error(`Manifest problems (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`manifests ok: ${dirs.length} workspace packages checked (publint strict on every library)`);
