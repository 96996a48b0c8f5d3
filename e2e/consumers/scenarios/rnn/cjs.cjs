// @wordloom/rnn through `require`: same checks as esm.mjs.
require('@tensorflow/tfjs-backend-cpu');
const tf = require('@tensorflow/tfjs-core');
const { clipByGlobalNorm, Rnn, SimpleRnnCell, sequenceCall } = require('@wordloom/rnn');

async function main() {
  await tf.setBackend('cpu');
  const cell = new SimpleRnnCell({ inputSize: 1, units: 1 });
  cell.kernel.assign(tf.tensor2d([[2]]));
  cell.recurrentKernel.assign(tf.tensor2d([[0.5]]));
  const { output } = sequenceCall(new Rnn(cell), tf.tensor3d([[[1], [0]]]), { returnSequences: true });
  console.log(Array.from(output.dataSync(), (h) => h.toFixed(4)).join(' '));
  console.log(Math.tanh(2).toFixed(4), Math.tanh(0.5 * Math.tanh(2)).toFixed(4));
  const { grads, globalNorm } = clipByGlobalNorm([tf.tensor1d([3, 4]), tf.tensor1d([12])], 6.5);
  console.log(
    globalNorm,
    Array.from(grads[0].dataSync()).join(' '),
    Array.from(grads[1].dataSync()).join(' '),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
