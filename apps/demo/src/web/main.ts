import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, registerGpuBackendModules, selectBackend } from '@wordloom/backend';
import { pca } from '@wordloom/viz';
import { setUpCompletion } from './completion-panel.js';
import { setUpDataPanel } from './data-panel.js';
import { byId, describeError, showMessage } from './dom.js';
import { setUpDrawPad } from './draw-pad.js';
import { similarityMatrix } from './gpu-math.js';
import { loadTourDataset, Projector } from './projector-panel.js';
import { setUpSearch } from './search-panel.js';
import { parseState } from './url-state.js';
import { blobWorkerScriptsRun, planWasmThreads } from './wasm-threads.js';
import { WebData } from './web-data-client.js';

registerGpuBackendModules({
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
});

const wasmPaths = () => new URL('wasm/', document.baseURI).href;

/** The WebGL renderer's name when it is a software rasteriser (SwiftShader, llvmpipe), else null. */
function softwareWebgl(): string | null {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(renderer) ? renderer : null;
}

/** Threads the wasm backend gets (set once by {@link startBackend}, before wasm first starts). */
let wasmThreads = 1;

const choose = (backend: string) => selectBackend({ backend, wasmPaths: wasmPaths(), threads: wasmThreads });

/**
 * The fastest backend that starts here — webgpu → webgl → wasm (its .wasm files are served from the
 * page's own `wasm/` folder; its threaded build on every core when the page is cross-origin isolated) →
 * cpu — or the one named by `#backend=` in the URL. WebGL on a software rasteriser (headless browsers,
 * machines without a GPU) is slower than wasm, so it is skipped unless asked for.
 */
async function startBackend(): Promise<{ info: BackendInfo; note: string; threadNote: string }> {
  const isolated = globalThis.crossOriginIsolated === true;
  const plan = planWasmThreads({
    isolated,
    cores: navigator.hardwareConcurrency,
    // Only worth probing where the threaded build could run at all.
    blobScripts: isolated && (await blobWorkerScriptsRun()),
  });
  wasmThreads = plan.threads;
  const threadNote = plan.reason;
  const asked = parseState(location.hash).backend;
  if (asked) {
    try {
      return { info: await choose(asked), note: 'as the URL asks', threadNote };
    } catch (error) {
      const info = await choose('wasm');
      return { info, note: `${asked} did not start: ${describeError(error)}`, threadNote };
    }
  }
  const software = softwareWebgl();
  for (const backend of software ? ['webgpu', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu']) {
    try {
      const info = await choose(backend);
      return {
        info,
        note:
          software && !info.gpu
            ? `WebGL here is software (${software.match(/swiftshader|llvmpipe|software/i)?.[0]}), slower than wasm`
            : '',
        threadNote,
      };
    } catch {
      // Not available here: try the next one.
    }
  }
  throw new Error('no TensorFlow.js backend could be started');
}

/** "wasm (SIMD, 2 threads)", "webgl (GPU)", "cpu (1 thread)": what computes, and on how many threads. */
function describeBackend(info: BackendInfo, threadNote: string): string {
  if (info.gpu) return `${info.name} (GPU)`;
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  const why = info.name === 'wasm' && info.threads === 1 && threadNote ? `: ${threadNote}` : '';
  return `${info.name} (${info.simd ? 'SIMD, ' : ''}${threads}${why})`;
}

/** Runs one panel's set-up; a failure shows in that panel only. */
async function panel(id: string, setUp: () => Promise<unknown>): Promise<void> {
  const section = byId<HTMLElement>(id);
  try {
    await setUp();
    section.dataset.state = 'ready';
  } catch (error) {
    section.dataset.state = 'failed';
    showMessage(byId<HTMLElement>(`${id}-status`), `Could not load: ${describeError(error)}`, 'error');
  }
}

async function main(): Promise<void> {
  const status = byId<HTMLElement>('status');
  status.textContent = 'starting TensorFlow.js…';
  const { info: backend, note, threadNote } = await startBackend();
  const projector = new Projector();
  setUpDataPanel(projector);
  // The page's console and test API: the backend, the projector, and the dense math on the active backend.
  Object.assign(globalThis, {
    wordloom: {
      backend,
      projector,
      tf,
      similarityMatrix: (words: string[]) => similarityMatrix(projector.vectors!, words),
      pcaCoordinates: async (components: number) => {
        const v = projector.vectors!;
        const fit = pca({ data: v.vectors, rows: v.size, cols: v.dim }, { components });
        try {
          return Array.from(await fit.projected.data());
        } finally {
          fit.dispose();
        }
      },
      setBackend: (name: string) => choose(name),
    },
  });
  let data: WebData | null = null;
  try {
    data = await WebData.load();
  } catch (error) {
    showMessage(
      status,
      `No tour output to show (open your own vectors below): ${describeError(error)}`,
      'error',
    );
  }
  if (data) {
    const tour = data;
    await Promise.all([
      panel('projector', async () => projector.show(await loadTourDataset(tour))),
      panel('search', () => setUpSearch(tour)),
      panel('complete', () => setUpCompletion(tour)),
      panel('draw', () => setUpDrawPad(tour)),
    ]);
  } else byId<HTMLElement>('projector').dataset.state = 'ready';
  const isolated = globalThis.crossOriginIsolated ? ', cross-origin isolated' : '';
  const text = `TensorFlow.js ${tf.version_core} on ${describeBackend(backend, threadNote)}${isolated}${note ? ` — ${note}` : ''}`;
  if (data) status.textContent = text;
  else status.append(` — ${text}`);
  status.dataset.backend = backend.name;
  status.dataset.threads = String(backend.threads);
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  showMessage(byId<HTMLElement>('status'), describeError(error), 'error');
});
