import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend } from './describe-each-backend.js';
import { expectNoLeaks } from './expect-no-leaks.js';

const seen: string[] = [];
describeEachBackend('describeEachBackend', (backend) => {
  it('runs the suite on the backend it names', () => {
    expect(tf.getBackend()).toBe(backend);
    seen.push(backend);
  });
});

describe('expectNoLeaks', () => {
  it('ran the suite above once per backend', () => {
    expect(seen).toEqual(['cpu', 'wasm']);
  });

  it('passes through the result when nothing leaks', async () => {
    const sum = await expectNoLeaks(() => tf.tidy(() => tf.sum(tf.ones([3])).arraySync()));
    expect(sum).toBe(3);
  });

  it('throws with the count when a tensor is left behind', async () => {
    let kept: tf.Tensor | undefined;
    await expect(
      expectNoLeaks(() => {
        kept = tf.ones([2]);
      }),
    ).rejects.toThrow(/leaked 1 tensor\(s\)/);
    kept?.dispose();
  });
});
