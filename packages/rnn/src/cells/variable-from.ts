import * as tf from '@tensorflow/tfjs-core';

/**
 * A trainable variable holding `initial`'s values, with `initial` disposed: `tf.variable(t)` shares
 * t's data but leaves the tensor `t` alive, so every weight created inline as `tf.variable(tf.tensor…)`
 * would stay in `tf.memory().numTensors` after the model is disposed.
 */
export function variableFrom(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}
