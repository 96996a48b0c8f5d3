import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { writeIdx } from '../idx/write-idx-file.js';
import { embeddedMnistDir, verifyEmbeddedFile } from './embedded-mnist.js';
import { loadMnist } from './load-mnist.js';

function histogram(labels: Uint8Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

describe('loadMnist (embedded copy)', () => {
  it('loads all 60,000 training images with the published label histogram', async () => {
    const train = await loadMnist({ dtype: 'uint8' });
    expect([train.count, train.rows, train.cols, train.images.length]).toEqual([60000, 28, 28, 47_040_000]);
    expect([...train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    // Class counts of the MNIST training set (LeCun et al.; e.g. tensorflow-datasets' statistics).
    expect(histogram(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    // Row 5 of the first image, the "5" shown on yann.lecun.com: a hand-checkable stretch of pixels.
    expect([...train.images.subarray(5 * 28 + 12, 5 * 28 + 24)]).toEqual([
      3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127,
    ]);
    expect(sum(train.images.subarray(0, 784))).toBe(27525);
  });

  it('loads the 10,000 test images as float32 in [0, 1], pixel / 255', async () => {
    const test = await loadMnist({ split: 'test' });
    expect(test.images).toBeInstanceOf(Float32Array);
    expect(test.count).toBe(10000);
    expect(histogram(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // Sum of all 7,840,000 raw test pixels (computed independently with Python) divided by 255.
    expect(sum(test.images)).toBeCloseTo(264923200 / 255, 0);
    expect(Math.max(...test.images.subarray(0, 784))).toBe(1);
  });

  it('takes the first images with limit', async () => {
    const head = await loadMnist({ limit: 5, dtype: 'uint8' });
    expect([head.count, head.images.length, [...head.labels]]).toEqual([5, 3920, [5, 0, 4, 1, 9]]);
    expect(sum(head.images.subarray(0, 784))).toBe(27525);
  });

  it('rejects bad options naming the argument', async () => {
    await expect(loadMnist({ split: 'validation' as never })).rejects.toThrow(
      "Argument 'split' passed to 'loadMnist' must be one of 'train', 'test', got \"validation\"",
    );
    await expect(loadMnist({ limit: -1 })).rejects.toThrow(/Argument 'limit' passed to 'loadMnist'/);
    await expect(loadMnist({ dtype: 'int32' as never })).rejects.toThrow(/Argument 'dtype'/);
  });

  it('verifies the embedded files by SHA-256 and refuses a damaged copy', async () => {
    await expect(
      verifyEmbeddedFile(join(embeddedMnistDir(), 't10k-labels-idx1-ubyte'), 't10k-labels-idx1-ubyte'),
    ).resolves.toBeUndefined();
    const dir = await mkdtemp(join(tmpdir(), 'wl-mnist-sha-'));
    const damaged = join(dir, 't10k-labels-idx1-ubyte');
    const bytes = await readFile(join(embeddedMnistDir(), 't10k-labels-idx1-ubyte'));
    bytes[100] ^= 1;
    await writeFile(damaged, bytes);
    const error = await verifyEmbeddedFile(damaged, 't10k-labels-idx1-ubyte').catch((e) => e);
    expect(CorruptFileError.isInstance(error)).toBe(true);
    expect(error.expected).toBe('ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2');
    expect(error.message).toMatch(/SHA-256 mismatch/);
  });
});

describe('loadMnist({dir})', () => {
  it('reads the four standard files raw or gzip-compressed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-mnist-dir-'));
    const images = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => i);
    await writeIdx(join(dir, 'train-images-idx3-ubyte.gz'), { shape: [3, 4, 5], data: images });
    await writeIdx(join(dir, 'train-labels-idx1-ubyte'), { shape: [3], data: new Uint8Array([7, 8, 9]) });
    const set = await loadMnist({ dir, dtype: 'uint8' });
    expect([set.count, set.rows, set.cols, [...set.labels], [...set.images]]).toEqual([
      3,
      4,
      5,
      [7, 8, 9],
      [...images],
    ]);
    expect((await loadMnist({ dir, limit: 2 })).images[2 * 20 - 1]).toBeCloseTo(39 / 255, 7);
  });

  it('says which file is missing, truncated, or disagrees with its partner', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-mnist-bad-'));
    const missing = await loadMnist({ dir, split: 'test' }).catch((e) => e);
    expect(UnavailableError.isInstance(missing)).toBe(true);
    expect(missing.message).toMatch(
      /^cannot read .*t10k-images-idx3-ubyte: no such file \(also tried .*\.gz/,
    );

    await writeIdx(join(dir, 't10k-images-idx3-ubyte'), { shape: [2, 2, 2], data: new Uint8Array(8) });
    await writeIdx(join(dir, 't10k-labels-idx1-ubyte'), { shape: [3], data: new Uint8Array(3) });
    await expect(loadMnist({ dir, split: 'test' })).rejects.toThrow(
      /t10k-labels-idx1-ubyte: holds 3 labels for 2 images/,
    );

    const embedded = join(embeddedMnistDir(), 't10k-labels-idx1-ubyte');
    const cut = (await readFile(embedded)).subarray(0, 5000);
    await writeFile(join(dir, 't10k-labels-idx1-ubyte'), cut);
    const error = await loadMnist({ dir, split: 'test' }).catch((e) => e);
    expect(error).toMatchObject({ expected: 10008, actual: 5000 });
    expect(error.message).toContain('t10k-labels-idx1-ubyte: is truncated');
    await copyFile(embedded, join(dir, 't10k-labels-idx1-ubyte'));
    await expect(loadMnist({ dir, split: 'test' })).rejects.toThrow(/holds 10000 labels for 2 images/);
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const hasFashion = existsSync(join(FASHION, 't10k-images-idx3-ubyte.gz'));
if (!hasFashion) {
  console.warn(`Fashion-MNIST test skipped: ${FASHION} is absent (Debian package dataset-fashion-mnist)`);
}

describe.skipIf(!hasFashion)('Fashion-MNIST from /usr/share/datasets/fashion-mnist', () => {
  it('loads the gzip files the same way', async () => {
    const test = await loadMnist({ dir: FASHION, split: 'test', dtype: 'uint8' });
    expect([test.count, test.rows, test.cols]).toEqual([10000, 28, 28]);
    // First test labels: ankle boot, pullover, trouser, trouser, shirt; 1,000 images per class.
    expect([...test.labels.subarray(0, 5)]).toEqual([9, 2, 1, 1, 6]);
    expect(histogram(test.labels)).toEqual(new Array(10).fill(1000));
    const train = await loadMnist({ dir: FASHION, limit: 1, dtype: 'uint8' });
    expect([train.labels[0], sum(train.images)]).toEqual([9, 76247]);
  });
});
