// @wordloom/rnn via `import` and `require`: a one-unit simple RNN with hand-set weights on the app's own
// tfjs-core — h_1 = tanh(2), h_2 = tanh(0.5·h_1) — and the chapter's clipping rule (‖g‖ = 13 > 6.5).
/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  await load('@tensorflow/tfjs-backend-cpu');
  const tf = await load('@tensorflow/tfjs-core');
  const { clipByGlobalNorm, Rnn, SimpleRnnCell, sequenceCall } = await load('@wordloom/rnn');

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
