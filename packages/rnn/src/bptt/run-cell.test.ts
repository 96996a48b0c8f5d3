import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import type { RecurrentCell } from '../cells/cell.js';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { Rnn } from '../layers/rnn.js';
import { sequenceApply } from '../layers/tensor-api.js';
import { referenceForward } from '../test-support/reference.js';
import { TfjsProvider } from './matmul-provider.js';

const cells: Array<[string, () => RecurrentCell]> = [
  ['simple RNN tanh', () => new SimpleRnnCell({ inputSize: 3, units: 4, seed: 2 })],
  [
    'simple RNN relu identity',
    () =>
      new SimpleRnnCell({
        inputSize: 3,
        units: 4,
        activation: 'relu',
        recurrentInitializer: 'identity',
        seed: 2,
      }),
  ],
  ['simple RNN sigmoid', () => new SimpleRnnCell({ inputSize: 3, units: 4, activation: 'sigmoid', seed: 2 })],
  ['LSTM', () => new LstmCell({ inputSize: 3, units: 4, seed: 2 })],
  ['GRU reset after', () => new GruCell({ inputSize: 3, units: 4, seed: 2 })],
  ['GRU reset before', () => new GruCell({ inputSize: 3, units: 4, seed: 2, resetAfter: false })],
];

describeEachBackend('explicit BPTT equals tfjs autodiff', () => {
  for (const [name, make] of cells) {
    for (const withInit of [true, false])
      it(`${name}: outputs and every gradient, with a mask${withInit ? ' and an initial state' : ' (zero initial state)'}`, async () => {
        const cell = make();
        const layer = new Rnn(cell);
        const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
        const r = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 4);
        const mask = tf.tensor2d([
          [1, 1, 1, 1, 1],
          [1, 1, 1, 0, 0],
        ]);
        const h0 = tf.randomNormal([2, 4], 0, 0.5, 'float32', 5) as tf.Tensor2D;
        const c0 = tf.randomNormal([2, 4], 0, 0.5, 'float32', 6) as tf.Tensor2D;
        const init = withInit ? (cell.stateCount === 2 ? [h0, c0] : [h0]) : undefined;
        const ours = await expectNoLeaks(() => {
          const { value, grads } = tf.variableGrads(
            () =>
              tf.sum(
                tf.mul(sequenceApply(layer, x, { returnSequences: true, mask, initialState: init }), r),
              ) as tf.Scalar,
          );
          const out = Object.values(grads).map((g) => Array.from(g.dataSync()));
          const dx = tf.grad((xs: tf.Tensor) =>
            tf.sum(tf.mul(sequenceApply(layer, xs, { returnSequences: true, mask, initialState: init }), r)),
          )(x);
          const res = { loss: value.dataSync()[0], grads: out, dx: Array.from(dx.dataSync()) };
          tf.dispose([value, dx, ...Object.values(grads)]);
          return res;
        });
        const reference = tf.tidy(() => {
          const f = (xs: tf.Tensor, ...ws: tf.Tensor[]) =>
            tf.sum(tf.mul(referenceForward(cell, xs as tf.Tensor3D, ws, mask, init).outputs, r)) as tf.Scalar;
          const g = tf.grads(f)([x, ...cell.variables]);
          return {
            loss: f(x, ...cell.variables).dataSync()[0],
            dx: Array.from(g[0].dataSync()),
            grads: g.slice(1).map((t) => Array.from(t.dataSync())),
          };
        });
        expect(ours.loss).toBeCloseTo(reference.loss, 4);
        const close = (a: number[], b: number[]) => {
          const scale = Math.max(1e-3, ...b.map(Math.abs));
          for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]) / scale).toBeLessThan(1e-4);
        };
        close(ours.dx, reference.dx);
        expect(ours.grads).toHaveLength(reference.grads.length);
        for (let i = 0; i < ours.grads.length; i++) close(ours.grads[i], reference.grads[i]);
        tf.dispose([x, r, mask, h0, c0]);
        layer.dispose();
      });
  }
});

describeEachBackend('float32 central differences on the backend', () => {
  // ReLU is piecewise linear: with float32 steps large enough to beat rounding, some unit always
  // crosses its kink, so the ReLU cell is checked element-wise in float64 (gradient-check.test.ts).
  for (const [name, make] of cells.filter(([n]) => !n.includes('relu'))) {
    it(`${name}: directional derivative of every weight at once, relative error < 1e-2`, () => {
      const cell = make();
      const layer = new Rnn(cell);
      const p = new TfjsProvider();
      const random = new Random(11);
      const T = 6;
      const B = 4;
      const data = Float32Array.from({ length: T * B * 3 }, () => random.normal());
      const probe = Float32Array.from({ length: T * B * 4 }, () => random.normal());
      const input = { kind: 'dense', data, features: 3 } as const;
      const loss = () => {
        const out = layer.forwardRaw(p, input, T, B).outputs;
        let s = 0;
        for (let i = 0; i < out.length; i++) s += out[i] * probe[i];
        return s;
      };
      const run = layer.forwardRaw(p, input, T, B, { keep: true });
      const { grads } = layer.backwardRaw(p, run.tape, { dOutputs: probe });
      // Move all weights along a random direction v: (L(w + εv) − L(w − εv)) / 2ε ≈ ∇L·v.
      const base = cell.variables.map((v) => v.dataSync().slice() as Float32Array);
      const dirs = base.map((b) => Float32Array.from(b, () => random.normal()));
      let analytic = 0;
      grads.forEach((g, i) => {
        for (let j = 0; j < g.length; j++) analytic += g[j] * dirs[i][j];
      });
      const eps = 1e-2; // large enough that float32 rounding of L (~1e-6 relative) stays far below 1e-2
      const at = (s: number) => {
        cell.variables.forEach((v, i) => {
          v.assign(
            tf.tensor(
              base[i].map((b, j) => b + s * eps * dirs[i][j]),
              v.shape,
            ),
          );
        });
        return loss();
      };
      const numeric = (at(1) - at(-1)) / (2 * eps);
      at(0);
      expect(Math.abs(numeric - analytic) / Math.abs(analytic)).toBeLessThan(1e-2);
      layer.dispose();
    });
  }
});
