import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The tfjs wasm backend's binaries, copied to `wasm/` beside the page (it fetches them from there). */
function tfjsWasmFiles(): Plugin {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const files = [
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ];
  return {
    name: 'wordloom-tfjs-wasm-files',
    generateBundle() {
      for (const name of files)
        this.emitFile({
          type: 'asset',
          fileName: `wasm/${name}`,
          source: readFileSync(join(dist, 'dist', name)),
        });
    },
  };
}

/**
 * tfjs's threaded wasm build starts each pthread worker from `factory.toString()` — the source text of its
 * Emscripten factory — so that function must not use any name from around it. It uses one: `_scriptDir`
 * (the script's URL from `document.currentScript`, which an ES module never has, so undefined in the page),
 * behind `typeof` guards that the minifier drops once it sees the enclosing declaration; every pthread
 * worker then dies with "ReferenceError: e is not defined" and the backend never starts. Both uses are
 * replaced by what they evaluate to in the bundle (nothing), which leaves the factory self-contained. The
 * build fails if tfjs's file no longer reads as expected, rather than shipping a threaded build that hangs.
 */
function tfjsThreadedFactorySelfContained(): Plugin {
  const file = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
  const uses: [string, string][] = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,', '"urlOrBlob":Module["mainScriptUrlOrBlob"],'],
  ];
  return {
    name: 'wordloom-tfjs-threaded-factory',
    enforce: 'pre',
    transform(code, id) {
      if (!file.test(id.split('?')[0])) return null;
      let out = code;
      for (const [from, to] of uses) {
        if (out.split(from).length !== 2)
          this.error(`${id}: expected exactly one ${JSON.stringify(from)} (has tfjs changed?)`);
        out = out.replace(from, to);
      }
      const start = out.indexOf('return (\nfunction(');
      if (start < 0 || out.slice(start).includes('_scriptDir'))
        this.error(`${id}: the factory still uses _scriptDir (has tfjs changed?)`);
      return { code: out, map: null };
    },
  };
}

// The web page of `wordloom serve`, built into dist/web and shipped with the CLI.
export default defineConfig({
  root: join(here, 'src/web'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  resolve: {
    // Exactly one tfjs-core in the page: every package and backend must register with the same engine.
    dedupe: ['@tensorflow/tfjs-core'],
    conditions: ['browser', 'import', 'module', 'default'],
  },
  build: {
    outDir: join(here, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    // No inline data URIs for assets: the CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // The data and projection workers are ES modules: they load backends with dynamic import().
  worker: { format: 'es' },
  plugins: [tfjsThreadedFactorySelfContained(), tfjsWasmFiles()],
});
