import { WordloomError } from '@wordloom/core';
import { type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import type { TsneResult } from '../tsne/tsne.js';
import type { MessageEndpoint, TsneWorkerOptions, TsneWorkerResponse } from './protocol.js';

/** Options of {@link runTsneInWorker}. */
export interface RunTsneInWorkerOptions extends TsneWorkerOptions {
  /** Progress from the worker (a copy of the embedding every `progressEvery` steps); return `false` to stop. */
  onProgress?: (progress: {
    iteration: number;
    iterations: number;
    kl: number;
    embedding: Float64Array;
  }) => unknown;
  /** Asks the worker to stop; the promise then resolves with the embedding reached. */
  signal?: AbortSignal;
}

let nextId = 1;

/**
 * Runs `tsne` (from `@wordloom/viz`) in a worker that called `serveTsne`, off the page's main thread. Resolves with the
 * worker's {@link TsneResult}; rejects with a `WordloomError` carrying the worker's message if it failed.
 */
export function runTsneInWorker(
  worker: MessageEndpoint,
  input: MatrixInput,
  options: RunTsneInWorkerOptions = {},
): Promise<TsneResult> {
  const matrix = toDenseMatrix(input, 'input', 'runTsneInWorker');
  const { onProgress, signal, ...workerOptions } = options;
  const id = nextId++;
  return new Promise<TsneResult>((resolve, reject) => {
    const stop = () => worker.postMessage({ type: 'tsne:stop', id });
    const listener = (event: { data: unknown }) => {
      const message = event.data as TsneWorkerResponse;
      if (message?.id !== id) return;
      if (message.type === 'tsne:progress') {
        if (onProgress?.(message) === false) stop();
        return;
      }
      worker.removeEventListener('message', listener);
      signal?.removeEventListener('abort', stop);
      if (message.type === 'tsne:done') resolve(message.result);
      else {
        const error = new WordloomError(message.message);
        error.name = message.name;
        reject(error);
      }
    };
    worker.addEventListener('message', listener);
    worker.start?.();
    signal?.addEventListener('abort', stop, { once: true });
    worker.postMessage({ type: 'tsne:run', id, input: matrix, options: workerOptions }, [matrix.data.buffer]);
    if (signal?.aborted) stop();
  });
}
