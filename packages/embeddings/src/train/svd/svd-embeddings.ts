import { assertInteger, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { TrainingDivergedError } from '../../errors/training-diverged-error.js';
import { KeyedVectors } from '../../keyed-vectors.js';
import type { CooccurrenceMatrix } from '../cooccurrence/cooccurrence-matrix.js';
import { type TruncatedSvdOptions, truncatedSvd } from './truncated-svd.js';

/** Options of {@link svdEmbeddings}. */
export interface SvdEmbeddingOptions extends TruncatedSvdOptions {
  /** Embedding size k (singular values kept). @default 100 (capped at the vocabulary size) */
  dim?: number;
  /**
   * Word matrix W from X ≈ U Σ Vᵀ: `'U'` (the chapter's choice, Fig 4-7 step 3), `'US'` = UΣ, or
   * `'USqrt'` = UΣ^½ (with C = Σ^½Vᵀ, the chapter's symmetric alternative).
   * @default 'U'
   */
  weighting?: 'U' | 'US' | 'USqrt';
}

/** Word vectors from the truncated SVD of a co-occurrence matrix, plus the singular values. */
export function svdEmbeddings(
  matrix: CooccurrenceMatrix,
  options: SvdEmbeddingOptions = {},
): { vectors: KeyedVectors; singularValues: Float64Array } {
  const dim = Math.min(options.dim ?? 100, matrix.size);
  assertInteger(dim, 'dim', 'svdEmbeddings', 1);
  const weighting = options.weighting ?? 'U';
  assertOneOf(weighting, ['U', 'US', 'USqrt'], 'weighting', 'svdEmbeddings');
  const v = matrix.size;
  const bad = matrix.values.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0)
    throw new InvalidArgumentError(
      'matrix',
      'svdEmbeddings',
      `a matrix of finite values (entry ${bad + 1} is ${matrix.values[bad]})`,
    );
  const svd = truncatedSvd(
    {
      rows: v,
      cols: v,
      multiply: (m, k) => matrix.multiply(m, k),
      multiplyTransposed: (m, k) => matrix.multiplyTransposed(m, k),
    },
    dim,
    options,
  );
  const out = new Float32Array(v * dim);
  for (let c = 0; c < dim; c++) {
    const scale = weighting === 'U' ? 1 : weighting === 'US' ? svd.s[c] : Math.sqrt(svd.s[c]);
    for (let i = 0; i < v; i++) out[i * dim + c] = svd.u[c * v + i] * scale;
  }
  // Float64 values near 1e38 overflow the float32 vectors: refuse them rather than return Infinity.
  const overflow = out.findIndex((x) => !Number.isFinite(x));
  if (overflow >= 0)
    throw new TrainingDivergedError(
      'svdEmbeddings',
      1,
      `vector value ${overflow + 1} is ${out[overflow]} (overflows float32)`,
      "scale the counts down, or use weighting 'U'",
    );
  return { vectors: new KeyedVectors(matrix.words, out, dim, matrix.counts), singularValues: svd.s };
}
