import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentCell } from '../cells/cell.js';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';

/**
 * The same forward pass written with plain tfjs ops, step by step, so tfjs autodiff can differentiate
 * it: the independent reference explicit BPTT is checked against. `x` is `[B, T, D]`; returns h_t of
 * every step `[B, T, H]` and the final states. `mask` is `[B, T]` of 0/1.
 */
export function referenceForward(
  cell: RecurrentCell,
  x: tf.Tensor3D,
  weights: tf.Tensor[] = cell.variables,
  mask?: tf.Tensor2D,
  initial?: tf.Tensor2D[],
): { outputs: tf.Tensor3D; final: tf.Tensor2D[] } {
  const [B, T] = x.shape;
  const H = cell.units;
  const [kernel, recurrent, bias, recurrentBias] = weights as tf.Tensor2D[];
  let h: tf.Tensor2D = initial?.[0] ?? tf.zeros([B, H]);
  let c: tf.Tensor2D = initial?.[1] ?? tf.zeros([B, H]);
  const outs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const xt = tf.squeeze(tf.slice(x, [0, t, 0], [B, 1, x.shape[2]]), [1]) as tf.Tensor2D;
    const xp = tf.add(tf.matMul(xt, kernel), bias) as tf.Tensor2D;
    let hNew: tf.Tensor2D;
    let cNew = c;
    if (cell instanceof SimpleRnnCell) {
      const s = tf.add(xp, tf.matMul(h, recurrent));
      hNew = (
        cell.activation === 'tanh' ? tf.tanh(s) : cell.activation === 'relu' ? tf.relu(s) : tf.sigmoid(s)
      ) as tf.Tensor2D;
    } else if (cell instanceof LstmCell) {
      const s = tf.add(xp, tf.matMul(h, recurrent));
      const [i, f, g, o] = tf.split(s, 4, 1);
      cNew = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
      hNew = tf.mul(tf.sigmoid(o), tf.tanh(cNew)) as tf.Tensor2D;
    } else if (cell instanceof GruCell) {
      const [xz, xr, xc] = tf.split(xp, 3, 1);
      const [wz, wr, u] = tf.split(recurrent, 3, 1);
      const hz = tf.matMul(h, wz);
      const hr = tf.matMul(h, wr);
      let z: tf.Tensor;
      let r: tf.Tensor;
      let cand: tf.Tensor;
      if (cell.resetAfter) {
        const [bz, br, bc] = tf.split(recurrentBias, 3, 0);
        z = tf.sigmoid(tf.add(tf.add(xz, hz), bz));
        r = tf.sigmoid(tf.add(tf.add(xr, hr), br));
        cand = tf.tanh(tf.add(xc, tf.mul(r, tf.add(tf.matMul(h, u), bc))));
      } else {
        z = tf.sigmoid(tf.add(xz, hz));
        r = tf.sigmoid(tf.add(xr, hr));
        cand = tf.tanh(tf.add(xc, tf.matMul(tf.mul(r, h), u)));
      }
      hNew = tf.add(tf.mul(tf.sub(1, z), h), tf.mul(z, cand)) as tf.Tensor2D;
    } else throw new Error('unknown cell');
    if (mask) {
      const m = tf.slice(mask, [0, t], [B, 1]);
      hNew = tf.add(tf.mul(m, hNew), tf.mul(tf.sub(1, m), h)) as tf.Tensor2D;
      cNew = tf.add(tf.mul(m, cNew), tf.mul(tf.sub(1, m), c)) as tf.Tensor2D;
    }
    h = hNew;
    c = cNew;
    outs.push(h);
  }
  return { outputs: tf.stack(outs, 1) as tf.Tensor3D, final: cell instanceof LstmCell ? [h, c] : [h] };
}
