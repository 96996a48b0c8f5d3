import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe } from 'vitest';
import type { BackendName } from '../backend-names.js';
import { selectBackend } from '../select-backend.js';

/** Backends every numeric suite runs on. */
export const TEST_BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

/**
 * Runs a vitest suite once per backend (`cpu` and `wasm`), like tfjs-core's `describeWithFlags`.
 * The backend is selected before the suite's tests; `body` receives its name.
 */
export function describeEachBackend(
  name: string,
  body: (backend: BackendName) => void,
  backends: readonly BackendName[] = TEST_BACKENDS,
): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await selectBackend({ backend });
        if (tf.getBackend() !== backend)
          throw new Error(`expected backend ${backend}, got ${tf.getBackend()}`);
      });
      body(backend);
    });
  }
}
