// @wordloom/rnn in a browser bundle: the hand-set simple RNN and the clipping rule on the page's cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, Rnn, SimpleRnnCell, sequenceCall } from '@wordloom/rnn';
import { report } from './page.js';

report(async () => {
  await tf.setBackend('cpu');
  const cell = new SimpleRnnCell({ inputSize: 1, units: 1 });
  cell.kernel.assign(tf.tensor2d([[2]]));
  cell.recurrentKernel.assign(tf.tensor2d([[0.5]]));
  const { output } = sequenceCall(new Rnn(cell), tf.tensor3d([[[1], [0]]]), { returnSequences: true });
  const { grads, globalNorm } = clipByGlobalNorm([tf.tensor1d([3, 4]), tf.tensor1d([12])], 6.5);
  return [
    Array.from(output.dataSync(), (h) => h.toFixed(4)).join(' '),
    `${globalNorm} ${Array.from(grads[0].dataSync()).join(' ')} ${Array.from(grads[1].dataSync()).join(' ')}`,
  ];
});
