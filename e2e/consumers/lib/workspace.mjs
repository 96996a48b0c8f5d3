// The workspace side of the consumer tests: which library packages exist, what they depend on, and
// their packed tarballs — the exact bytes `npm publish` would upload.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TFJS_CORE = '@tensorflow/tfjs-core';

/**
 * @typedef {object} LibraryPackage
 * @property {string} folder   folder under packages/, e.g. `text-vsm`
 * @property {string} name     npm name, e.g. `@wordloom/text-vsm`
 * @property {string} dir      absolute folder
 * @property {Record<string, any>} manifest  its package.json
 */

/**
 * Every publishable library under packages/ (not private, with an exports map), by folder name.
 * `packagesDir` points at another checkout's packages/ (e.g. a copy with changes to try out).
 */
export function libraryPackages(packagesDir = join(ROOT, 'packages')) {
  /** @type {LibraryPackage[]} */
  const found = [];
  for (const folder of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, folder);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.private || !manifest.exports) continue;
    found.push({ folder, name: manifest.name, dir, manifest });
  }
  return found;
}

/** `pkg` and the wordloom packages it needs at run time (dependencies and peers), dependencies first. */
export function withWordloomDependencies(pkg, all) {
  const byName = new Map(all.map((p) => [p.name, p]));
  /** @type {LibraryPackage[]} */
  const order = [];
  const visit = (p) => {
    if (order.includes(p)) return;
    const deps = { ...p.manifest.dependencies, ...p.manifest.peerDependencies };
    for (const dep of Object.keys(deps)) {
      const next = byName.get(dep);
      if (next) visit(next);
    }
    order.push(p);
  };
  visit(pkg);
  return order;
}

/** The tfjs-core version a package is built and tested against (its devDependency). */
export function testedTfjsCore(pkg) {
  return pkg.manifest.devDependencies?.[TFJS_CORE] ?? null;
}

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(command, args, { cwd, env, timeout = 300_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** How to call pnpm: the one running us (`pnpm test:consumers`), else `pnpm` from PATH. */
function pnpmCommand() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for its own scripts; not a build input
  const exec = process.env.npm_execpath;
  if (exec && /pnpm/.test(exec)) {
    return /\.[cm]?js$/.test(exec) ? [process.execPath, [exec]] : [exec, []];
  }
  return ['pnpm', []];
}

/** `pnpm pack` of one package into `dest`; resolves with the tarball path. */
export async function pack(pkg, dest) {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    throw new Error(`${pkg.name} is not built (no dist/): run \`pnpm build\` first`);
  }
  const [command, pre] = pnpmCommand();
  const result = await run(command, [...pre, 'pack', '--pack-destination', dest], { cwd: pkg.dir });
  if (result.code !== 0) throw new Error(`pnpm pack ${pkg.name} failed:\n${result.stderr || result.stdout}`);
  const tarball = join(dest, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.manifest.version}.tgz`);
  if (!existsSync(tarball)) throw new Error(`pnpm pack ${pkg.name}: ${tarball} not written`);
  return tarball;
}
