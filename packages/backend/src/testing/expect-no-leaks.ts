import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and throws if it left tensors behind (`tf.memory().numTensors` grew).
 * Returns what `fn` returned; anything it returns that holds tensors counts as a leak, so return
 * plain numbers or arrays.
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(
      `leaked ${after - before} tensor(s): tf.memory().numTensors went from ${before} to ${after}`,
    );
  }
  return result;
}
