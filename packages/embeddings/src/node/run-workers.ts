import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerMessage } from './worker.js';

/** Worker script, shipped beside this module in dist (located at run time, not bundled). */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/** A pool of Hogwild workers, one per slice of the work. */
export class WorkerPool {
  private readonly workers: Worker[];
  private failure: unknown;

  constructor(inits: WorkerInit[]) {
    this.workers = inits.map((init) => new Worker(WORKER_URL, { workerData: init }));
    for (const w of this.workers)
      w.on('error', (e) => {
        this.failure ??= e;
      });
  }

  /**
   * Runs one epoch on every worker; `onProgress` receives the mean fraction done. Resolves with the
   * summed loss and pair counts; rejects with the signal's reason after terminating the workers.
   */
  async epoch(
    epoch: number,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<{ loss: number; pairs: number }> {
    const done = new Float64Array(this.workers.length);
    const results = await Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<{ loss: number; pairs: number }>((resolve, reject) => {
            const onAbort = () => reject(signal?.reason ?? new Error('aborted'));
            signal?.addEventListener('abort', onAbort, { once: true });
            const onMessage = (m: WorkerMessage) => {
              if (m.type === 'progress') {
                done[i] = m.done;
                onProgress?.(done.reduce((a, b) => a + b, 0) / done.length);
              } else {
                w.off('message', onMessage);
                w.off('error', reject);
                signal?.removeEventListener('abort', onAbort);
                resolve(m);
              }
            };
            if (this.failure) return reject(this.failure);
            w.on('message', onMessage);
            w.once('error', reject);
            w.postMessage({ epoch });
          }),
      ),
    );
    return { loss: results.reduce((a, r) => a + r.loss, 0), pairs: results.reduce((a, r) => a + r.pairs, 0) };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
