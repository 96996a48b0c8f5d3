#!/usr/bin/env node
// Release rehearsal, on throwaway copies of the working tree (the real tree is never versioned):
//   1. every pending changeset parses and names at least one package, and `changeset version` consumes
//      them all, writing a CHANGELOG entry for each package they name;
//   2. a sample changeset (a patch of one package) bumps that package and its dependents only, and
//      writes their CHANGELOG entries;
//   3. `pnpm -r publish --dry-run` succeeds for every public package (the demo app and bench are private)
//      and packs what the consumer tests check.
// Prints PASS/FAIL per step; exits 1 on any failure. Build the packages first (publish packs dist).
//
// Usage: node e2e/consumers/release-rehearsal.mjs [--sample=<folder>] [--keep]
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { libraryPackages, ROOT } from './lib/workspace.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const sample = args.find((a) => a.startsWith('--sample='))?.slice(9) ?? 'text-vsm';
const work = mkdtempSync(join(tmpdir(), 'wordloom-release-'));
const changesetBin = join(ROOT, 'node_modules/@changesets/cli/bin.js');
const results = [];
const step = (ok, label, detail) => {
  results.push(ok);
  console.log(`${ok ? 'PASS' : 'FAIL'} ${label}${detail ? `\n  ${detail.split('\n').join('\n  ')}` : ''}`);
};

/** Workspace packages of a copy: name → { dir, manifest }. */
function workspace(repo) {
  const found = new Map();
  for (const group of ['packages', 'apps']) {
    for (const folder of readdirSync(join(repo, group))) {
      const file = join(repo, group, folder, 'package.json');
      if (existsSync(file)) {
        const manifest = JSON.parse(readFileSync(file, 'utf8'));
        found.set(manifest.name, { dir: join(repo, group, folder), manifest });
      }
    }
  }
  const bench = JSON.parse(readFileSync(join(repo, 'bench/package.json'), 'utf8'));
  found.set(bench.name, { dir: join(repo, 'bench'), manifest: bench });
  return found;
}

/** A copy of the working tree (tracked and untracked, not ignored) plus the libraries' dist. */
function copyTree(name, { linkRootModules = true } = {}) {
  const repo = join(work, name);
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (git.status !== 0) throw new Error(`git ls-files failed: ${git.stderr}`);
  for (const file of git.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file));
  }
  for (const pkg of libraryPackages()) {
    const dist = join(pkg.dir, 'dist');
    if (existsSync(dist)) cpSync(dist, join(repo, 'packages', pkg.folder, 'dist'), { recursive: true });
  }
  // Tools (changesets' changelog generator) resolve from the root's node_modules.
  if (linkRootModules) symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  return repo;
}

function sh(command, commandArgs, cwd) {
  const r = spawnSync(command, commandArgs, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}`.trim() };
}

/** Pending changesets: file → { releases: [[name, bump]], error }. */
function pendingChangesets(repo) {
  const dir = join(repo, '.changeset');
  const found = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const text = readFileSync(join(dir, file), 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    const releases = match
      ? [...match[1].matchAll(/^\s*["']?(@?[^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => [
          m[1],
          m[2],
        ])
      : [];
    found.set(file, {
      releases,
      error:
        releases.length === 0
          ? 'no frontmatter naming a package (expected ---\\n"@wordloom/x": minor\\n---)'
          : undefined,
    });
  }
  return found;
}

function changelogHas(dir, version) {
  const file = join(dir, 'CHANGELOG.md');
  return existsSync(file) && readFileSync(file, 'utf8').includes(`## ${version}`);
}

