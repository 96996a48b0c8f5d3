import { assertInteger, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { assertKnownOptions } from '../../validate-options.js';
import type { SentenceSource } from '../word2vec-engine/corpus-scan.js';
import { CooccurrenceMatrix } from './cooccurrence-matrix.js';
import { GrowableMemory } from './growable-memory.js';
import { BOUNDARY, scanTokens } from './scan-tokens.js';

/** Options of {@link buildCooccurrence}. */
export interface CooccurrenceOptions {
  /** Context words up to this distance count (Listing 4-1c uses 1, adjacent words). @default 1 */
  window?: number;
  /**
   * `'uniform'` adds 1 per co-occurrence; `'harmonic'` adds 1/k for words k apart (the chapter's
   * distance weighting, also Stanford GloVe's).
   * @default 'uniform'
   */
  weighting?: 'uniform' | 'harmonic';
  /**
   * Count each pair in both buckets c(w₁/w₂) and c(w₂/w₁) (the chapter's symmetric matrix). When false,
   * X[w][c] counts only contexts c to the left of w.
   * @default true
   */
  symmetric?: boolean;
  /** Words seen fewer times are dropped before counting. @default 1 */
  minCount?: number;
}

/** The names of {@link CooccurrenceOptions}. */
export const COOCCURRENCE_OPTIONS = ['window', 'weighting', 'symmetric', 'minCount'] as const;

/**
 * Counts windowed co-occurrences into a sparse matrix (the chapter's "global co-occurrence statistics",
 * Listing 4-1c and Fig 4-7). Words are ordered by corpus frequency. The corpus is streamed once.
 */
export async function buildCooccurrence(
  corpus: SentenceSource,
  options: CooccurrenceOptions = {},
): Promise<CooccurrenceMatrix> {
  const fn = 'buildCooccurrence';
  assertKnownOptions(options, COOCCURRENCE_OPTIONS, fn);
  let values = new Float64Array(0);
  let cols: Int32Array | Uint16Array = new Int32Array(0);
  // The corpus and its index live in a scratch memory dropped with the counting.
  const scratch = GrowableMemory.create(false) as GrowableMemory;
  const { words, counts, rowPtr } = await countCooccurrence(corpus, options, fn, scratch, 0, (nnz, v) => {
    cols = v <= 65536 ? new Uint16Array(nnz) : new Int32Array(nnz);
    values = new Float64Array(nnz);
    const out = values;
    return {
      cols,
      value: (p, x) => {
        out[p] = x;
      },
    };
  });
  return new CooccurrenceMatrix(words, counts, rowPtr, cols, values);
}

/**
 * Where {@link countCooccurrence} writes the matrix, given once the size is known: the column of entry p
 * (CSR order, columns sorted within a row) into `cols[p]`, its row into `rows[p]` when given, and its
 * value by `value(p, x)`, called for p = 0, 1, … in order.
 */
export interface CooccurrenceSink {
  cols: Int32Array | Uint16Array;
  rows?: Int32Array | Uint16Array;
  value(p: number, x: number): void;
}

/**
 * {@link buildCooccurrence} into the caller's arrays (GloVe counts straight into its kernel's memory):
 * validates the values of `options` for `fn` (not their names: the caller's option bag may hold more),
 * scans the corpus into `memory` from byte `at` (the ids, then the index of every word's positions:
 * about 8 bytes per token), sizes every row, then asks `sink(nonZeros, words, scratchEnd)` for the
 * arrays and fills them; the sink may grow `memory` and place them from `scratchEnd`, the first byte
 * the counting does not use. Returns the vocabulary and the row pointers.
 */
export async function countCooccurrence(
  corpus: SentenceSource,
  options: CooccurrenceOptions,
  fn: string,
  memory: GrowableMemory,
  at: number,
  sink: (nonZeros: number, words: number, scratchEnd: number) => CooccurrenceSink,
): Promise<{ words: string[]; counts: Int32Array; rowPtr: Int32Array }> {
  const window = options.window ?? 1;
  const weighting = options.weighting ?? 'uniform';
  const symmetric = options.symmetric ?? true;
  const minCount = options.minCount ?? 1;
  assertInteger(window, 'window', fn, 1);
  assertOneOf(weighting, ['uniform', 'harmonic'], 'weighting', fn);
  if (typeof symmetric !== 'boolean') throw new InvalidArgumentError('symmetric', fn, 'a boolean', symmetric);
  assertInteger(minCount, 'minCount', fn, 1);
  const { words, counts, length, tokens } = await scanTokens(corpus, minCount, fn, memory, at);
  const v = words.length;
  if (v >= 2097152)
    throw new InvalidArgumentError(
      'minCount',
      fn,
      'large enough to keep fewer than 2,097,152 words',
      minCount,
    );
  const corpusAt = { memory, at, length, tokens, fn };
  const rowPtr = countRows(corpusAt, v, window, weighting === 'harmonic', symmetric, sink);
  return { words, counts, rowPtr };
}

/**
 * Counts the matrix row by row, straight into CSR: for word i, its occurrences (a counting-sort index of
 * positions, 4 bytes per token, placed after the tokens) are visited with a dense accumulator over the
 * vocabulary, so the memory is the corpus twice plus the matrix itself — a hash table of pairs needed
 * several times the matrix. A first pass sizes every row, the second fills it; the sink says where the
 * columns and values go.
 *
 * Every X[i][j] is summed in the order the corpus scan meets its contributions (by the position of the
 * later word, then by distance k, the pair (w, c) before (c, w)), so the values do not depend on the
 * method: at position q, w = token q and c = token q − k add x_k to X[w][c] and, when symmetric, to X[c][w].
 */
function countRows(
  corpus: { memory: GrowableMemory; at: number; length: number; tokens: number; fn: string },
  v: number,
  window: number,
  harmonic: boolean,
  symmetric: boolean,
  sink: (nonZeros: number, words: number, scratchEnd: number) => CooccurrenceSink,
): Int32Array {
  const { memory, at, length, fn } = corpus;
  const n = corpus.tokens;
  const occAt = Math.ceil((at + 4 * length) / 64) * 64;
  const scratchEnd = occAt + 4 * n;
  memory.ensure(scratchEnd, fn);
  // Views of the scratch, made again after the sink has grown the memory (an unshared one detaches them).
  let tokens = new Int32Array(memory.buffer, at, length);
  let occ = new Int32Array(memory.buffer, occAt, n);
  // Positions of every word's occurrences, in corpus order (counting sort; the boundaries are no word).
  const occStart = new Int32Array(v + 1);
  // A boundary (id −1) counts into occStart[0], which is reset.
  for (let p = 0; p < length; p++) occStart[tokens[p] + 1]++;
  occStart[0] = 0;
  for (let i = 0; i < v; i++) occStart[i + 1] += occStart[i];
  const fill = occStart.slice(0, v);
  for (let p = 0; p < length; p++) if (tokens[p] !== BOUNDARY) occ[fill[tokens[p]]++] = p;
  const weight = new Float64Array(window + 1);
  for (let k = 1; k <= window; k++) weight[k] = harmonic ? 1 / k : 1;

  // Row i's contributions, in scan order: for each position q (ascending) that is an occurrence of i or
  // within `window` after one in its sentence, and each k, (a) i at q with context q − k, (b) i at q − k
  // with word q. A boundary stops both the positions and the contexts.
  const visit = (i: number, add: (j: number, x: number) => void) => {
    let next = 0;
    for (let o = occStart[i]; o < occStart[i + 1]; o++) {
      const p = occ[o];
      for (let q = Math.max(p, next); q <= p + window; q++) {
        const w = tokens[q];
        if (w === BOUNDARY) break;
        for (let k = 1; k <= window; k++) {
          const c = tokens[q - k];
          if (c === BOUNDARY) break;
          if (w === i) add(c, weight[k]);
          if (symmetric && c === i) add(w, weight[k]);
        }
        next = q + 1;
      }
    }
  };
  // Pass 1: the size of every row (distinct columns, marked with the row's stamp).
  const mark = new Int32Array(v).fill(-1);
  const rowPtr = new Int32Array(v + 1);
  let nnz = 0;
  let row = 0;
  const count = (j: number) => {
    if (mark[j] !== row) {
      mark[j] = row;
      nnz++;
    }
  };
  for (row = 0; row < v; row++) {
    visit(row, count);
    rowPtr[row + 1] = nnz;
  }
  // Pass 2: sums into a dense accumulator, then the row's columns sorted into place.
  const { cols, rows, value } = sink(nnz, v, scratchEnd);
  tokens = new Int32Array(memory.buffer, at, length);
  occ = new Int32Array(memory.buffer, occAt, n);
  const acc = new Float64Array(v);
  mark.fill(-1);
  let end = 0;
  const add = (j: number, x: number) => {
    if (mark[j] !== row) {
      mark[j] = row;
      acc[j] = x;
      cols[end++] = j;
    } else acc[j] += x;
  };
  for (row = 0; row < v; row++) {
    end = rowPtr[row];
    visit(row, add);
    const slice = cols.subarray(rowPtr[row], end);
    slice.sort();
    for (let p = rowPtr[row]; p < end; p++) value(p, acc[cols[p]]);
    if (rows) rows.fill(row, rowPtr[row], end);
  }
  return rowPtr;
}
