/** Typed-array state of GloVe training (shared between workers when threaded). */
export interface GloveState {
  dim: number;
  /** Word vectors W and context vectors W̃, V × dim each. */
  w: Float32Array;
  wt: Float32Array;
  /** Biases b and b̃. */
  b: Float32Array;
  bt: Float32Array;
  /** AdaGrad accumulators (Σ g², starting at 1 as in Stanford GloVe) for w, wt, b, bt. */
  gw: Float32Array;
  gwt: Float32Array;
  gb: Float32Array;
  gbt: Float32Array;
  /** Non-zero co-occurrences (i, j, X_ij) in training order. */
  rows: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  /** Precomputed per entry: log Xᵢⱼ and h(Xᵢⱼ) (they never change between epochs). */
  logs: Float64Array;
  weights: Float32Array;
  xMax: number;
  alpha: number;
  /** WebAssembly memory holding w, wt, gw, gwt when the SIMD kernel runs. */
  memory?: WebAssembly.Memory;
}

import type { SimdKernels } from '../../simd/simd-module.js';

/** Weighting h(x) = (x/x_max)^α for x < x_max, else 1 (chapter, Fig 4-9; Pennington et al. 2014 eq. 9). */
export function gloveWeight(x: number, xMax: number, alpha: number): number {
  return x < xMax ? (x / xMax) ** alpha : 1;
}

/**
 * One AdaGrad pass over co-occurrences [from, to), exactly Stanford glove.c's update: with
 * diff = wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ and f = h(Xᵢⱼ)·diff, every parameter θ moves by
 * −η·∂θ/√(Σ∂θ²) where ∂wᵢ = f·w̃ⱼ, ∂w̃ⱼ = f·wᵢ, ∂bᵢ = ∂b̃ⱼ = f (the gradient of ½·cost; the chapter's cost
 * without ½ only rescales η). Returns the chapter's cost Σ h(X)·diff² accumulated before each update.
 */
export function gloveEpoch(
  s: GloveState,
  from: number,
  to: number,
  eta: number,
  rng: number,
): { cost: number; rng: number } {
  const { dim: d, w, wt, b, bt, gw, gwt, gb, gbt, rows, cols, logs, weights } = s;
  let cost = 0;
  for (let e = from; e < to; e++) {
    const i = rows[e];
    const j = cols[e];
    const l1 = i * d;
    const l2 = j * d;
    let diff = b[i] + bt[j] - logs[e];
    for (let k = 0; k < d; k++) diff += w[l1 + k] * wt[l2 + k];
    let fdiff = weights[e] * diff;
    if (!Number.isFinite(fdiff)) continue;
    cost += fdiff * diff;
    fdiff *= eta;
    for (let k = 0; k < d; k++) {
      const g1 = fdiff * wt[l2 + k];
      const g2 = fdiff * w[l1 + k];
      w[l1 + k] -= g1 / Math.sqrt(gw[l1 + k]);
      wt[l2 + k] -= g2 / Math.sqrt(gwt[l2 + k]);
      gw[l1 + k] += g1 * g1;
      gwt[l2 + k] += g2 * g2;
    }
    b[i] -= fdiff / Math.sqrt(gb[i]);
    bt[j] -= fdiff / Math.sqrt(gbt[j]);
    gb[i] += fdiff * fdiff;
    gbt[j] += fdiff * fdiff;
  }
  return { cost, rng };
}

/** {@link gloveEpoch} with the vector work in WebAssembly SIMD (same updates; `dim % 4 === 0`). */
export function gloveEpochSimd(
  s: GloveState,
  from: number,
  to: number,
  eta: number,
  k: SimdKernels,
): { cost: number } {
  const { dim: d, b, bt, gb, gbt, rows, cols, logs, weights } = s;
  const row = d * 4;
  const pw = s.w.byteOffset;
  const pwt = s.wt.byteOffset;
  const pgw = s.gw.byteOffset;
  const pgwt = s.gwt.byteOffset;
  const { dot, adagrad } = k;
  let cost = 0;
  for (let e = from; e < to; e++) {
    const i = rows[e];
    const j = cols[e];
    const diff = dot(pw + i * row, pwt + j * row, d) + b[i] + bt[j] - logs[e];
    let fdiff = weights[e] * diff;
    if (!Number.isFinite(fdiff)) continue;
    cost += fdiff * diff;
    fdiff *= eta;
    adagrad(pw + i * row, pwt + j * row, pgw + i * row, pgwt + j * row, fdiff, d);
    b[i] -= fdiff / Math.sqrt(gb[i]);
    bt[j] -= fdiff / Math.sqrt(gbt[j]);
    gb[i] += fdiff * fdiff;
    gbt[j] += fdiff * fdiff;
  }
  return { cost };
}
