// @wordloom/datasets via `import` and `require`: the embedded MNIST (SHA-256 verified) as typed arrays and as
// tensors of the app's own tfjs-core, the chapter's corpora, seeded splits.
import assert from 'node:assert/strict';

/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  await load('@tensorflow/tfjs-backend-cpu');
  const tf = await load('@tensorflow/tfjs-core');
  const { listCorpora, loadCorpusSentences, loadMnist, mnistToTensors, trainValidationSplit } =
    await load('@wordloom/datasets');

  await tf.setBackend('cpu');
  const test = await loadMnist({ split: 'test', limit: 8 });
  console.log(test.count, test.rows, test.cols, test.labels.join(' '));
  const { xs, ys } = mnistToTensors(test, { shape: 'image', oneHot: true });
  assert.ok(xs instanceof tf.Tensor, "tensors come from the app's tfjs-core");
  const decoded = tf.argMax(ys, 1).dataSync();
  assert.deepEqual([...decoded], [...test.labels]);
  console.log(xs.shape.join('x'), ys.shape.join('x'), tf.max(xs).dataSync()[0], tf.min(xs).dataSync()[0]);
  tf.dispose([xs, ys]);

  console.log(listCorpora().length, listCorpora().filter((c) => c.source === 'chapter').length);
  console.log(JSON.stringify(await loadCorpusSentences('chapter-three-sentences')));
  const alice = await loadCorpusSentences('carroll-alice');
  console.log(alice[1].slice(0, 6).join(' '));
  const split = trainValidationSplit(test, { validationFraction: 0.25, seed: 1 });
  console.log(split.train.count, split.validation.count);
}
