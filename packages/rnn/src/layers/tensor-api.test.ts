import * as tf from '@tensorflow/tfjs-core';
// The loss around the layer (mean squared error) needs tfjs' registered gradients; the layer itself does not.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { expect, it } from 'vitest';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { Bidirectional } from './bidirectional.js';
import { Rnn } from './rnn.js';
import { sequenceApply, sequenceCall } from './tensor-api.js';

describeEachBackend('tensor API', () => {
  it('sequenceApply composes with tfjs optimizers: optimizer.minimize lowers the loss, no leaks', async () => {
    const layer = new Rnn(new LstmCell({ inputSize: 2, units: 3 }));
    const x = tf.randomNormal([8, 4, 2], 0, 1, 'float32', 1);
    const target = tf.randomUniform([8, 3], -0.5, 0.5, 'float32', 2);
    const optimizer = tf.train.adam(0.05);
    const loss = () => tf.losses.meanSquaredError(target, sequenceApply(layer, x)) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]);
    // The first step creates Adam's slot variables (m, v per weight); later steps add nothing.
    tf.dispose(optimizer.minimize(loss, true) ?? []);
    await expectNoLeaks(() => {
      for (let i = 0; i < 30; i++) tf.dispose(optimizer.minimize(loss, true) ?? []);
    });
    expect(tf.tidy(() => loss().dataSync()[0])).toBeLessThan(first / 2);
    tf.dispose([x, target]);
    optimizer.dispose();
    layer.dispose();
  });

  it('sequenceCall returns sequences and final states (returnState), with the chapter’s h_t by hand', () => {
    // One unit, h_t = tanh(0.5 h_{t−1} + 2 x_t): with x = [1, 0], h_1 = tanh(2), h_2 = tanh(0.5 tanh 2).
    const cell = new SimpleRnnCell({ inputSize: 1, units: 1 });
    cell.kernel.assign(tf.tensor2d([[2]]));
    cell.recurrentKernel.assign(tf.tensor2d([[0.5]]));
    const layer = new Rnn(cell);
    const x = tf.tensor3d([[[1], [0]]]);
    const { output, states } = sequenceCall(layer, x, { returnSequences: true });
    const h1 = Math.tanh(2);
    const h2 = Math.tanh(0.5 * h1);
    expect(output.shape).toEqual([1, 2, 1]);
    const out = output.dataSync();
    expect(out[0]).toBeCloseTo(h1, 6);
    expect(out[1]).toBeCloseTo(h2, 6);
    expect(states[0].dataSync()[0]).toBeCloseTo(h2, 6);
    // An initial state and a mask: the padded second step keeps h_1.
    const masked = sequenceCall(layer, x, { mask: [[1, 0]], initialState: [tf.tensor2d([[1]])] });
    expect(masked.output.dataSync()[0]).toBeCloseTo(Math.tanh(0.5 + 2), 6);
    tf.dispose([x, output, ...states, masked.output, ...masked.states]);
    layer.dispose();
  });

  it('bidirectional concat output is [→h_T; ←h_1] for the last step', () => {
    const f = new Rnn(new LstmCell({ inputSize: 2, units: 3, seed: 1 }));
    const b = new Rnn(new LstmCell({ inputSize: 2, units: 3, seed: 2 }));
    const bi = new Bidirectional(f, b);
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 3);
    const last = sequenceCall(bi, x).output;
    const fwd = sequenceCall(f, x).output;
    const bwd = sequenceCall(b, tf.reverse(x, 1)).output;
    expect(last.shape).toEqual([2, 6]);
    const expected = tf.concat([fwd, bwd], 1);
    expect(Array.from(last.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, last, fwd, bwd, expected]);
    bi.dispose();
  });

  it('validates shapes, naming the argument', () => {
    const layer = new Rnn(new LstmCell({ inputSize: 2, units: 3 }));
    const x = tf.zeros([1, 4, 3]);
    expect(() => sequenceCall(layer, x)).toThrow(
      /Argument 'x' passed to 'sequenceCall' must be a tensor of shape \[batch, time, 2\]/,
    );
    const ok = tf.zeros([1, 4, 2]);
    expect(() => sequenceCall(layer, ok, { mask: [[1, 1]] })).toThrow(InvalidArgumentError);
    expect(() => sequenceCall(layer, ok, { initialState: [tf.zeros([1, 3])] })).toThrow(
      /an array of 2 tensors/,
    );
    tf.dispose([x, ok]);
    layer.dispose();
  });
});
