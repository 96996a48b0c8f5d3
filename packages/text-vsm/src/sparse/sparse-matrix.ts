import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError } from '@wordloom/core';

/** One sparse vector: sorted, distinct `indices` and their `values`, in a space of `size` dimensions. */
export interface SparseVector {
  /** Number of dimensions. */
  size: number;
  /** Sorted, distinct ids of the non-zero dimensions. */
  indices: Int32Array;
  /** The non-zero values, aligned with `indices`. */
  values: Float64Array;
}

/**
 * A row-major sparse matrix in CSR form (compressed sparse row, as scipy.sparse.csr_matrix): the
 * non-zeros of row r are `indices[indptr[r] … indptr[r + 1])` (sorted column ids) with `values` alongside.
 * Values are float64 so scores stay exact; {@link toTensor} converts to a float32 tensor when asked.
 */
export class SparseMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row offsets into `indices` / `values` (length rows + 1). */
  readonly indptr: Int32Array;
  /** Column id of each stored entry, sorted within a row. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;

  /** Wraps CSR arrays (validated: monotone `indptr`, sorted in-range column ids per row). */
  constructor(rows: number, cols: number, indptr: Int32Array, indices: Int32Array, values: Float64Array) {
    const fn = 'SparseMatrix';
    assertInteger(rows, 'rows', fn, 0);
    assertInteger(cols, 'cols', fn, 0);
    if (indptr.length !== rows + 1 || indptr[0] !== 0 || indptr[rows] !== indices.length) {
      throw new InvalidArgumentError(
        'indptr',
        fn,
        `an Int32Array of length ${rows + 1} from 0 to nnz`,
        indptr,
      );
    }
    if (values.length !== indices.length) {
      throw new InvalidArgumentError('values', fn, `a Float64Array of length ${indices.length}`, values);
    }
    for (let r = 0; r < rows; r++) {
      if (indptr[r + 1] < indptr[r])
        throw new InvalidArgumentError('indptr', fn, 'non-decreasing offsets', indptr);
      for (let j = indptr[r]; j < indptr[r + 1]; j++) {
        const c = indices[j];
        if (c < 0 || c >= cols || (j > indptr[r] && c <= indices[j - 1])) {
          throw new InvalidArgumentError(
            'indices',
            fn,
            `sorted distinct column ids in [0, ${cols}) per row`,
            c,
          );
        }
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /** Builds a matrix from one `Map<column, value>` (or entry list) per row; zero values are dropped. */
  static fromRows(rows: readonly Iterable<[number, number]>[], cols: number): SparseMatrix {
    const indptr = new Int32Array(rows.length + 1);
    const indices: number[] = [];
    const values: number[] = [];
    rows.forEach((row, r) => {
      const entries = [...row].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
      for (const [c, v] of entries) {
        indices.push(c);
        values.push(v);
      }
      indptr[r + 1] = indices.length;
    });
    return new SparseMatrix(rows.length, cols, indptr, Int32Array.from(indices), Float64Array.from(values));
  }

  /** Number of stored non-zeros. */
  get nnz(): number {
    return this.indices.length;
  }

  /** Row `r` as a {@link SparseVector} (views, not copies). */
  row(r: number): SparseVector {
    assertInteger(r, 'r', 'SparseMatrix.row', 0, this.rows - 1);
    return {
      size: this.cols,
      indices: this.indices.subarray(this.indptr[r], this.indptr[r + 1]),
      values: this.values.subarray(this.indptr[r], this.indptr[r + 1]),
    };
  }

  /** Entry (r, c), zero when not stored. */
  get(r: number, c: number): number {
    const row = this.row(r);
    let lo = 0;
    let hi = row.indices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (row.indices[mid] === c) return row.values[mid];
      if (row.indices[mid] < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The transpose, still CSR (so the rows of a doc × term matrix become term × doc rows). */
  transpose(): SparseMatrix {
    const indptr = new Int32Array(this.cols + 1);
    for (let j = 0; j < this.nnz; j++) indptr[this.indices[j] + 1]++;
    for (let c = 0; c < this.cols; c++) indptr[c + 1] += indptr[c];
    const fill = indptr.slice(0, this.cols);
    const indices = new Int32Array(this.nnz);
    const values = new Float64Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let j = this.indptr[r]; j < this.indptr[r + 1]; j++) {
        const at = fill[this.indices[j]]++;
        indices[at] = r;
        values[at] = this.values[j];
      }
    }
    return new SparseMatrix(this.cols, this.rows, indptr, indices, values);
  }

  /** A copy with every value replaced by `f(value, row, column)` (zeros produced are kept stored). */
  map(f: (value: number, row: number, column: number) => number): SparseMatrix {
    const values = new Float64Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let j = this.indptr[r]; j < this.indptr[r + 1]; j++)
        values[j] = f(this.values[j], r, this.indices[j]);
    }
    return new SparseMatrix(this.rows, this.cols, this.indptr, this.indices, values);
  }

  /** Dense row-major copy (rows × cols). */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    for (let r = 0; r < this.rows; r++) {
      for (let j = this.indptr[r]; j < this.indptr[r + 1]; j++)
        out[r * this.cols + this.indices[j]] = this.values[j];
    }
    return out;
  }

  /** Dense rows as nested arrays (handy for printing small examples). */
  toArray(): number[][] {
    const dense = this.toDense();
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from(dense.subarray(r * this.cols, (r + 1) * this.cols)),
    );
  }

  /** A dense float32 `[rows, cols]` tensor (the caller disposes it). */
  toTensor(): tf.Tensor2D {
    return tf.tensor2d(Float32Array.from(this.toDense()), [this.rows, this.cols], 'float32');
  }
}
