import * as tf from '@tensorflow/tfjs-core';
import { assertNumber } from '@wordloom/core';
import type { Floats } from '../bptt/matmul-provider.js';
import { clipBuffersByGlobalNorm, clipBuffersByValue } from '../clip.js';
import { TrainingDivergedError } from '../errors/training-diverged-error.js';

/** Clipping applied to gradients before the optimizer step. */
export interface ClipOptions {
  /** Clip by global norm to this length (chapter's two-step rule); 0 = off. @default 0 */
  clipNorm?: number;
  /** Clip every element to `[−v, v]`; 0 = off. @default 0 */
  clipValue?: number;
}

/**
 * Applies typed-array gradients to variables with a tfjs optimizer (Adam, RMSProp, SGD, …), after
 * optional clipping. Gradients go in the variables' order, so optimizer slots stay aligned across
 * save/restore. Returns the global gradient norm before clipping.
 */
export function applyGradients(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  grads: Floats[],
  clip: ClipOptions = {},
): number {
  const clipNorm = assertNumber(clip.clipNorm ?? 0, 'clipNorm', 'applyGradients', { min: 0 });
  const clipValue = assertNumber(clip.clipValue ?? 0, 'clipValue', 'applyGradients', { min: 0 });
  if (clipValue > 0) clipBuffersByValue(grads, clipValue);
  const norm = clipBuffersByGlobalNorm(grads, clipNorm > 0 ? clipNorm : Infinity);
  if (!Number.isFinite(norm)) throw new TrainingDivergedError('the gradient norm', norm);
  const named: tf.NamedTensorMap = {};
  variables.forEach((v, i) => {
    named[v.name] = tf.tensor(
      grads[i] instanceof Float32Array ? grads[i] : Float32Array.from(grads[i]),
      v.shape,
    );
  });
  optimizer.applyGradients(named);
  tf.dispose(Object.values(named));
  return norm;
}
