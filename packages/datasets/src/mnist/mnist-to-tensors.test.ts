import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { expect, it } from 'vitest';
import type { MnistSet } from './mnist-set.js';
import { mnistFromIdx, selectMnist } from './mnist-set.js';
import { mnistToTensors } from './mnist-to-tensors.js';

// Two 2×3 "images" with pixels 0…11 and labels 3, 0.
const raw: MnistSet = {
  images: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  labels: new Uint8Array([3, 0]),
  count: 2,
  rows: 2,
  cols: 3,
};

describeEachBackend('mnistToTensors', () => {
  it('gives flat float32 pixels / 255 and one-hot labels by default', async () => {
    const { xs, ys } = mnistToTensors(raw);
    expect([xs.shape, xs.dtype, ys.shape, ys.dtype]).toEqual([[2, 6], 'float32', [2, 10], 'float32']);
    expect(await xs.data()).toEqual(Float32Array.from({ length: 12 }, (_, i) => (i * 20) / 255));
    expect(await ys.array()).toEqual([
      [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    tf.dispose([xs, ys]);
  });

  it('has image and row-sequence views and integer labels', async () => {
    const image = mnistToTensors(raw, { shape: 'image', oneHot: false });
    expect([image.xs.shape, image.ys.shape, image.ys.dtype]).toEqual([[2, 2, 3, 1], [2], 'int32']);
    expect(await image.ys.data()).toEqual(new Int32Array([3, 0]));
    const sequence = mnistToTensors(raw, { shape: 'sequence', numClasses: 4 });
    expect([sequence.xs.shape, sequence.ys.shape]).toEqual([
      [2, 2, 3],
      [2, 4],
    ]);
    // Time step 1 of image 0 is its second pixel row.
    const step = tf.slice(sequence.xs, [0, 1, 0], [1, 1, 3]);
    expect(await step.data()).toEqual(new Float32Array([60, 80, 100].map((v) => v / 255)));
    tf.dispose([image.xs, image.ys, sequence.xs, sequence.ys, step]);
  });

  it('leaves no tensors behind when a label does not fit numClasses', async () => {
    await expectNoLeaks(() => {
      expect(() => mnistToTensors(raw, { numClasses: 3 })).toThrow(
        /Argument 'labels\[0\]' passed to 'mnistToTensors'/,
      );
    });
    expect(() => mnistToTensors(raw, { shape: 'nchw' as never })).toThrow(/Argument 'shape'/);
  });
});

it('mnistFromIdx checks the arrays and selectMnist gathers images in order', () => {
  const images = { dtype: 'uint8' as const, shape: [2, 2, 3], data: raw.images as Uint8Array };
  const labels = { dtype: 'uint8' as const, shape: [2], data: raw.labels };
  const set = mnistFromIdx(images, labels, { dtype: 'uint8' });
  const picked = selectMnist(set, [1, 1, 0]);
  expect([picked.count, [...picked.labels]]).toEqual([3, [0, 0, 3]]);
  expect([...picked.images.subarray(0, 6)]).toEqual([120, 140, 160, 180, 200, 220]);
  expect(() => selectMnist(set, [2])).toThrow(/must be integers in \[0, 2\)/);
  expect(() => mnistFromIdx(labels, labels)).toThrow(
    /images: is not an image file: expected uint8 \[n, rows, cols\], got uint8 \[2\]/,
  );
});
