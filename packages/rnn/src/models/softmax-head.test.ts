import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@wordloom/backend';
import { InvalidArgumentError } from '@wordloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfjsProvider } from '../bptt/matmul-provider.js';
import { SoftmaxHead } from './softmax-head.js';

describe('SoftmaxHead', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('a stable log-softmax: finite loss and gradient at a logit gap of 500 (as PyTorch)', () => {
    const head = new SoftmaxHead(1, 3, 1);
    head.kernel.assign(tf.tensor2d([[500, 0, 0]]));
    const p = new TfjsProvider();
    // Logits [500, 0, 0], label 1: −log o_1 = 500 + log(1 + 2e−500) = 500 (log(e^−500 / Σ) would be −∞).
    const r = head.lossAndGradients(p, Float32Array.of(1), 1, Int32Array.of(1));
    expect(r.loss).toBeCloseTo(500, 6);
    expect(Array.from(r.grads[1], (g) => Number(g.toFixed(6)))).toEqual([1, -1, 0]);
    // Label 0 is right with probability 1: loss 0, not NaN.
    expect(head.lossAndGradients(p, Float32Array.of(1), 1, Int32Array.of(0)).loss).toBeCloseTo(0, 10);
    head.dispose();
  });

  it('rejects a label ≥ classes or a fractional label instead of reading the next row', () => {
    const head = new SoftmaxHead(1, 3, 1);
    const p = new TfjsProvider();
    for (const bad of [3, 1.5, Number.NaN])
      expect(() => head.lossAndGradients(p, Float32Array.of(1, 1), 2, [0, bad])).toThrow(
        InvalidArgumentError,
      );
    expect(() => head.lossAndGradients(p, Float32Array.of(1), 1, [7])).toThrow(
      /Argument 'labels' passed to 'lossAndGradients' must be integers below 3/,
    );
    head.dispose();
  });
});
