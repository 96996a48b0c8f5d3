import { assertInteger, InvalidArgumentError } from '@wordloom/core';

/**
 * A sparse, square word–word co-occurrence matrix X in CSR form: row i holds the (context j, count)
 * pairs of word i, columns sorted. Rows and columns share the vocabulary `words`.
 */
export class CooccurrenceMatrix {
  /** Vocabulary (row/column order). */
  readonly words: readonly string[];
  /** Corpus counts of the words (same order). */
  readonly counts: Int32Array;
  /** Row i's entries are `cols/values[rowPtr[i] … rowPtr[i+1])`. */
  readonly rowPtr: Int32Array;
  /** Column of each entry: 16-bit when built for at most 65,536 words (2 bytes per entry less), else 32-bit. */
  readonly cols: Int32Array | Uint16Array;
  readonly values: Float64Array;

  constructor(
    words: readonly string[],
    counts: Int32Array,
    rowPtr: Int32Array,
    cols: Int32Array | Uint16Array,
    values: Float64Array,
  ) {
    if (rowPtr.length !== words.length + 1)
      throw new InvalidArgumentError(
        'rowPtr',
        'CooccurrenceMatrix',
        `of length words.length + 1 = ${words.length + 1}`,
        rowPtr.length,
      );
    this.words = words;
    this.counts = counts;
    this.rowPtr = rowPtr;
    this.cols = cols;
    this.values = values;
  }

  /** Number of words (rows = columns). */
  get size(): number {
    return this.words.length;
  }

  /** Number of stored (non-zero) entries. */
  get nonZeros(): number {
    return this.values.length;
  }

  /** X[i][j] (0 when not stored); binary search in row i. */
  get(i: number, j: number): number {
    let lo = this.rowPtr[i];
    let hi = this.rowPtr[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.cols[mid];
      if (c === j) return this.values[mid];
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The dense matrix as rows of numbers — for small vocabularies only (V ≤ 2000). */
  toDense(): number[][] {
    if (this.size > 2000)
      throw new InvalidArgumentError(
        'this',
        'CooccurrenceMatrix.toDense',
        'a matrix of at most 2000 words',
        this.size,
      );
    const out = Array.from({ length: this.size }, () => new Array<number>(this.size).fill(0));
    for (let i = 0; i < this.size; i++)
      for (let p = this.rowPtr[i]; p < this.rowPtr[i + 1]; p++) out[i][this.cols[p]] = this.values[p];
    return out;
  }

  /**
   * Positive pointwise mutual information, PPMI(i, j) = max(0, log(X_ij · ΣX / (ΣⱼX_ij · ΣᵢX_ij)))
   * (Church & Hanks 1990; Levy et al. 2015), as a new matrix with the zeros dropped.
   */
  ppmi(): CooccurrenceMatrix {
    const v = this.size;
    const rowSum = new Float64Array(v);
    const colSum = new Float64Array(v);
    let total = 0;
    for (let i = 0; i < v; i++)
      for (let p = this.rowPtr[i]; p < this.rowPtr[i + 1]; p++) {
        rowSum[i] += this.values[p];
        colSum[this.cols[p]] += this.values[p];
        total += this.values[p];
      }
    const rowPtr = new Int32Array(v + 1);
    const cols: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < v; i++) {
      for (let p = this.rowPtr[i]; p < this.rowPtr[i + 1]; p++) {
        const j = this.cols[p];
        const pmi = Math.log((this.values[p] * total) / (rowSum[i] * colSum[j]));
        if (pmi > 0) {
          cols.push(j);
          values.push(pmi);
        }
      }
      rowPtr[i + 1] = cols.length;
    }
    return new CooccurrenceMatrix(
      this.words,
      this.counts,
      rowPtr,
      v <= 65536 ? Uint16Array.from(cols) : Int32Array.from(cols),
      Float64Array.from(values),
    );
  }

  /** Y = X · M for a dense column-major `size × k` matrix M (result column-major `size × k`). */
  multiply(m: Float64Array, k: number): Float64Array {
    assertInteger(k, 'k', 'CooccurrenceMatrix.multiply', 1);
    const v = this.size;
    const out = new Float64Array(v * k);
    for (let i = 0; i < v; i++)
      for (let p = this.rowPtr[i]; p < this.rowPtr[i + 1]; p++) {
        const x = this.values[p];
        const j = this.cols[p];
        for (let c = 0; c < k; c++) out[c * v + i] += x * m[c * v + j];
      }
    return out;
  }

  /** Y = Xᵀ · M for a dense column-major `size × k` matrix M. */
  multiplyTransposed(m: Float64Array, k: number): Float64Array {
    const v = this.size;
    const out = new Float64Array(v * k);
    for (let i = 0; i < v; i++)
      for (let p = this.rowPtr[i]; p < this.rowPtr[i + 1]; p++) {
        const x = this.values[p];
        const j = this.cols[p];
        for (let c = 0; c < k; c++) out[c * v + j] += x * m[c * v + i];
      }
    return out;
  }
}
