// @wordloom/datasets in a browser bundle (its portable entry): IDX bytes to an MNIST-style set to
// tensors on the page's cpu backend, the chapter's corpora, seeded shuffling.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  CHAPTER_THREE_SENTENCES,
  encodeIdx,
  listCorpora,
  mnistFromIdx,
  mnistToTensors,
  parseIdx,
  shuffle,
  tokenizeSentences,
} from '@wordloom/datasets';
import { report } from './page.js';

report(async () => {
  await tf.setBackend('cpu');
  const images = parseIdx(
    encodeIdx({ shape: [3, 2, 2], data: new Uint8Array([0, 255, 0, 255, 51, 0, 0, 0, 0, 0, 0, 102]) }),
  );
  const labels = parseIdx(encodeIdx({ shape: [3], data: new Uint8Array([7, 2, 1]) }));
  const set = mnistFromIdx(images, labels);
  const { xs, ys } = mnistToTensors(set, { shape: 'flat', oneHot: true });
  const lines = [
    `${set.count} ${set.rows}x${set.cols} ${xs.shape.join('x')} ${ys.shape.join('x')} ${[...tf.argMax(ys, 1).dataSync()].join(' ')}`,
    [...xs.dataSync()].map((v) => v.toFixed(1)).join(' '),
    JSON.stringify(CHAPTER_THREE_SENTENCES.map((s) => tokenizeSentences(s)[0])),
    `${listCorpora().length} ${[...shuffle([1, 2, 3, 4, 5], { seed: 7 })].length}`,
  ];
  tf.dispose([xs, ys]);
  return lines;
});
