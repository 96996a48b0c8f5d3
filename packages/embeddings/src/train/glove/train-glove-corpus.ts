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
 * (a word, a context and the index of its X: 6 bytes each, packed, for the compiled kernel when the three
 * fit in 48 bits — 15,923 words and 94,461 values on Gutenberg do — else 8 up to 65,536 words), then
 * log X and h(X) once per distinct X. So no `CooccurrenceMatrix` is held beside the training state and no JS array the size
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
      // The entries' value indices and columns, after the scratch (and the parameters); the rows come
      // once the values are counted (packed into the other two when they fit).
      const l = gloveLayout(v, o.dim, nnz, 0, slots, end);
      memory.ensure(l.cols + (l.wide ? 4 : 2) * nnz, fn);
      const buffer = memory.buffer;
      const values = new Uint32Array(buffer, l.values, nnz);
      return {
        cols: l.wide ? new Int32Array(buffer, l.cols, nnz) : new Uint16Array(buffer, l.cols, nnz),
        value: (p, x) => {
          values[p] = table.add(x);
        },
      };
    },
  );
  const v = words.length;
  const nnz = rowPtr[v];
  // i, j and the value index in 48 bits: 6 bytes per entry instead of 8 (the compiled kernel unpacks).
  const b = Math.max(1, bitsFor(v));
  const packed = compiled && v <= 65536 && 2 * b + bitsFor(table.count) <= 48 ? b : 0;
  const layout = gloveLayout(v, o.dim, nnz, table.count, slots, scratchEnd, packed);
  memory.ensure(layout.end, fn);
  const arrays = viewGlove(memory.buffer, layout, compiled ? memory.memory : null);
  const values = arrays.values as Uint32Array;
  const order = rankByFrequency(values, table.count);
  for (let r = 0; r < table.count; r++) arrays.logs[r] = table.values[order[r]];
  logX(arrays.logs, arrays.weights, table.count, o);
  if (packed) pack(arrays.cols as Uint16Array, values, rowPtr, packed);
  else for (let i = 0; i < v; i++) arrays.rows.fill(i, rowPtr[i], rowPtr[i + 1]);
  return { words, counts, state: finishGlove(arrays, o), layout, scratchEnd };
}

/** Bits that hold 0 … n − 1. */
function bitsFor(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

/**
 * Packs entry p of row i — column `hi[p]` and value index `lo[p]` on entry — as i + 2ᵇ·j + 2²ᵇ·v: the low
 * 32 bits into `lo[p]`, the high 16 into `hi[p]` (2b + the bits of v ≤ 48; b ≤ 16).
 */
function pack(hi: Uint16Array, lo: Uint32Array, rowPtr: Int32Array, b: number): void {
  for (let i = 0; i < rowPtr.length - 1; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = hi[p];
      const v = lo[p];
      // JavaScript shifts by the count mod 32: 2b = 32 leaves v whole for the high half.
      if (2 * b === 32) {
        lo[p] = (i | (j << 16)) >>> 0;
        hi[p] = v;
      } else {
        lo[p] = (i | (j << b) | (v << (2 * b))) >>> 0;
        hi[p] = v >>> (32 - 2 * b);
      }
    }
}
