import { assertInteger, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import type { SentenceSource } from '../word2vec-engine/corpus-scan.js';
import { scanCorpus } from '../word2vec-engine/corpus-scan.js';
import { CooccurrenceMatrix } from './cooccurrence-matrix.js';

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

/**
 * Counts windowed co-occurrences into a sparse matrix (the chapter's "global co-occurrence statistics",
 * Listing 4-1c and Fig 4-7). Words are ordered by corpus frequency. The corpus is streamed once.
 */
export async function buildCooccurrence(
  corpus: SentenceSource,
  options: CooccurrenceOptions = {},
): Promise<CooccurrenceMatrix> {
  const window = options.window ?? 1;
  const weighting = options.weighting ?? 'uniform';
  const symmetric = options.symmetric ?? true;
  const minCount = options.minCount ?? 1;
  assertInteger(window, 'window', 'buildCooccurrence', 1);
  assertOneOf(weighting, ['uniform', 'harmonic'], 'weighting', 'buildCooccurrence');
  assertInteger(minCount, 'minCount', 'buildCooccurrence', 1);
  const { words, counts, tokens, starts } = await scanCorpus(
    corpus,
    minCount,
    undefined,
    'buildCooccurrence',
  );
  const v = words.length;
  if (v >= 2097152)
    throw new InvalidArgumentError(
      'minCount',
      'buildCooccurrence',
      'large enough to keep fewer than 2,097,152 words',
      minCount,
    );
  const table = new PairTable();
  for (let s = 0; s + 1 < starts.length; s++) {
    for (let t = starts[s]; t < starts[s + 1]; t++) {
      const w = tokens[t];
      for (let k = 1; k <= window && t - k >= starts[s]; k++) {
        const c = tokens[t - k];
        const x = weighting === 'harmonic' ? 1 / k : 1;
        table.add(w, c, x);
        if (symmetric) table.add(c, w, x);
      }
    }
  }
  const { rowPtr, cols, values } = table.toCsr(v);
  return new CooccurrenceMatrix(words, counts, rowPtr, cols, values);
}

/**
 * Open-addressing hash table of (row, column) → weight in typed arrays: ~20 bytes per non-zero and no
 * per-entry objects (a Map per row costs several times that on large corpora).
 */
class PairTable {
  private rows = new Int32Array(1 << 16).fill(-1);
  private cols = new Int32Array(1 << 16);
  private values = new Float64Array(1 << 16);
  private size = 0;

  add(i: number, j: number, x: number): void {
    let mask = this.rows.length - 1;
    if (this.size * 2 >= this.rows.length) {
      this.grow();
      mask = this.rows.length - 1;
    }
    let h = (Math.imul(i, 0x9e3779b1) ^ Math.imul(j, 0x85ebca6b)) & mask;
    for (;;) {
      const r = this.rows[h];
      if (r === -1) {
        this.rows[h] = i;
        this.cols[h] = j;
        this.values[h] = x;
        this.size++;
        return;
      }
      if (r === i && this.cols[h] === j) {
        this.values[h] += x;
        return;
      }
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const { rows, cols, values } = this;
    this.rows = new Int32Array(rows.length * 2).fill(-1);
    this.cols = new Int32Array(rows.length * 2);
    this.values = new Float64Array(rows.length * 2);
    this.size = 0;
    for (let h = 0; h < rows.length; h++) if (rows[h] !== -1) this.add(rows[h], cols[h], values[h]);
  }

  /** CSR with the columns of every row sorted. */
  toCsr(v: number): { rowPtr: Int32Array; cols: Int32Array; values: Float64Array } {
    const rowPtr = new Int32Array(v + 1);
    for (let h = 0; h < this.rows.length; h++) if (this.rows[h] !== -1) rowPtr[this.rows[h] + 1]++;
    for (let i = 0; i < v; i++) rowPtr[i + 1] += rowPtr[i];
    const fill = rowPtr.slice(0, v);
    const slot = new Int32Array(this.size);
    const cols = new Int32Array(this.size);
    for (let h = 0; h < this.rows.length; h++)
      if (this.rows[h] !== -1) {
        const p = fill[this.rows[h]]++;
        slot[p] = h;
        cols[p] = this.cols[h];
      }
    // Sort each row by column: packed keys col·2²¹ + position, sorted natively (V < 2²¹ words).
    const values = new Float64Array(this.size);
    const keys = new Float64Array(this.size);
    for (let i = 0; i < v; i++) {
      const a = rowPtr[i];
      const b = rowPtr[i + 1];
      for (let p = a; p < b; p++) keys[p] = cols[p] * 2097152 + (p - a);
      keys.subarray(a, b).sort();
      for (let p = a; p < b; p++) {
        const local = keys[p] % 2097152;
        cols[p] = (keys[p] - local) / 2097152;
        values[p] = this.values[slot[a + local]];
      }
    }
    return { rowPtr, cols, values };
  }
}
