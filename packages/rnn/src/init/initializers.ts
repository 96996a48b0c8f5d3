import { assertInteger, assertNumber, InvalidArgumentError, type Random } from '@wordloom/core';

/** Names of the weight initializers a cell accepts. */
export type InitializerName = 'glorotUniform' | 'orthogonal' | 'identity' | 'zeros';

/** Every {@link InitializerName}, for validation messages. */
export const INITIALIZERS: readonly InitializerName[] = ['glorotUniform', 'orthogonal', 'identity', 'zeros'];

/**
 * Glorot / Xavier uniform (Glorot & Bengio 2010): `U(−l, l)` with `l = √(6 / (fanIn + fanOut))`,
 * row-major `rows × cols` (fanIn = rows, fanOut = cols).
 */
export function glorotUniform(rows: number, cols: number, random: Random): Float32Array {
  checkShape(rows, cols, 'glorotUniform');
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (2 * random.next() - 1) * limit;
  return out;
}

/**
 * A random orthogonal matrix (Saxe et al. 2014), `rows × cols` row-major, times `gain`: orthonormal
 * columns when rows ≥ cols, orthonormal rows otherwise. Built by modified Gram–Schmidt on a Gaussian
 * matrix in float64 typed arrays — O(rows·cols·min(rows, cols)) flops in one tight loop, well under a
 * second for 512 × 2048, where tfjs-layers' op-by-op QR takes minutes.
 */
export function orthogonal(rows: number, cols: number, random: Random, gain = 1): Float32Array {
  checkShape(rows, cols, 'orthogonal');
  assertNumber(gain, 'gain', 'orthogonal');
  // Orthonormalize the k = min(rows, cols) vectors of length n = max(rows, cols).
  const n = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  const q = new Float64Array(k * n);
  for (let i = 0; i < q.length; i++) q[i] = random.normal();
  for (let i = 0; i < k; i++) {
    const vi = q.subarray(i * n, (i + 1) * n);
    // One pass of modified Gram–Schmidt loses orthogonality only in proportion to the condition number
    // of the Gaussian matrix (≈ n for square, ≈ 3 for 1:4) times float64 epsilon: far below float32.
    for (let j = 0; j < i; j++) {
      const vj = q.subarray(j * n, (j + 1) * n);
      let dot = 0;
      for (let e = 0; e < n; e++) dot += vi[e] * vj[e];
      for (let e = 0; e < n; e++) vi[e] -= dot * vj[e];
    }
    let norm = 0;
    for (let e = 0; e < n; e++) norm += vi[e] * vi[e];
    norm = Math.sqrt(norm);
    for (let e = 0; e < n; e++) vi[e] /= norm;
  }
  const out = new Float32Array(rows * cols);
  // q holds k orthonormal vectors of length n: they are the rows when rows < cols, else the columns.
  if (rows <= cols) for (let i = 0; i < out.length; i++) out[i] = gain * q[i];
  else for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out[r * cols + c] = gain * q[c * n + r];
  return out;
}

/**
 * `gain · I` for a square matrix, or `[gain·I | gain·I | …]` for `n × (g·n)` recurrent kernels with `g`
 * gate blocks — the chapter's "smart initialization" of W_hh for ReLU RNNs (Le, Jaitly & Hinton 2015).
 */
export function identity(rows: number, cols: number, gain = 1): Float32Array {
  checkShape(rows, cols, 'identity');
  if (cols % rows !== 0)
    throw new InvalidArgumentError(
      'cols',
      'identity',
      `a multiple of rows (${rows}) so that every gate block is square`,
      cols,
    );
  const out = new Float32Array(rows * cols);
  for (let b = 0; b < cols / rows; b++) for (let i = 0; i < rows; i++) out[i * cols + b * rows + i] = gain;
  return out;
}

/** Values for a `rows × cols` matrix from a named initializer. */
export function initialize(
  name: InitializerName,
  rows: number,
  cols: number,
  random: Random,
  gain = 1,
): Float32Array {
  switch (name) {
    case 'glorotUniform':
      return glorotUniform(rows, cols, random);
    case 'orthogonal':
      return orthogonal(rows, cols, random, gain);
    case 'identity':
      return identity(rows, cols, gain);
    case 'zeros':
      checkShape(rows, cols, 'zeros');
      return new Float32Array(rows * cols);
    default:
      throw new InvalidArgumentError('initializer', 'initialize', `one of ${INITIALIZERS.join(', ')}`, name);
  }
}

function checkShape(rows: number, cols: number, fn: string): void {
  assertInteger(rows, 'rows', fn, 1);
  assertInteger(cols, 'cols', fn, 1);
}
