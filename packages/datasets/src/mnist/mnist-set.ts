import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import type { IdxArray } from '../idx/idx-dtype.js';

/** Images and labels of an MNIST-format set (MNIST, Fashion-MNIST, EMNIST …). */
export interface MnistSet {
  /**
   * `count × rows × cols` pixels, row-major, image after image: `float32` in [0, 1] (pixel / 255) by
   * default, or the raw `uint8` 0–255.
   */
  images: Float32Array | Uint8Array;
  /** One class label per image (0–9 for MNIST). */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height in pixels (28). */
  rows: number;
  /** Image width in pixels (28). */
  cols: number;
}

/** Pixel dtype of an {@link MnistSet}. */
export type MnistDtype = 'float32' | 'uint8';

/** Options of {@link mnistFromIdx}. */
export interface MnistFromIdxOptions {
  /**
   * Pixel type of the set: `float32` in [0, 1] or the raw `uint8`.
   * @default 'float32'
   */
  dtype?: MnistDtype;
  /**
   * Name of the images file in error messages.
   * @default 'images'
   */
  imagesName?: string;
  /**
   * Name of the labels file in error messages.
   * @default 'labels'
   */
  labelsName?: string;
  /**
   * Number of classes: every label must be below it (MNIST's digits 0–9).
   * @default 10
   */
  classes?: number;
}

/**
 * Builds an {@link MnistSet} from parsed IDX arrays — e.g. from {@link readIdx} on fetched files in a
 * browser. Checks that images are `uint8 [n, rows, cols]`, labels `uint8 [n]` with the same `n`, every
 * label below `classes`.
 */
export function mnistFromIdx(
  images: IdxArray,
  labels: IdxArray,
  options: MnistFromIdxOptions = {},
): MnistSet {
  const { dtype = 'float32', imagesName = 'images', labelsName = 'labels', classes = 10 } = options;
  assertInteger(classes, 'classes', 'mnistFromIdx', 2, 256);
  if (dtype !== 'float32' && dtype !== 'uint8') {
    throw new InvalidArgumentError('dtype', 'mnistFromIdx', "'float32' or 'uint8'", dtype);
  }
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new CorruptFileError(
      imagesName,
      `is not an image file: expected uint8 [n, rows, cols], got ${images.dtype} [${images.shape.join(', ')}]`,
      {
        expected: 'uint8 rank 3',
        actual: `${images.dtype} rank ${images.shape.length}`,
      },
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new CorruptFileError(
      labelsName,
      `is not a label file: expected uint8 [n], got ${labels.dtype} [${labels.shape.join(', ')}]`,
      {
        expected: 'uint8 rank 1',
        actual: `${labels.dtype} rank ${labels.shape.length}`,
      },
    );
  }
  const [count, rows, cols] = images.shape;
  if (labels.shape[0] !== count) {
    throw new CorruptFileError(
      labelsName,
      `holds ${labels.shape[0]} labels for ${count} images in ${imagesName}`,
      {
        expected: count,
        actual: labels.shape[0],
      },
    );
  }
  const labelData = labels.data as Uint8Array;
  for (let i = 0; i < labelData.length; i++) {
    if (labelData[i] >= classes) {
      throw new CorruptFileError(labelsName, `label ${i} is ${labelData[i]}, not a class below ${classes}`, {
        expected: `< ${classes}`,
        actual: labelData[i],
      });
    }
  }
  const pixels = images.data as Uint8Array;
  return {
    images: dtype === 'uint8' ? pixels : pixelsToFloat32(pixels),
    labels: labels.data as Uint8Array,
    count,
    rows,
    cols,
  };
}

/** Scales 0–255 pixels to [0, 1]: exactly `p / 255` rounded to float32, through a 256-entry table. */
export function pixelsToFloat32(pixels: Uint8Array): Float32Array {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = i / 255;
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]];
  return out;
}

/**
 * The images and labels at `indices`, in that order, as a new set (copied). Used by the batching
 * helpers; also handy to take a class-balanced subset.
 */
export function selectMnist(set: MnistSet, indices: ArrayLike<number>): MnistSet {
  const size = set.rows * set.cols;
  const n = indices.length;
  const images = set.images instanceof Uint8Array ? new Uint8Array(n * size) : new Float32Array(n * size);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.count) {
      throw new InvalidArgumentError('indices', 'selectMnist', `integers in [0, ${set.count})`, i);
    }
    images.set(set.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i];
  }
  return { images, labels, count: n, rows: set.rows, cols: set.cols };
}

/** True when `value` looks like an {@link MnistSet}. */
export function isMnistSet(value: unknown): value is MnistSet {
  const v = value as MnistSet;
  return (
    typeof value === 'object' &&
    value !== null &&
    (v.images instanceof Float32Array || v.images instanceof Uint8Array) &&
    v.labels instanceof Uint8Array &&
    typeof v.count === 'number'
  );
}
