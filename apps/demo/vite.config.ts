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
  plugins: [tfjsWasmFiles()],
});
