// A user's project outside the workspace: npm installs the packed tarballs next to the user's own
// tfjs-core and backend, exactly as `npm i @wordloom/<pkg>` would (no workspace links, no pnpm).
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, TFJS_CORE } from './workspace.mjs';

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** An empty ESM project folder. */
export function createProject(dir, name) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
}

/** `npm install` of `specs` (tarball paths and registry specs); throws with npm's output on failure. */
export async function npmInstall(dir, specs, extraFlags = []) {
  const result = await run('npm', ['install', ...NPM_FLAGS, ...extraFlags, ...specs], { cwd: dir });
  if (result.code !== 0) throw new Error(`npm install failed:\n${result.stderr}${result.stdout}`);
  return result;
}

/** Every installed copy of `name` in the project, as `{ path, version }`. */
export function installedCopies(dir, name) {
  const copies = [];
  const visit = (modules) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((e) => `${entry}/${e}`)
        : [entry];
      for (const pkgName of scoped) {
        const pkgDir = join(modules, pkgName);
        if (pkgName === name) {
          const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
          copies.push({ path: pkgDir, version });
        }
        visit(join(pkgDir, 'node_modules'));
      }
    }
  };
  visit(join(dir, 'node_modules'));
  return copies;
}

/** Problems with the installed tree: tfjs-core copies, the union package, workspace leftovers. */
export function treeProblems(dir, testedVersion) {
  const problems = [];
  const copies = installedCopies(dir, TFJS_CORE);
  const own = join(dir, 'node_modules', TFJS_CORE);
  if (copies.length !== 1 || copies[0].path !== own) {
    problems.push(
      `expected exactly one ${TFJS_CORE} (the project's own), found ${copies.length}: ${copies
        .map((c) => `${c.path.slice(dir.length + 1)}@${c.version}`)
        .join(', ')}`,
    );
  } else if (testedVersion && copies[0].version !== testedVersion) {
    problems.push(`${TFJS_CORE} resolved to ${copies[0].version}, not the requested ${testedVersion}`);
  }
  if (installedCopies(dir, '@tensorflow/tfjs').length > 0)
    problems.push('installs the union @tensorflow/tfjs');
  const scope = join(dir, 'node_modules', '@wordloom');
  for (const entry of existsSync(scope) ? readdirSync(scope) : []) {
    const pkgDir = join(scope, entry);
    if (lstatSync(pkgDir).isSymbolicLink()) problems.push(`@wordloom/${entry} is a link, not an install`);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (String(range).startsWith('workspace:'))
        problems.push(`@wordloom/${entry} ships "${dep}": "${range}"`);
    }
  }
  return problems;
}

/** Every file an exports map points at (all conditions), for `./x` subpaths without patterns. */
export function exportTargets(exportsMap) {
  const targets = new Map();
  const collect = (subpath, value, conditions) => {
    if (typeof value === 'string') targets.set(`${subpath} [${conditions.join('.') || 'default'}]`, value);
    else if (value && typeof value === 'object') {
      for (const [key, next] of Object.entries(value)) {
        if (key.startsWith('.')) collect(key, next, []);
        else collect(subpath, next, [...conditions, key]);
      }
    }
  };
  collect('.', typeof exportsMap === 'string' ? { '.': exportsMap } : exportsMap, []);
  return targets;
}

/** Public subpaths (`.`, `./node`, …) a user can import, as full specifiers. */
export function exportSpecifiers(manifest) {
  const map = manifest.exports;
  const keys =
    typeof map === 'string' || !Object.keys(map).some((k) => k.startsWith('.')) ? ['.'] : Object.keys(map);
  return keys
    .filter((k) => k !== './package.json' && !k.includes('*'))
    .map((k) => (k === '.' ? manifest.name : `${manifest.name}/${k.slice(2)}`));
}

// Loads each specifier with `import` (mode esm) or `require` (mode cjs) in a fresh Node process of the
// project and reports, per specifier, its export names or the error (name, code, WordloomError marker).
const LOADER = `
import { createRequire } from 'node:module';
const [mode, ...specs] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const out = {};
for (const spec of specs) {
  try {
    const ns = mode === 'esm' ? await import(spec) : require(spec);
    out[spec] = { ok: true, names: Object.keys(ns).filter((k) => k !== 'default' && k !== 'module.exports') };
  } catch (error) {
    out[spec] = {
      ok: false,
      name: error?.name,
      code: error?.code,
      message: String(error?.message ?? error).split('\\n')[0],
      wordloom: error?.[Symbol.for('wordloom.error')] === true,
      missing: error?.missing,
    };
  }
}
console.log(JSON.stringify(out));
`;

/** Loads every declared export through `import` and `require`; resolves with per-mode results. */
export async function loadExports(dir, specs) {
  writeFileSync(join(dir, 'load-exports.mjs'), LOADER);
  const results = {};
  for (const mode of ['esm', 'cjs']) {
    const r = await run(process.execPath, ['load-exports.mjs', mode, ...specs], { cwd: dir });
    if (r.code !== 0) throw new Error(`loading exports (${mode}) crashed:\n${r.stderr}`);
    results[mode] = JSON.parse(r.stdout.trim().split('\n').at(-1));
  }
  return results;
}

/** Whether a failed load is only an optional peer (e.g. vitest for `/testing`) that is not installed. */
export function missingOptionalPeer(result, manifest) {
  const optional = Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([name]) => name);
  if (!/MODULE_NOT_FOUND/.test(result.code ?? '')) return null;
  return optional.find((name) => result.message.includes(`'${name}'`)) ?? null;
}
