import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertOneOf } from '@wordloom/core';
import { type MnistSet, pixelsToFloat32 } from './mnist-set.js';

/** Options of {@link mnistToTensors}. */
export interface MnistToTensorsOptions {
  /**
   * Labels as one-hot `float32 [n, numClasses]` rows (for softmax cross-entropy, as in Listing 4-3);
   * `false` gives `int32 [n]` class indices.
   * @default true
   */
  oneHot?: boolean;
  /**
   * Layout of `xs`: `'flat'` = `[n, rows·cols]`; `'image'` = `[n, rows, cols, 1]` (NHWC for conv);
   * `'sequence'` = `[n, rows, cols]`, each image a sequence of `rows` time steps whose input is one
   * pixel row — the view the chapter's LSTM classifier uses (Listing 4-3, Figure 4-13).
   * @default 'flat'
   */
  shape?: 'flat' | 'image' | 'sequence';
  /**
   * Number of classes of the one-hot labels.
   * @default 10
   */
  numClasses?: number;
}

/**
 * Turns an {@link MnistSet} into tensors: `xs` float32 pixels in [0, 1] (uint8 sets are divided by 255)
 * and `ys` labels. The caller owns (and disposes) both tensors.
 */
export function mnistToTensors(
  set: MnistSet,
  options: MnistToTensorsOptions = {},
): { xs: tf.Tensor; ys: tf.Tensor } {
  const { oneHot = true, shape = 'flat', numClasses = 10 } = options;
  assertOneOf(shape, ['flat', 'image', 'sequence'], 'shape', 'mnistToTensors');
  assertInteger(numClasses, 'numClasses', 'mnistToTensors', 1, 65535);
  const { count, rows, cols } = set;
  const xShape =
    shape === 'flat'
      ? [count, rows * cols]
      : shape === 'image'
        ? [count, rows, cols, 1]
        : [count, rows, cols];
  const pixels = set.images instanceof Float32Array ? set.images : pixelsToFloat32(set.images);
  const xs = tf.tensor(pixels, xShape, 'float32');
  let ys: tf.Tensor;
  if (oneHot) {
    // Built as a typed array rather than tf.oneHot: one upload, no int32 intermediate.
    const hot = new Float32Array(count * numClasses);
    for (let i = 0; i < count; i++) {
      const label = set.labels[i];
      if (label >= numClasses) {
        xs.dispose();
        assertInteger(label, `labels[${i}]`, 'mnistToTensors', 0, numClasses - 1);
      }
      hot[i * numClasses + label] = 1;
    }
    ys = tf.tensor2d(hot, [count, numClasses], 'float32');
  } else {
    ys = tf.tensor1d(Int32Array.from(set.labels), 'int32');
  }
  return { xs, ys };
}
