import * as tf from '@tensorflow/tfjs-core';
import { assertNumber } from '@wordloom/core';
import type { Floats } from './bptt/matmul-provider.js';

/**
 * Gradient clipping by global norm, the chapter's two-step rule over ALL parameters at once:
 * step 1 `g ← ∇C(w)`; step 2 if `‖g‖ > k` then `g ← (k/‖g‖)·g` — direction kept, length capped at k.
 * Returns new tensors (the inputs are not disposed) and the norm before clipping.
 */
export function clipByGlobalNorm<T extends tf.Tensor[] | tf.NamedTensorMap>(
  grads: T,
  maxNorm: number,
): { grads: T; globalNorm: number } {
  assertNumber(maxNorm, 'maxNorm', 'clipByGlobalNorm', { min: 0, exclusiveMin: true });
  const list = Array.isArray(grads) ? grads : Object.values(grads);
  const globalNorm = Math.sqrt(
    tf.tidy(() => tf.addN(list.map((g) => tf.sum(tf.square(g)))).dataSync()[0] as number),
  );
  const scale = globalNorm > maxNorm ? maxNorm / globalNorm : 1;
  const clip = (g: tf.Tensor) => tf.tidy(() => tf.mul(g, scale));
  return { grads: mapGrads(grads, clip), globalNorm };
}

/** Clips every gradient element into `[−maxValue, maxValue]`. Returns new tensors. */
export function clipByValue<T extends tf.Tensor[] | tf.NamedTensorMap>(grads: T, maxValue: number): T {
  assertNumber(maxValue, 'maxValue', 'clipByValue', { min: 0, exclusiveMin: true });
  return mapGrads(grads, (g) => tf.clipByValue(g, -maxValue, maxValue));
}

function mapGrads<T extends tf.Tensor[] | tf.NamedTensorMap>(grads: T, f: (g: tf.Tensor) => tf.Tensor): T {
  if (Array.isArray(grads)) return grads.map(f) as T;
  const out: tf.NamedTensorMap = {};
  for (const [k, g] of Object.entries(grads)) out[k] = f(g);
  return out as T;
}

/** {@link clipByGlobalNorm} in place on typed-array gradients; returns the norm before clipping. */
export function clipBuffersByGlobalNorm(grads: Floats[], maxNorm: number): number {
  let sq = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= scale;
  }
  return norm;
}

/** {@link clipByValue} in place on typed-array gradients. */
export function clipBuffersByValue(grads: Floats[], maxValue: number): void {
  for (const g of grads)
    for (let i = 0; i < g.length; i++) g[i] = g[i] > maxValue ? maxValue : Math.max(g[i], -maxValue);
}
