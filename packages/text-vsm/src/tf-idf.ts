import { assertNumber, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { SparseMatrix } from './sparse/sparse-matrix.js';

/**
 * How a raw term count n becomes a term weight (chapter Fig. 4-2 compares these):
 * - `'raw'`: n
 * - `'binary'`: 1 if n > 0
 * - `'sqrt'`: √n
 * - `'log'`: ln(1 + n)
 * - `'sublinear'`: 1 + ln n (scikit-learn `sublinear_tf=True`)
 * - `'bm25'`: the chapter's BM25 saturation (k + 1)n / (k + n)
 */
export type TfTransform = 'raw' | 'binary' | 'sqrt' | 'log' | 'sublinear' | 'bm25';

/**
 * Inverse document frequency of a term in N of M documents:
 * - `'none'`: 1
 * - `'chapter'`: log(M / (N + 1)) — the chapter's tf-idf `n·log(M/(N+1))` (natural log; it is 0 or
 *   negative for terms in M − 1 or more documents, exactly as written)
 * - `'smooth'`: ln((1 + M) / (1 + N)) + 1 — scikit-learn `smooth_idf=True`
 * - `'plain'`: ln(M / N) + 1 — scikit-learn `smooth_idf=False` (0 for a term in no document, where the
 *   formula is infinite)
 */
export type IdfKind = 'none' | 'chapter' | 'smooth' | 'plain';

/** Row normalization after weighting: `'l2'` (unit Euclidean length), `'l1'` (absolute values sum to 1). */
export type NormKind = 'l2' | 'l1' | 'none';

/** The weighting switch of {@link TfIdf}. */
export interface WeightingOptions {
  /** @default 'raw' */
  tf?: TfTransform;
  /** Saturation parameter k of the `'bm25'` transform. @default 1.2 */
  k?: number;
  /** @default 'smooth' */
  idf?: IdfKind;
  /** @default 'l2' */
  norm?: NormKind;
}

/** Applies a {@link TfTransform} to one count n ≥ 0 (0 stays 0). */
export function transformTf(n: number, tf: TfTransform = 'raw', k = 1.2): number {
  if (n === 0) return 0;
  switch (tf) {
    case 'raw':
      return n;
    case 'binary':
      return 1;
    case 'sqrt':
      return Math.sqrt(n);
    case 'log':
      return Math.log1p(n);
    case 'sublinear':
      return 1 + Math.log(n);
    case 'bm25':
      return ((k + 1) * n) / (k + n);
  }
}

/** The {@link IdfKind} weight of a term found in `df` of `documentCount` documents. */
export function inverseDocumentFrequency(df: number, documentCount: number, idf: IdfKind = 'smooth'): number {
  switch (idf) {
    case 'none':
      return 1;
    case 'chapter':
      return Math.log(documentCount / (df + 1));
    case 'smooth':
      return Math.log((1 + documentCount) / (1 + df)) + 1;
    case 'plain':
      return df === 0 ? 0 : Math.log(documentCount / df) + 1;
  }
}

/**
 * A fitted tf-idf weighting: the idf of every column of a document × term count matrix, applied by
 * {@link TfIdf.transform} to those documents or new ones (queries). With the defaults it matches
 * scikit-learn's `TfidfVectorizer()`; `{ idf: 'chapter', norm: 'none' }` is the chapter's `n·log(M/(N+1))`.
 */
export class TfIdf {
  /** idf per column. */
  readonly idf: Float64Array;
  /** The tf transform applied to counts. */
  readonly tf: TfTransform;
  /** Saturation k of the `'bm25'` tf transform. */
  readonly k: number;
  /** Row normalization. */
  readonly norm: NormKind;

  private constructor(idf: Float64Array, tf: TfTransform, k: number, norm: NormKind) {
    this.idf = idf;
    this.tf = tf;
    this.k = k;
    this.norm = norm;
  }

  /** Learns the document frequencies of `counts` (rows = documents, at least one). */
  static fit(counts: SparseMatrix, options: WeightingOptions = {}): TfIdf {
    const fn = 'TfIdf.fit';
    if (!(counts instanceof SparseMatrix))
      throw new InvalidArgumentError('counts', fn, 'a SparseMatrix', counts);
    if (counts.rows === 0)
      throw new InvalidArgumentError('counts', fn, 'a matrix with at least one document', 0);
    const tf = assertOneOf(
      options.tf ?? 'raw',
      ['raw', 'binary', 'sqrt', 'log', 'sublinear', 'bm25'],
      'tf',
      fn,
    );
    const k = assertNumber(options.k ?? 1.2, 'k', fn, { min: 0 });
    const idfKind = assertOneOf(options.idf ?? 'smooth', ['none', 'chapter', 'smooth', 'plain'], 'idf', fn);
    const norm = assertOneOf(options.norm ?? 'l2', ['l2', 'l1', 'none'], 'norm', fn);
    const df = new Float64Array(counts.cols);
    for (let j = 0; j < counts.nnz; j++) if (counts.values[j] !== 0) df[counts.indices[j]]++;
    const idf = df.map((n) => inverseDocumentFrequency(n, counts.rows, idfKind));
    return new TfIdf(idf, tf, k, norm);
  }

  /** Weighted rows: transformTf(n)·idf, then the row norm (all-zero rows stay zero, never NaN). */
  transform(counts: SparseMatrix): SparseMatrix {
    if (counts.cols !== this.idf.length) {
      throw new InvalidArgumentError(
        'counts',
        'TfIdf.transform',
        `a matrix with ${this.idf.length} columns`,
        counts.cols,
      );
    }
    const weighted = counts.map((n, _r, c) => transformTf(n, this.tf, this.k) * this.idf[c]);
    if (this.norm === 'none') return weighted;
    const values = weighted.values;
    for (let r = 0; r < weighted.rows; r++) {
      let s = 0;
      for (let j = weighted.indptr[r]; j < weighted.indptr[r + 1]; j++) {
        s += this.norm === 'l2' ? values[j] * values[j] : Math.abs(values[j]);
      }
      const n = this.norm === 'l2' ? Math.sqrt(s) : s;
      if (n > 0) for (let j = weighted.indptr[r]; j < weighted.indptr[r + 1]; j++) values[j] /= n;
    }
    return weighted;
  }
}
