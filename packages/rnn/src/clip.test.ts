import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { expect, it } from 'vitest';
import { clipBuffersByGlobalNorm, clipBuffersByValue, clipByGlobalNorm, clipByValue } from './clip.js';

describeEachBackend('gradient clipping', () => {
  it('scales all gradients by k/‖g‖ when the global norm exceeds k (the chapter’s step 2)', async () => {
    // ‖g‖ = √(3² + 4² + 12²) = 13 over both tensors; k = 6.5 halves every element.
    const a = tf.tensor1d([3, 4]);
    const b = tf.tensor2d([[12]]);
    await expectNoLeaks(() => {
      const { grads, globalNorm } = clipByGlobalNorm([a, b], 6.5);
      expect(globalNorm).toBeCloseTo(13, 5);
      expect(Array.from(grads[0].dataSync())).toEqual([1.5, 2]);
      expect(Array.from(grads[1].dataSync())).toEqual([6]);
      tf.dispose(grads);
    });
    tf.dispose([a, b]);
  });

  it('leaves gradients under the threshold unchanged, named maps included', async () => {
    const g = { w: tf.tensor1d([0.3, 0.4]) };
    const { grads, globalNorm } = clipByGlobalNorm(g, 1);
    expect(globalNorm).toBeCloseTo(0.5, 6);
    expect(Array.from(grads.w.dataSync())).toEqual(Array.from(g.w.dataSync()));
    tf.dispose([g.w, grads.w]);
  });

  it('clips by value element-wise', () => {
    const g = [tf.tensor1d([-3, 0.5, 2])];
    const [c] = clipByValue(g, 1);
    expect(Array.from(c.dataSync())).toEqual([-1, 0.5, 1]);
    tf.dispose([...g, c]);
  });
});

it('typed-array clipping matches the two-step rule and value clipping', () => {
  const grads = [Float32Array.of(3, 4), Float32Array.of(12)];
  expect(clipBuffersByGlobalNorm(grads, 6.5)).toBeCloseTo(13, 5);
  expect([...grads[0], ...grads[1]]).toEqual([1.5, 2, 6]);
  clipBuffersByValue(grads, 1.75);
  expect([...grads[0], ...grads[1]]).toEqual([1.5, 1.75, 1.75]);
});

it('rejects a non-positive threshold naming the argument', () => {
  expect(() => clipByGlobalNorm([], 0)).toThrow(InvalidArgumentError);
  expect(() => clipByValue([], -1)).toThrow(
    /Argument 'maxValue' passed to 'clipByValue' must be a finite number > 0/,
  );
});
