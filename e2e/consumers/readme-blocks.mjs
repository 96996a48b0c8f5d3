#!/usr/bin/env node
// README blocks as a new user meets them: for every library package, a fresh project outside the
// workspace is installed with EXACTLY the README's install lines (every `npm i …` of its ```sh blocks;
// @wordloom packages come from their packed tarballs, as the registry would serve them), every ```ts
// block is type-checked with `tsc --strict`, then every ```ts and ```js block runs under Node and must
// print its `// prints: …` lines. A block whose info string says `browser` (```js browser) is for a
// page: it is type-checked (ts) but not run under Node.
//
// Usage: node e2e/consumers/readme-blocks.mjs [folder ...] [--keep]   (build the packages first)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProject, npmInstall } from './lib/project.mjs';
import { libraryPackages, pack, ROOT, run, withWordloomDependencies } from './lib/workspace.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const wanted = args.filter((a) => !a.startsWith('--'));
const all = libraryPackages();
const selected = wanted.length > 0 ? all.filter((p) => wanted.includes(p.folder)) : all;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The fenced blocks of a README with their language, info words and first line number. */
export function fencedBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)?(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    blocks.push({
      lang: open[1] ?? '',
      info: open[2].trim().split(/\s+/).filter(Boolean),
      line: start + 1,
      code: `${body.join('\n')}\n`,
    });
  }
  return blocks;
}

/** Package specs of every `npm i` / `npm install` line in the ```sh blocks, in order. */
export function installSpecs(blocks) {
  const specs = [];
  for (const block of blocks.filter((b) => b.lang === 'sh' || b.lang === 'bash')) {
    for (const line of block.code.split('\n')) {
      const m = /^\s*npm (?:i|install)\s+(.*)$/.exec(line);
      if (m) specs.push(...m[1].split(/\s+/).filter((word) => word && !word.startsWith('-')));
    }
  }
  return specs;
}

const work = mkdtempSync(join(tmpdir(), 'wordloom-readmes-'));
const tarballs = new Map();
const tarballOf = (p) => {
  if (!tarballs.has(p.name)) tarballs.set(p.name, pack(p, join(work, 'tarballs')));
  return tarballs.get(p.name);
};

let passed = 0;
let failed = 0;
const check = (ok, label, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}${detail ? `: ${detail}` : ''}`);
};

try {
  for (const pkg of selected) {
    console.log(pkg.name);
    const blocks = fencedBlocks(readFileSync(join(pkg.dir, 'README.md'), 'utf8'));
    const specs = installSpecs(blocks);
    const code = blocks.filter((b) => b.lang === 'ts' || b.lang === 'js');
    if (specs.length === 0) {
      check(false, 'install line', 'the README has no `npm i …` line in a ```sh block');
      continue;
    }
    // @wordloom names stand for their tarballs (and those of the wordloom packages they depend on,
    // which the registry would serve with them); every other spec is installed as written.
    const install = [];
    for (const spec of specs) {
      const lib = all.find((p) => p.name === spec);
      if (lib) install.push(...(await Promise.all(withWordloomDependencies(lib, all).map(tarballOf))));
      else install.push(spec);
    }
    const dir = join(work, pkg.folder);
    createProject(dir, `readme-of-${pkg.folder}`);
    try {
      await npmInstall(dir, [...new Set(install)]);
      check(true, `npm i ${specs.join(' ')}`);
    } catch (error) {
      check(false, `npm i ${specs.join(' ')}`, String(error.message).split('\n').slice(0, 4).join(' '));
      continue;
    }
    const files = code.map((block, i) => {
      const file = `block-${i + 1}-line-${block.line}.${block.lang === 'ts' ? 'ts' : 'mjs'}`;
      writeFileSync(join(dir, file), block.code);
      return { block, file };
    });
    const typed = files.filter(({ block }) => block.lang === 'ts');
    if (typed.length > 0) {
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            outDir: 'out',
            rootDir: '.',
            skipLibCheck: true,
            // The user's @types/node, borrowed from the workspace instead of installed.
            typeRoots: [join(ROOT, 'node_modules', '@types')],
            types: ['node'],
          },
          files: typed.map((t) => t.file),
        }),
      );
      const tsc = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir });
      const errors = `${tsc.stdout}${tsc.stderr}`.trim();
      check(
        tsc.code === 0,
        `tsc --strict of ${typed.length} ts block(s)`,
        errors.split('\n').slice(0, 8).join('\n        '),
      );
      if (tsc.code !== 0) continue;
    }
    for (const { block, file } of files) {
      const label = `README line ${block.line} (${block.lang}${block.info.length ? ` ${block.info.join(' ')}` : ''})`;
      if (block.info.includes('browser')) {
        console.log(`  --   ${label}: for a page, not run under Node`);
        continue;
      }
      const script = block.lang === 'ts' ? join('out', file.replace(/\.ts$/, '.js')) : file;
      const result = await run(process.execPath, [script], { cwd: dir });
      const expected = [...block.code.matchAll(/^\s*\/\/ prints: (.*)$/gm)].map(([, line]) => line);
      const printed = result.stdout
        .trimEnd()
        .split('\n')
        .filter((l, _i, a) => a.length > 1 || l !== '');
      const ok = result.code === 0 && JSON.stringify(printed) === JSON.stringify(expected);
      check(
        ok,
        label,
        ok
          ? ''
          : result.code !== 0
            ? `exit ${result.code}: ${result.stderr.trim().split('\n').slice(0, 4).join(' ')}`
            : `printed ${JSON.stringify(printed)}, README says ${JSON.stringify(expected)}`,
      );
    }
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
console.log(`readme blocks: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
