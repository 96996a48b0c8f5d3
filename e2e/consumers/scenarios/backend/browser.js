// @wordloom/backend in a browser bundle: selects the cpu backend of the page's own tfjs-core.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@wordloom/backend';
import { report } from './page.js';

report(async () => {
  const info = await selectBackend({ backend: 'cpu' });
  const product = tf.tidy(() =>
    tf
      .matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      )
      .arraySync(),
  );
  return [`${info.name} ${info.threads} ${info.source} ${tf.getBackend()} ${JSON.stringify(product)}`];
});
