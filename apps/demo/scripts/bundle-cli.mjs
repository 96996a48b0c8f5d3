#!/usr/bin/env node
// The last step of `@wordloom/demo`'s build, after tsc: bundles what every `wordloom` invocation loads —
// main.ts, the program, each command's module, commander and the few @wordloom/core errors they use —
// into the one file dist/cli/main.js. Node 20 has no compile cache for ES modules, so each module costs a
// resolution, a read and a compilation at start-up; `wordloom --help` loaded about 45 of them. Whatever a
// command loads with `await import()` stays out of the bundle and is loaded only when that command runs:
// the numeric packages from node_modules, and the tour's and server's files that tsc wrote to dist/.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const OUTFILE = join(DIST, 'cli', 'main.js');
/** The only packages bundled in: on the path of every command, and small (core is tree-shaken). */
const BUNDLED = new Set(['commander', '@wordloom/core']);

/** Decides, for every import, whether it is part of the start-up bundle. */
const startUpOnly = {
  name: 'wordloom-cli-start-up',
  setup(bundle) {
    bundle.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const relativePath = args.path.startsWith('./') || args.path.startsWith('../');
      if (relativePath && args.kind !== 'dynamic-import') return undefined;
      if (relativePath) {
        // A lazily loaded file of this app: the module tsc compiled, addressed from the bundle's folder.
        const source = resolve(dirname(args.importer), args.path);
        const compiled = join(DIST, relative(SRC, source));
        if (!source.startsWith(SRC + sep) || !existsSync(compiled))
          return { errors: [{ text: `${args.path}: no compiled module ${compiled} (run tsc first)` }] };
        const path = relative(dirname(OUTFILE), compiled).split(sep).join('/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      }
      return BUNDLED.has(args.path) ? undefined : { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: [join(SRC, 'cli', 'main.ts')],
  outfile: OUTFILE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // commander is CommonJS: esbuild's wrapper calls `require` for node:events & co., which an ES module
  // lacks, so the bundle defines one.
  banner: {
    js: "import { createRequire as __wordloomCreateRequire } from 'node:module';\nconst require = __wordloomCreateRequire(import.meta.url);",
  },
  plugins: [startUpOnly],
  logLevel: 'warning',
});
// tsc's map and declarations describe the unbundled main.js, which the bundle replaced.
for (const stale of ['main.js.map', 'main.d.ts', 'main.d.ts.map'])
  rmSync(join(DIST, 'cli', stale), { force: true });
