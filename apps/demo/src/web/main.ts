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

/**
 * The fastest backend that starts here — webgpu → webgl → wasm (its .wasm files are served from the
 * page's own `wasm/` folder) → cpu — or the one named by `#backend=` in the URL. WebGL on a software
 * rasteriser (headless browsers, machines without a GPU) is slower than wasm, so it is skipped unless asked for.
 */
async function startBackend(): Promise<{ info: BackendInfo; note: string }> {
  // Cross-origin isolated, the wasm backend would pick its threaded build, which spawns pthread workers
  // from blob: scripts: the CSP forbids those (and the bundled build cannot re-import itself there).
  await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const asked = parseState(location.hash).backend;
  if (asked) {
    try {
      return {
        info: await selectBackend({ backend: asked, wasmPaths: wasmPaths() }),
        note: 'as the URL asks',
      };
    } catch (error) {
      const info = await selectBackend({ backend: 'wasm', wasmPaths: wasmPaths() });
      return { info, note: `${asked} did not start: ${describeError(error)}` };
    }
  }
  const software = softwareWebgl();
  for (const backend of software ? ['webgpu', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu']) {
    try {
      const info = await selectBackend({ backend, wasmPaths: wasmPaths() });
      return {
        info,
        note:
          software && !info.gpu
            ? `WebGL here is software (${software.match(/swiftshader|llvmpipe|software/i)?.[0]}), slower than wasm`
            : '',
      };
    } catch {
      // Not available here: try the next one.
    }
  }
  throw new Error('no TensorFlow.js backend could be started');
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
  const { info: backend, note } = await startBackend();
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
      setBackend: (name: string) => selectBackend({ backend: name, wasmPaths: wasmPaths() }),
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
  const gpu = backend.gpu ? ' (GPU)' : backend.simd ? ' (SIMD)' : '';
  const isolated = globalThis.crossOriginIsolated ? ', cross-origin isolated' : '';
  const text = `TensorFlow.js ${tf.version_core} on ${backend.name}${gpu}${isolated}${note ? ` — ${note}` : ''}`;
  if (data) status.textContent = text;
  else status.append(` — ${text}`);
  status.dataset.backend = backend.name;
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  showMessage(byId<HTMLElement>('status'), describeError(error), 'error');
});
