/** Conditional probabilities `p_{j|i}` per point and the precisions `β_i = 1 / (2σ_i²)` that produced them. */
export interface CalibratedRows {
  /** `rows × rowLength` values; row `i` sums to 1. */
  probabilities: Float64Array;
  /** β_i per row. */
  betas: Float64Array;
}

/** Options of {@link calibratePerplexity}. */
export interface CalibrateOptions {
  /** Stop when `|H(P_i) − log(perplexity)|` is at most this (nats). @default 1e-5 */
  tolerance?: number;
  /** Bisection steps per point. @default 100 */
  maxSteps?: number;
}

/**
 * Finds, for every point, the Gaussian precision `β_i` whose conditional distribution
 * `p_{j|i} = exp(−β_i d_ij) / Σ_k exp(−β_i d_ik)` over its neighbours has entropy `H(P_i) = log(perplexity)`
 * (van der Maaten & Hinton 2008, eq. 1 and the perplexity `Perp(P_i) = 2^{H(P_i)}` measured in bits there,
 * in nats here), by bisection on β as scikit-learn's `_binary_search_perplexity` does.
 *
 * `distances` holds squared distances, `rowLength` per point (its k nearest neighbours, or all other points).
 * Distances are shifted by the row minimum before exponentiating — the distribution is unchanged, but far
 * apart data cannot underflow every weight to zero.
 */
export function calibratePerplexity(
  distances: Float64Array,
  rowLength: number,
  perplexity: number,
  { tolerance = 1e-5, maxSteps = 100 }: CalibrateOptions = {},
): CalibratedRows {
  const rows = distances.length / rowLength;
  const probabilities = new Float64Array(distances.length);
  const betas = new Float64Array(rows);
  const target = Math.log(perplexity);
  for (let i = 0; i < rows; i++) {
    const off = i * rowLength;
    let dmin = Infinity;
    for (let j = 0; j < rowLength; j++) dmin = Math.min(dmin, distances[off + j]);
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let step = 0; step < maxSteps; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < rowLength; j++) {
        const dj = distances[off + j] - dmin;
        const pj = Math.exp(-dj * beta);
        probabilities[off + j] = pj;
        sum += pj;
        weighted += dj * pj;
      }
      // H = log Σ exp(−β d̃_j) + β Σ d̃_j p_j (natural log); sum ≥ 1 thanks to the shift.
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < rowLength; j++) probabilities[off + j] /= sum;
      const diff = entropy - target;
      if (Math.abs(diff) <= tolerance) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    betas[i] = beta;
  }
  return { probabilities, betas };
}

/** Shannon entropy (nats) of each row of a row-stochastic matrix: `H(P_i) = −Σ_j p_ij log p_ij`. */
export function rowEntropies(probabilities: Float64Array, rowLength: number): Float64Array {
  const rows = probabilities.length / rowLength;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let h = 0;
    for (let j = 0; j < rowLength; j++) {
      const p = probabilities[i * rowLength + j];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}
