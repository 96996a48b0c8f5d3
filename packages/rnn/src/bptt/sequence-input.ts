import type { Floats } from './matmul-provider.js';

/**
 * A batch of sequences in time-major layout (row `t·B + b` is step t of sequence b), the layout every
 * time step reads contiguously: dense features `T × B × D`, or token ids `T × B` standing for one-hot
 * vectors of length `vocab` (the input projection is then a row gather of W_xh — the chapter's
 * "W_xh acts as an embedding matrix for one-hot inputs").
 */
export type SequenceInput =
  | { readonly kind: 'dense'; readonly data: Floats; readonly features: number }
  | { readonly kind: 'ids'; readonly ids: Int32Array; readonly vocab: number };

/** Time-major `[T, B, D]` from batch-major `[B, T, D]`. */
export function toTimeMajor(
  data: ArrayLike<number>,
  batch: number,
  steps: number,
  features: number,
  out: Floats,
): Floats {
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < steps; t++) {
      const src = (b * steps + t) * features;
      const dst = (t * batch + b) * features;
      for (let f = 0; f < features; f++) out[dst + f] = data[src + f];
    }
  return out;
}

/** Batch-major `[B, T, D]` from time-major `[T, B, D]`. */
export function toBatchMajor(
  data: Floats,
  batch: number,
  steps: number,
  features: number,
  out: Floats,
): Floats {
  for (let t = 0; t < steps; t++)
    for (let b = 0; b < batch; b++) {
      const src = (t * batch + b) * features;
      const dst = (b * steps + t) * features;
      for (let f = 0; f < features; f++) out[dst + f] = data[src + f];
    }
  return out;
}

/** The same time-major buffer with the time axis reversed (`rowsPerStep` = B·D). */
export function reverseTime<T extends Floats | Int32Array | Uint8Array>(
  data: T,
  steps: number,
  rowsPerStep: number,
): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let t = 0; t < steps; t++)
    out.set(data.subarray(t * rowsPerStep, (t + 1) * rowsPerStep) as never, (steps - 1 - t) * rowsPerStep);
  return out;
}
