import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError, Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { hiddenJacobianNorms } from './gradient-flow.js';

describeEachBackend('∂h_T/∂h_k diagnostics', () => {
  it('equal the chapter’s product (u_ii)^(t−k) ∏ σ′(z_g) for a one-unit sigmoid RNN', async () => {
    const cell = new SimpleRnnCell({ inputSize: 1, units: 1, activation: 'sigmoid' });
    cell.kernel.assign(tf.tensor2d([[0.7]]));
    cell.recurrentKernel.assign(tf.tensor2d([[1.5]]));
    cell.bias.assign(tf.tensor1d([-0.2]));
    const x = Float32Array.of(0.3, -1, 2, 0.5, -0.4, 1.2);
    const norms = await expectNoLeaks(() => hiddenJacobianNorms(cell, x));
    // By hand: h_g = σ(1.5 h_{g−1} + 0.7 x_g − 0.2), ∂h_g/∂h_{g−1} = 1.5 · h_g (1 − h_g).
    const h = [0];
    for (const v of x) h.push(1 / (1 + Math.exp(-(1.5 * h[h.length - 1] + 0.7 * v - 0.2))));
    for (let k = 0; k <= x.length; k++) {
      let product = 1;
      for (let g = k + 1; g <= x.length; g++) product *= 1.5 * h[g] * (1 - h[g]);
      expect(norms[k]).toBeCloseTo(product, 5);
    }
    cell.dispose();
  });

  it('identity-initialized ReLU keeps the gradient over 100 steps where tanh vanishes (智能初始化)', () => {
    const T = 100;
    const D = 4;
    const H = 16;
    const random = new Random(3);
    const x = Float32Array.from({ length: T * D }, () => random.normal());
    const h0 = Float32Array.from({ length: H }, () => 0.5 + 0.5 * random.next());
    const relu = new SimpleRnnCell({
      inputSize: D,
      units: H,
      seed: 5,
      activation: 'relu',
      recurrentInitializer: 'identity',
    });
    const tanh = new SimpleRnnCell({ inputSize: D, units: H, seed: 5 });
    const kept = hiddenJacobianNorms(relu, x, { initialState: [h0] });
    const vanished = hiddenJacobianNorms(tanh, x, { initialState: [h0] });
    expect(kept[T]).toBeCloseTo(Math.sqrt(H), 5);
    // ReLU + identity: active units pass the error through unchanged (∂h_t/∂h_{t−1} = I on them).
    expect(kept[0]).toBeGreaterThan(0.25 * Math.sqrt(H));
    // tanh: a product of 100 Jacobians with |tanh′| < 1 vanishes exponentially.
    expect(vanished[0]).toBeLessThan(1e-8);
    expect(vanished[50]).toBeLessThan(vanished[90]);
    relu.dispose();
    tanh.dispose();
  });
});

it('rejects a sequence whose length is not a multiple of inputSize', async () => {
  const { selectBackend } = await import('@wordloom/backend');
  await selectBackend({ backend: 'cpu' });
  const cell = new SimpleRnnCell({ inputSize: 3, units: 2 });
  expect(() => hiddenJacobianNorms(cell, new Float32Array(4))).toThrow(InvalidArgumentError);
  cell.dispose();
});