try {
  // 1. The real pending changesets.
  {
    const repo = copyTree('pending');
    const pending = pendingChangesets(repo);
    const broken = [...pending]
      .filter(([, c]) => c.error)
      .map(([file, c]) => `.changeset/${file}: ${c.error}`);
    const before = workspace(repo);
    const r = sh(process.execPath, [changesetBin, 'version'], repo);
    const after = workspace(repo);
    const problems = [...broken];
    if (r.code !== 0) problems.push(`changeset version failed:\n${r.out}`);
    const left = [...pendingChangesets(repo).keys()];
    if (r.code === 0 && left.length > 0) problems.push(`not consumed: ${left.join(', ')}`);
    const bumped = [];
    const { ignore = [] } = JSON.parse(readFileSync(join(repo, '.changeset/config.json'), 'utf8'));
    for (const [, c] of pending) {
      for (const [name] of c.releases.filter(([n]) => !ignore.includes(n))) {
        const was = before.get(name);
        const now = after.get(name);
        if (!was) problems.push(`a changeset names ${name}, which is not a workspace package`);
        else if (r.code === 0 && now.manifest.version === was.manifest.version)
          problems.push(`${name} not bumped`);
        else if (r.code === 0 && !changelogHas(now.dir, now.manifest.version))
          problems.push(`${name}: CHANGELOG.md has no entry for ${now.manifest.version}`);
        else if (r.code === 0) bumped.push(`${name} ${was.manifest.version} → ${now.manifest.version}`);
      }
    }
    step(
      problems.length === 0,
      `changeset version consumes the ${pending.size} pending changesets`,
      problems.join('\n') || [...new Set(bumped)].join(', '),
    );
  }

  // 2. A sample patch: bumps the package and its dependents only.
  {
    const repo = copyTree('sample');
    for (const file of pendingChangesets(repo).keys()) rmSync(join(repo, '.changeset', file));
    const before = workspace(repo);
    const target = `@wordloom/${sample}`;
    if (!before.has(target)) throw new Error(`--sample=${sample}: no package ${target}`);
    writeFileSync(
      join(repo, '.changeset', 'rehearsal-sample.md'),
      `---\n"${target}": patch\n---\n\nRehearsal: a sample fix in ${target}.\n`,
    );
    const r = sh(process.execPath, [changesetBin, 'version'], repo);
    const after = workspace(repo);
    const config = JSON.parse(readFileSync(join(repo, '.changeset/config.json'), 'utf8'));
    const ignored = new Set(config.ignore ?? []);
    // Who may move: the target and, transitively, packages depending on it at run time.
    const allowed = new Set([target]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [name, { manifest }] of before) {
        const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
        if (!allowed.has(name) && !ignored.has(name) && deps.some((d) => allowed.has(d))) {
          allowed.add(name);
          grew = true;
        }
      }
    }
    const problems = [];
    if (r.code !== 0) problems.push(`changeset version failed:\n${r.out}`);
    const moved = [];
    for (const [name, was] of before) {
      const now = after.get(name);
      if (now.manifest.version === was.manifest.version) continue;
      moved.push(`${name} ${was.manifest.version} → ${now.manifest.version}`);
      if (!allowed.has(name)) problems.push(`${name} was bumped but does not depend on ${target}`);
      if (!changelogHas(now.dir, now.manifest.version))
        problems.push(`${name}: CHANGELOG.md has no entry for ${now.manifest.version}`);
    }
    if (r.code === 0 && after.get(target).manifest.version === before.get(target).manifest.version)
      problems.push(`${target} itself was not bumped`);
    const untouched = [...before.keys()].filter((n) => !allowed.has(n) && !ignored.has(n));
    step(
      problems.length === 0,
      `a patch changeset of ${target} bumps it and its dependents only`,
      problems.join('\n') || `bumped: ${moved.join(', ')}; untouched: ${untouched.join(', ')}`,
    );
  }

  // 3. pnpm -r publish --dry-run, from a copy (private packages are skipped by pnpm).
  {
    // pnpm resolves "workspace:*" from installed links, so the copy gets its own (offline) install.
    const repo = copyTree('publish', { linkRootModules: false });
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for its own scripts; not a build input
    const execPath = process.env.npm_execpath;
    // The pnpm running us: a JS entry (run it with node) or, as pnpm 12 ships, a native executable.
    const pnpm = (pnpmArgs) => {
      if (!execPath || !/pnpm/.test(execPath)) return sh('pnpm', pnpmArgs, repo);
      return /\.[cm]?js$/.test(execPath)
        ? sh(process.execPath, [execPath, ...pnpmArgs], repo)
        : sh(execPath, pnpmArgs, repo);
    };
    const install = pnpm(['install', '--prefer-offline', '--frozen-lockfile', '--ignore-scripts']);
    const r = install.code === 0 ? pnpm(['-r', 'publish', '--dry-run', '--no-git-checks']) : install;
    const publicPackages = libraryPackages().map((p) => p.name);
    const missing = publicPackages.filter((name) => !r.out.includes(`${name}@`));
    const leaked = ['@wordloom/demo', '@wordloom/bench'].filter((name) => r.out.includes(`+ ${name}@`));
    step(
      r.code === 0 && missing.length === 0 && leaked.length === 0,
      `pnpm -r publish --dry-run publishes the ${publicPackages.length} public packages`,
      r.code !== 0
        ? r.out.split('\n').slice(-15).join('\n')
        : missing.length || leaked.length
          ? `missing: ${missing.join(', ') || '–'}; private but published: ${leaked.join(', ') || '–'}`
          : publicPackages.join(', '),
    );
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

const failed = results.filter((ok) => !ok).length;
console.log(`release rehearsal: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
