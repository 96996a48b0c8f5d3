import { InvalidArgumentError } from '@wordloom/core';
import { type CooccurrenceOptions, countCooccurrence } from '../cooccurrence/build-cooccurrence.js';
import type { SentenceSource } from '../word2vec-engine/corpus-scan.js';
import { DistinctValues } from './distinct-values.js';
import type { GloveArrays } from './glove-memory.js';
import {
  allocateGloveState,
  finishGlove,
  type GloveOptions,
  type GloveResult,
  gloveResult,
  logX,
  resolveGloveOptions,
  runGloveEpochs,
} from './train-glove.js';

/** Options of {@link trainGloveOnCorpus}: the counting's and the training's. */
export interface GloveCorpusOptions extends CooccurrenceOptions, GloveOptions {}

const COUNTING_OPTIONS = ['window', 'weighting', 'symmetric', 'minCount'] as const;

/**
 * Counts co-occurrences and trains GloVe on them — `trainGlove(await buildCooccurrence(corpus, …), …)`
 * with the same results bit for bit, in less memory: the counts go straight into the kernel's memory (an
 * entry's word, context and the index of its X; log X and h(X) once per distinct X), so no
 * `CooccurrenceMatrix` is held beside the training state (on Gutenberg, 5,050,829 co-occurrences:
 * about 48 MiB less at the peak). The defaults are each function's (window 1, `'uniform'`: pass
 * Stanford's `window: 10, weighting: 'harmonic'` to train as glove.c). Use the two calls when the
 * matrix itself is wanted (several trainings, SVD, `gloveCost`). `seconds` counts the counting too.
 */
export async function trainGloveOnCorpus(
  corpus: SentenceSource,
  options: GloveCorpusOptions = {},
): Promise<GloveResult> {
  const fn = 'trainGloveOnCorpus';
  const o = resolveGloveOptions(options, fn, COUNTING_OPTIONS);
  const counting: CooccurrenceOptions = {
    window: options.window,
    weighting: options.weighting,
    symmetric: options.symmetric,
    minCount: options.minCount,
  };
  o.signal?.throwIfAborted();
  const start = performance.now();
  const made: { arrays?: GloveArrays; table?: DistinctValues } = {};
  const { words, counts } = await countCooccurrence(corpus, counting, fn, (nnz, v) => {
    if (nnz === 0)
      throw new InvalidArgumentError(
        'corpus',
        fn,
        'a corpus with co-occurrences (two words within the window)',
      );
    // Room for log X and h(X) of every entry: only the distinct values' pages are ever touched.
    const arrays = allocateGloveState(v, nnz, nnz, o);
    const values = arrays.values as Uint32Array;
    const table = new DistinctValues(arrays.logs);
    made.arrays = arrays;
    made.table = table;
    return {
      cols: arrays.cols,
      rows: arrays.rows,
      value: (p, x) => {
        values[p] = table.add(x);
      },
    };
  });
  const { arrays, table } = made;
  if (!arrays || !table) throw new Error('unreachable: countCooccurrence did not size the matrix');
  logX(arrays.logs, arrays.weights, table.count, o);
  const state = finishGlove(arrays, o);
  const costs = await runGloveEpochs(state, o);
  return gloveResult(words, counts, state, o, costs, (performance.now() - start) / 1000);
}
