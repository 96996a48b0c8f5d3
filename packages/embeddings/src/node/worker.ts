// Worker-thread entry of the Hogwild trainers: shares the weights with the main thread through
// SharedArrayBuffers and trains its slice of the work on every `epoch` message.
import { parentPort, workerData } from 'node:worker_threads';
import type { GloveState } from '../train/glove/glove-kernel.js';
import { gloveRunner } from '../train/glove/glove-runner.js';
import type { EngineState } from '../train/word2vec-engine/kernel.js';
import { createRunner } from '../train/word2vec-engine/runner.js';

/** First message a worker receives (as `workerData`). */
export type WorkerInit =
  | {
      kind: 'word2vec';
      state: EngineState;
      thread: number;
      from: number;
      to: number;
      seed: number;
      alpha: number;
      minAlpha: number;
      epochs: number;
    }
  | { kind: 'glove'; state: GloveState; from: number; to: number; seed: number; learningRate: number };

/** Messages from a worker. */
export type WorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'epoch'; loss: number; pairs: number };

const init = workerData as WorkerInit;
const port = parentPort!;

if (init.kind === 'word2vec') {
  const { state, from, to } = init;
  const run = createRunner(state, init.thread, true);
  let rng = init.seed | 1;
  const total = state.starts[to] - state.starts[from] || 1;
  const rate = (p: number) => init.alpha - (init.alpha - init.minAlpha) * Math.min(1, p);
  port.on('message', ({ epoch }: { epoch: number }) => {
    let loss = 0;
    let pairs = 0;
    let s = from;
    while (s < to) {
      let e = s + 1;
      while (e < to && state.starts[e] - state.starts[s] < 50_000) e++;
      const p0 = (epoch + (state.starts[s] - state.starts[from]) / total) / init.epochs;
      const p1 = (epoch + (state.starts[e] - state.starts[from]) / total) / init.epochs;
      const r = run(s, e, rate(p0), rate(p1), rng);
      rng = r.rng;
      loss += r.loss;
      pairs += r.pairs;
      s = e;
      port.postMessage({
        type: 'progress',
        done: (state.starts[s] - state.starts[from]) / total,
      } satisfies WorkerMessage);
    }
    port.postMessage({ type: 'epoch', loss, pairs } satisfies WorkerMessage);
  });
} else {
  const { state, from, to } = init;
  const run = gloveRunner(state, true);
  port.on('message', () => {
    const cost = run(from, to, init.learningRate);
    port.postMessage({ type: 'epoch', loss: cost, pairs: to - from } satisfies WorkerMessage);
  });
}
