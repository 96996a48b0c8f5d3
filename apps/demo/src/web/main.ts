import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, selectBackend } from '@wordloom/backend';
import { setUpCompletion } from './completion-panel.js';
import { byId, describeError, showMessage } from './dom.js';
import { setUpDrawPad } from './draw-pad.js';
import { setUpProjector } from './projector-panel.js';
import { setUpSearch } from './search-panel.js';
import { WebData } from './web-data-client.js';

/** wasm (its .wasm files are served from the page's own `wasm/` folder), else cpu. */
async function startBackend(): Promise<BackendInfo> {
  try {
    return await selectBackend({ backend: 'wasm', wasmPaths: new URL('wasm/', document.baseURI).href });
  } catch {
    return selectBackend({ backend: 'cpu' });
  }
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
  const backend = await startBackend();
  let data: WebData;
  try {
    data = await WebData.load();
  } catch (error) {
    showMessage(status, `No tour output to show: ${describeError(error)}`, 'error');
    return;
  }
  await Promise.all([
    panel('projector', () => setUpProjector(data)),
    panel('search', () => setUpSearch(data)),
    panel('complete', () => setUpCompletion(data)),
    panel('draw', () => setUpDrawPad(data)),
  ]);
  status.textContent = `TensorFlow.js ${tf.version_core} on ${backend.name}${backend.simd ? ' (SIMD)' : ''}`;
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  showMessage(byId<HTMLElement>('status'), describeError(error), 'error');
});
