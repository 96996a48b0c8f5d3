import { Random } from '@wordloom/core';
import type { CooccurrenceMatrix } from '../train/cooccurrence/cooccurrence-matrix.js';
import {
  checkGloveDivergence,
  type GloveOptions,
  type GloveResult,
  gloveResult,
  prepareGlove,
  resolveGloveOptions,
  trainGlove as trainGloveSingle,
} from '../train/glove/train-glove.js';
import { WorkerPool } from './run-workers.js';

/** Options of the Node GloVe trainer (same as the browser-safe one; `threads` may exceed 1). */
export type NodeGloveOptions = GloveOptions;

/**
 * GloVe with `threads` worker threads sharing the parameters (Hogwild over contiguous shares of the
 * shuffled co-occurrences, as Stanford glove.c's pthreads). `threads: 1` runs on the calling thread.
 */
export async function trainGlove(
  matrix: CooccurrenceMatrix,
  options: NodeGloveOptions = {},
): Promise<GloveResult> {
  const o = resolveGloveOptions(options, 'trainGlove');
  if (o.threads === 1) return trainGloveSingle(matrix, options);
  const start = performance.now();
  const state = prepareGlove(matrix, o, (n) => new SharedArrayBuffer(n), true);
  const nnz = state.values.length;
  const seeds = new Random(o.seed ^ 0x9e3779b9);
  const pool = new WorkerPool(
    Array.from({ length: o.threads }, (_, t) => ({
      kind: 'glove' as const,
      state,
      from: Math.floor((nnz * t) / o.threads),
      to: Math.floor((nnz * (t + 1)) / o.threads),
      seed: seeds.nextUint32(),
      learningRate: o.learningRate,
    })),
  );
  const costs: number[] = [];
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const t0 = performance.now();
      const r = await pool.epoch(epoch, undefined, o.signal);
      checkGloveDivergence(state, epoch, r.loss);
      costs.push(r.loss);
      o.onEpoch?.({
        epoch: epoch + 1,
        epochs: o.epochs,
        loss: r.loss,
        entryCost: r.loss / (2 * nnz),
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    await pool.close();
  }
  return gloveResult(matrix, state, o, costs, (performance.now() - start) / 1000);
}
