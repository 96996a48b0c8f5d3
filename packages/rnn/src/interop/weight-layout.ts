import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@wordloom/core';
import type { RecurrentCell } from '../cells/cell.js';
import { GruCell } from '../cells/gru.js';
import { UnsupportedLayersOptionError } from './unsupported-layers-option-error.js';

/**
 * The weight layout shared with Keras / tfjs-layers, one recurrent cell:
 *
 * | wordloom            | Keras / tfjs-layers      | shape      |
 * | ------------------- | ------------------------ | ---------- |
 * | `kernel` W_xh       | `kernel`                 | `[D, G·H]` |
 * | `recurrentKernel`   | `recurrent_kernel`       | `[H, G·H]` |
 * | `bias`              | `bias`                   | `[G·H]`    |
 *
 * Both use the row-vector convention (`x_t·W + h_{t−1}·U + b`) and the same gate blocks along the
 * last axis: simple RNN one block; LSTM i, f, c̃, o; GRU z, r, h̃. So every array is copied unchanged,
 * except the GRU's update gate: the chapter's eq. 4.4.2 `h_t = (1 − z_t) ∗ h_{t−1} + z_t ∗ h̃_t` lets
 * z weight the candidate, while Keras computes `h_t = z ∗ h_{t−1} + (1 − z) ∗ h̃_t`. Since
 * `1 − σ(a) = σ(−a)`, Keras' z is wordloom's with the pre-activation negated: the z columns
 * (the first H) of kernel, recurrent kernel and bias change sign in both directions.
 * A GRU with the reset gate after the matmul (`resetAfter: true`, which also has a recurrent bias)
 * has no tfjs-layers counterpart — tfjs-layers 4.22 throws on `resetAfter: true`.
 */
export function kerasWeightsOf(cell: RecurrentCell): tf.Tensor[] {
  rejectResetAfter(cell);
  return tf.tidy(() => {
    const weights = [cell.kernel, cell.recurrentKernel, cell.bias].map((v) => v.clone() as tf.Tensor);
    return cell instanceof GruCell ? weights.map((w) => negateUpdateGate(w, cell.units)) : weights;
  });
}

/** Assigns Keras-layout weights `[kernel, recurrent_kernel, bias]` to a cell (see {@link kerasWeightsOf}). */
export function assignKerasWeights(cell: RecurrentCell, weights: tf.Tensor[]): void {
  rejectResetAfter(cell);
  const expected = [cell.kernel.shape, cell.recurrentKernel.shape, cell.bias.shape];
  if (
    !Array.isArray(weights) ||
    weights.length !== 3 ||
    weights.some((w, i) => !(w instanceof tf.Tensor) || w.shape.join() !== expected[i].join())
  )
    throw new InvalidArgumentError(
      'weights',
      'assignKerasWeights',
      `[kernel, recurrent_kernel, bias] of shapes ${expected.map((s) => `[${s}]`).join(', ')}`,
      Array.isArray(weights)
        ? weights.map((w) => (w instanceof tf.Tensor ? `[${w.shape}]` : typeof w)).join(', ')
        : weights,
    );
  tf.tidy(() => {
    const mapped = cell instanceof GruCell ? weights.map((w) => negateUpdateGate(w, cell.units)) : weights;
    cell.kernel.assign(mapped[0] as tf.Tensor2D);
    cell.recurrentKernel.assign(mapped[1] as tf.Tensor2D);
    cell.bias.assign(mapped[2] as tf.Tensor1D);
  });
}

function rejectResetAfter(cell: RecurrentCell): void {
  if (cell instanceof GruCell && cell.resetAfter)
    throw new UnsupportedLayersOptionError(
      'resetAfter',
      'GruCell',
      'tfjs-layers 4.22 has no GRU with the reset gate after the recurrent matmul (it throws on resetAfter: true)',
    );
}

/** `w` with its first H columns (last axis) negated: wordloom's z ↔ Keras' z (an involution). */
function negateUpdateGate(w: tf.Tensor, units: number): tf.Tensor {
  const cols = w.shape[w.rank - 1];
  const sign = new Float32Array(cols).fill(1);
  sign.fill(-1, 0, units);
  return tf.mul(w, tf.tensor1d(sign));
}
