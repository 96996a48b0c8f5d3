import { InvalidArgumentError } from '@wordloom/core';
import {
  COOCCURRENCE_OPTIONS,
  type CooccurrenceOptions,
  countCooccurrence,
} from '../cooccurrence/build-cooccurrence.js';
import { GrowableMemory } from '../cooccurrence/growable-memory.js';
import type { SentenceSource } from '../word2vec-engine/corpus-scan.js';
import { DistinctValues, rankByFrequency } from './distinct-values.js';
import type { GloveState } from './glove-kernel.js';
import { type GloveLayout, gloveLayout, gloveParametersAt, viewGlove } from './glove-memory.js';
import {
  finishGlove,
  type GloveOptions,
  type GloveResult,
  gloveResult,
  logX,
  type ResolvedGloveOptions,
  resolveGloveOptions,
  runGloveEpochs,
  usesCompiledGlove,
} from './train-glove.js';

/** Options of {@link trainGloveOnCorpus}: the counting's and the training's. */
export interface GloveCorpusOptions extends CooccurrenceOptions, GloveOptions {}

/**
 * Counts co-occurrences and trains GloVe on them — `trainGlove(await buildCooccurrence(corpus, …), …)`
 * with the same results bit for bit, in less memory: everything large lives in the kernel's memory,
 * which grows in place as the counting goes. The corpus (4 bytes per token) and the index of every
 * word's positions (4 more) are written where W, W̃ and their AdaGrad sums will be; the entries follow
 * (a word, a context and the index of its X: 8 bytes each up to 65,536 words), then log X and h(X) once
 * per distinct X. So no `CooccurrenceMatrix` is held beside the training state and no JS array the size
 * of the corpus waits for a collection. The defaults are each function's (window 1, `'uniform'`: pass
 * Stanford's `window: 10, weighting: 'harmonic'` to train as glove.c). Use the two calls when the
 * matrix itself is wanted (several trainings, SVD, `gloveCost`). `seconds` counts the counting too.
 */
export async function trainGloveOnCorpus(
  corpus: SentenceSource,
  options: GloveCorpusOptions = {},
): Promise<GloveResult> {
  const o = resolveGloveOptions(options, 'trainGloveOnCorpus', COOCCURRENCE_OPTIONS);
  o.signal?.throwIfAborted();
  const start = performance.now();
  const { words, counts, state } = await countGloveState(corpus, options, o);
  const costs = await runGloveEpochs(state, o);
  return gloveResult(words, counts, state, o, costs, (performance.now() - start) / 1000);
}

/**
 * The counting of {@link trainGloveOnCorpus} up to the initial state (shuffled entries, initial
 * parameters), with the layout it ended in (`scratchEnd`: the first byte after the counting's scratch,
 * which the parameters overwrite).
 */
export async function countGloveState(
  corpus: SentenceSource,
  options: CooccurrenceOptions,
  o: ResolvedGloveOptions,
): Promise<{
  words: string[];
  counts: Int32Array;
  state: GloveState;
  layout: GloveLayout;
  scratchEnd: number;
}> {
  const fn = 'trainGloveOnCorpus';
  const counting: CooccurrenceOptions = {
    window: options.window,
    weighting: options.weighting,
    symmetric: options.symmetric,
    minCount: options.minCount,
  };
  const compiled = usesCompiledGlove(o);
  const shared = compiled && o.threads > 1 ? GrowableMemory.create(true) : null;
  const memory = shared ?? (GrowableMemory.create(false) as GrowableMemory);
  const slots = shared ? o.threads : 1;
  // The values of X as they come, in the JS heap (a corpus has few: 94,461 on Gutenberg).
  const table = new DistinctValues(new Float64Array(1024), Number.POSITIVE_INFINITY);
  let scratchEnd = 0;
  const { words, counts, rowPtr } = await countCooccurrence(
    corpus,
    counting,
    fn,
    memory,
    gloveParametersAt(slots),
    (nnz, v, end) => {
      if (nnz === 0)
        throw new InvalidArgumentError(
          'corpus',
          fn,
          'a corpus with co-occurrences (two words within the window)',
        );
      scratchEnd = end;
      // The entries, after the scratch (and the parameters); the values of X come once counted.
      const l = gloveLayout(v, o.dim, nnz, 0, slots, end);
      memory.ensure(l.values + 4 * nnz, fn);
      const buffer = memory.buffer;
      const index = (at: number) =>
        l.wide ? new Int32Array(buffer, at, nnz) : new Uint16Array(buffer, at, nnz);
      const values = new Uint32Array(buffer, l.values, nnz);
      return {
        cols: index(l.cols),
        rows: index(l.rows),
        value: (p, x) => {
          values[p] = table.add(x);
        },
      };
    },
  );
  const nnz = rowPtr[words.length];
  const layout = gloveLayout(words.length, o.dim, nnz, table.count, slots, scratchEnd);
  memory.ensure(layout.end, fn);
  const arrays = viewGlove(memory.buffer, layout, compiled ? memory.memory : null);
  const values = arrays.values as Uint32Array;
  const order = rankByFrequency(values, table.count);
  for (let r = 0; r < table.count; r++) arrays.logs[r] = table.values[order[r]];
  logX(arrays.logs, arrays.weights, table.count, o);
  return { words, counts, state: finishGlove(arrays, o), layout, scratchEnd };
}
