#!/usr/bin/env node
// Consumer tests: every library package works alone from its packed tarball, on every route a user
// takes. For each package (all of packages/* by default, or the folders named on the command line):
//   pack it and the wordloom packages it depends on; npm-install the tarballs with the user's own
//   @tensorflow/tfjs-core and tfjs-backend-cpu into a fresh project outside the workspace; then check
//   the tarball ships only dist + README + LICENSE, the tree holds exactly one tfjs-core, every declared
//   export loads with `import` and with `require`, a Node ESM and a CommonJS program get the right
//   result, a consumer file type-checks (moduleResolution node16, bundler, and CommonJS under node20),
//   a Vite bundle prints the right result in headless Chromium, npm names the peer on a tfjs-core
//   conflict, the peer range admits only tested versions, and without tfjs-core the import throws a
//   WordloomError naming it. Prints PASS/FAIL per package; exits 1 on any failure.
//
// Usage: node e2e/consumers/run.mjs [folder ...] [--keep] [--jobs=N] [--packages-dir=DIR]
// (build the packages first; --packages-dir tests another checkout's packages/ with this harness)
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, launchChromium, loadPage, serve } from './lib/browser.mjs';
import {
  createProject,
  exportSpecifiers,
  exportTargets,
  loadExports,
  missingOptionalPeer,
  npmInstall,
  treeProblems,
} from './lib/project.mjs';
import { brokenSourceMaps, tarballFiles, tarballProblems } from './lib/tarball.mjs';
import {
  libraryPackages,
  pack,
  ROOT,
  run,
  TFJS_CORE,
  testedTfjsCore,
  withWordloomDependencies,
} from './lib/workspace.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCENARIO_FILES = [
  'checks.mjs',
  'node.expected.txt',
  'consumer.ts',
  'browser.js',
  'browser.expected.txt',
];
const BACKEND_CPU = '@tensorflow/tfjs-backend-cpu';
const args = process.argv.slice(2);
const keep = args.includes('--keep');
// Packages checked at once (each runs npm, tsc, Vite and Node children): 2 keeps a 2-core CI machine busy.
const JOBS = Number(
  args.find((a) => a.startsWith('--jobs='))?.slice(7) ?? Math.min(2, availableParallelism()),
);
const wanted = args.filter((a) => !a.startsWith('--')).map((a) => a.replace(/^@wordloom\//, ''));
const packagesDir = args.find((a) => a.startsWith('--packages-dir='))?.slice(15);
const all = libraryPackages(packagesDir ? resolve(packagesDir) : undefined);
const unknown = wanted.filter((w) => !all.some((p) => p.folder === w));
if (unknown.length > 0) {
  console.error(
    `unknown package(s): ${unknown.join(', ')}; library packages: ${all.map((p) => p.folder).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length > 0 ? all.filter((p) => wanted.includes(p.folder)) : all;
// The tfjs-core a user installs next to a package without its own tfjs-core devDependency (core).
const defaultTfjs = all.map(testedTfjsCore).find(Boolean);

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'wordloom-consumers-'));
console.log(`consumer tests of ${selected.map((p) => p.name).join(', ')} in ${work}`);

/** @type {Map<string, Promise<string>>} tarball of each package, packed once per run */
const tarballs = new Map();
const tarballOf = (p) => {
  if (!tarballs.has(p.name)) tarballs.set(p.name, pack(p, join(work, 'tarballs')));
  return tarballs.get(p.name);
};

const server = await serve(work);
let browser = null;
let browserError = null;
const results = [];
try {
  try {
    browser = await launchChromium();
  } catch (error) {
    browserError = error;
  }
  const queue = [...selected];
  const worker = async () => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) results.push(await checkOne(pkg));
  };
  await Promise.all(Array.from({ length: Math.min(JOBS, selected.length) }, worker));
} finally {
  await browser?.close();
  await server.close();
  if (!keep) rmSync(work, { recursive: true, force: true });
}
results.sort(
  (a, b) => selected.findIndex((p) => p.name === a.name) - selected.findIndex((p) => p.name === b.name),
);

const failed = results.filter((r) => !r.ok);
console.log(
  `consumers: ${results.length - failed.length} passed, ${failed.length} failed` +
    ` (${((performance.now() - started) / 1000).toFixed(0)} s)${keep ? `; kept ${work}` : ''}`,
);
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}`);
process.exitCode = failed.length > 0 || results.length === 0 ? 1 : 0;

/** Runs every check of one package and prints its block of results. */
async function checkOne(pkg) {
  const t0 = performance.now();
  const lines = [];
  let ok = true;
  let last = t0;
  const note = (passed, label, detail = '') => {
    ok &&= passed;
    const now = performance.now();
    const took = `[${((now - last) / 1000).toFixed(1)} s]`;
    last = now;
    lines.push(`  ${passed ? 'ok  ' : 'FAIL'} ${label} ${took}${detail ? `: ${detail}` : ''}`);
  };
  try {
    await checkPackage(pkg, note);
  } catch (error) {
    note(false, 'harness', error.stack ?? String(error));
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${pkg.name}\n${lines.join('\n')}\n${ok ? 'PASS' : 'FAIL'} ${pkg.name} (${seconds} s)\n`);
  return { name: pkg.name, ok };
}

/** Every check of one package; `note(passed, label, detail)` records each. */
async function checkPackage(pkg, note) {
  const scenario = join(HERE, 'scenarios', pkg.folder);
  const absent = SCENARIO_FILES.filter((f) => !existsSync(join(scenario, f)));
  if (absent.length > 0) {
    note(false, 'scenario', `e2e/consumers/scenarios/${pkg.folder}/ lacks ${absent.join(', ')}`);
    return;
  }
  const peerRange = pkg.manifest.peerDependencies?.[TFJS_CORE];
  const tested = testedTfjsCore(pkg) ?? defaultTfjs;

  // 1. The tarball ships dist, README and LICENSE only.
  const closure = withWordloomDependencies(pkg, all);
  const specs = await Promise.all(closure.map(tarballOf));
  const files = tarballFiles(await tarballOf(pkg));
  const shipped = tarballProblems(files);
  note(shipped.length === 0, 'tarball', shipped.join('; ') || `${files.length} files: dist, README, LICENSE`);

  // 2. npm install into a fresh project, next to the user's own tfjs-core and backend.
  const dir = join(work, pkg.folder);
  createProject(dir, `consumer-of-${pkg.folder}`);
  const t0 = performance.now();
  await npmInstall(dir, [...specs, `${TFJS_CORE}@${tested}`, `${BACKEND_CPU}@${tested}`]);
  const installed = join(dir, 'node_modules', pkg.name);
  const tree = treeProblems(dir, tested);
  note(
    tree.length === 0,
    'npm install',
    tree.join('; ') ||
      `${((performance.now() - t0) / 1000).toFixed(1)} s, one ${TFJS_CORE} (${tested}, the project's own)`,
  );
  const maps = brokenSourceMaps(installed, files);
  note(maps.length === 0, 'source maps', maps.slice(0, 3).join('; ') || 'self-contained');

  // 3. Every declared export exists and loads with import and require.
  const missingTargets = [...exportTargets(pkg.manifest.exports)].filter(
    ([, path]) => !existsSync(join(installed, path)),
  );
  note(
    missingTargets.length === 0,
    'exports map targets',
    missingTargets.map(([key, path]) => `${key} → ${path} missing`).join('; ') || 'all present',
  );
  const exportsSpecs = exportSpecifiers(pkg.manifest);
  const loaded = await loadExports(dir, exportsSpecs);
  for (const mode of ['esm', 'cjs']) {
    const verb = mode === 'esm' ? 'import' : 'require';
    const problems = [];
    const skipped = [];
    for (const spec of exportsSpecs) {
      const r = loaded[mode][spec];
      if (r.ok && r.names.length > 0) continue;
      const optional = r.ok ? null : missingOptionalPeer(r, pkg.manifest);
      if (optional) skipped.push(`${spec} needs optional peer ${optional}`);
      else
        problems.push(r.ok ? `${spec} exports nothing` : `${spec}: ${r.name} ${r.code ?? ''} ${r.message}`);
    }
    note(
      problems.length === 0,
      `${verb} every export`,
      problems.join('; ') ||
        `${exportsSpecs.length - skipped.length}/${exportsSpecs.length}${skipped.length ? ` (${skipped.join('; ')})` : ''}`,
    );
  }

  // 4. Node programs: ESM and CommonJS.
  const expected = readFileSync(join(scenario, 'node.expected.txt'), 'utf8').trimEnd();
  // One set of checks per package, loaded once through `import` and once through `require`.
  copyFileSync(join(scenario, 'checks.mjs'), join(dir, 'checks.mjs'));
  for (const file of ['esm.mjs', 'cjs.cjs']) {
    copyFileSync(join(HERE, 'scenarios', file), join(dir, file));
    const r = await run(process.execPath, [file], { cwd: dir });
    const out = r.stdout.trimEnd();
    const passed = r.code === 0 && out === expected;
    note(
      passed,
      `node ${file}`,
      passed ? `${expected.split('\n').length} lines as expected` : diff(expected, out, r.stderr),
    );
  }

  // 5. Types: the consumer file under node16 and bundler resolution, and as CommonJS under node20.
  copyFileSync(join(scenario, 'consumer.ts'), join(dir, 'consumer.ts'));
  copyFileSync(join(scenario, 'consumer.ts'), join(dir, 'consumer.cts'));
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const configs = {
    node16: { module: 'node16', moduleResolution: 'node16', file: 'consumer.ts' },
    bundler: { module: 'esnext', moduleResolution: 'bundler', file: 'consumer.ts' },
    'commonjs (node20)': { module: 'node20', moduleResolution: 'node16', file: 'consumer.cts' },
  };
  const checks = Object.entries(configs).map(async ([label, { file, ...options }]) => {
    const config = join(dir, `tsconfig.${label.split(' ')[0]}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: 'es2022',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          // Under node16 the libraries' declarations are checked too (tfjs-core's are big: 3× the time,
          // so once is enough); the @ts-expect-error lines catch exports that degrade to `any`. The
          // project's @types (tfjs-core brings @types/long) and the workspace's @types/node stand in
          // for a Node user's own.
          skipLibCheck: label !== 'node16',
          typeRoots: [join(dir, 'node_modules/@types'), join(ROOT, 'node_modules/@types')],
        },
        files: [file],
      }),
    );
    const r = await run(process.execPath, [tsc, '-p', config], { cwd: dir });
    return [label, r];
  });
  for (const [label, r] of await Promise.all(checks)) {
    note(
      r.code === 0,
      `tsc ${label}`,
      r.code === 0 ? 'clean' : (r.stdout + r.stderr).trim().split('\n').slice(0, 6).join(' | '),
    );
  }

  // 6. Browser: a Vite bundle in headless Chromium.
  if (!browser) note(false, 'browser', `Chromium did not start: ${browserError?.message}`);
  else {
    copyFileSync(join(scenario, 'browser.js'), join(dir, 'browser.js'));
    copyFileSync(join(HERE, 'scenarios', 'page.js'), join(dir, 'page.js'));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${pkg.name}</title></head>` +
        `<body><pre id="out"></pre><script type="module" src="./browser.js"></script></body></html>\n`,
    );
    const size = await bundlePage(dir).catch((error) => error);
    if (size instanceof Error)
      note(false, 'vite bundle', size.message.split('\n').filter(Boolean).slice(0, 2).join(' '));
    else {
      const page = await loadPage(browser, `${server.url}/${pkg.folder}/web-dist/index.html`);
      const want = readFileSync(join(scenario, 'browser.expected.txt'), 'utf8').trimEnd();
      const passed = page.status === 'done' && page.text.trimEnd() === want && page.errors.length === 0;
      note(
        passed,
        'chromium (vite bundle)',
        passed
          ? `${kb(size.bytes)} min, ${kb(size.gzip)} gzip, prints the expected ${want.split('\n').length} lines`
          : `${page.status}; ${diff(want, page.text.trimEnd(), page.errors.join('\n'))}`,
      );
    }
  }

  if (!peerRange) return;

  // 7. The peer range admits only what is tested.
  const inRange = await versionsInRange(peerRange);
  note(
    inRange.ok && inRange.versions.every((v) => v === tested),
    'peer range',
    inRange.ok
      ? `${TFJS_CORE} ${peerRange} admits ${inRange.versions.join(', ')}; tested ${tested}`
      : inRange.error,
  );

  // 8. A conflicting tfjs-core: npm refuses and names the peer and its range.
  const conflictDir = join(work, `${pkg.folder}-conflict`);
  createProject(conflictDir, `conflict-${pkg.folder}`);
  const conflict = await run(
    'npm',
    ['install', '--dry-run', '--prefer-offline', '--no-audit', '--no-fund', ...specs, `${TFJS_CORE}@3`],
    { cwd: conflictDir },
  );
  const named = /peer @tensorflow\/tfjs-core@"([^"]+)" from (\S+)/.exec(conflict.stderr);
  note(
    conflict.code !== 0 && /ERESOLVE/.test(conflict.stderr) && named != null,
    'npm with tfjs-core 3',
    named
      ? `ERESOLVE: npm names peer ${TFJS_CORE}@"${named[1]}" from ${named[2]}`
      : conflict.stderr.split('\n')[0] || 'npm accepted it',
  );

  // 9. Without tfjs-core (e.g. npm --omit=peer, pnpm without auto-installed peers): a WordloomError.
  const tfjsDir = join(dir, 'node_modules', TFJS_CORE);
  renameSync(tfjsDir, `${tfjsDir}.hidden`);
  try {
    const without = await loadExports(dir, exportsSpecs);
    for (const mode of ['esm', 'cjs']) {
      const problems = [];
      let guarded = 0;
      for (const spec of exportsSpecs) {
        const r = without[mode][spec];
        if (r.ok) continue;
        if (r.wordloom && r.missing === TFJS_CORE && r.message.includes(TFJS_CORE)) guarded++;
        else if (!missingOptionalPeer(r, pkg.manifest))
          problems.push(`${spec}: ${r.name} ${r.code ?? ''} ${r.message}`);
      }
      if (guarded === 0) problems.push('no export reported the missing peer');
      const sample = Object.values(without[mode]).find((r) => r.wordloom)?.message;
      note(
        problems.length === 0,
        `${mode === 'esm' ? 'import' : 'require'} without ${TFJS_CORE}`,
        problems.join('; ') || `${guarded} export(s) throw UnavailableError: "${sample}"`,
      );
    }
  } finally {
    renameSync(`${tfjsDir}.hidden`, tfjsDir);
  }
}

/** Versions of tfjs-core on the registry that satisfy `range` (npm's cache first). */
async function versionsInRange(range) {
  const r = await run('npm', ['view', `${TFJS_CORE}@${range}`, 'version', '--json', '--prefer-offline'], {
    cwd: work,
  });
  if (r.code !== 0) return { ok: false, error: `npm view failed: ${r.stderr.split('\n')[0]}` };
  const parsed = JSON.parse(r.stdout);
  return { ok: true, versions: Array.isArray(parsed) ? parsed : [parsed] };
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function diff(expected, actual, stderr) {
  const want = expected.split('\n');
  const got = actual.split('\n');
  const i = Array.from({ length: Math.max(want.length, got.length) }, (_, k) => k).find(
    (k) => want[k] !== got[k],
  );
  return (
    (i === undefined
      ? 'output as expected'
      : `line ${i + 1}: expected ${JSON.stringify(want[i] ?? '<end>')}, got ${JSON.stringify(got[i] ?? '<end>')}`) +
    (stderr.trim() ? ` | stderr: ${stderr.trim().split('\n').slice(0, 4).join(' | ')}` : '')
  );
}
