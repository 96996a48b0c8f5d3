// @wordloom/embeddings in a browser bundle: analogies on the page's cpu backend, co-occurrence + SVD.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { buildCooccurrence, KeyedVectors, svdEmbeddings } from '@wordloom/embeddings';
import { report } from './page.js';

report(async () => {
  await tf.setBackend('cpu');
  const kv = new KeyedVectors(
    ['man', 'woman', 'king', 'queen', 'apple'],
    new Float32Array([1, 1, 1, -1, 3, 1, 3, -1, -1, 0]),
    2,
  );
  const counts = await buildCooccurrence(
    [
      ['i', 'like', 'machine', 'learning'],
      ['i', 'like', 'tensorflow'],
      ['i', 'prefer', 'python'],
    ],
    { window: 1 },
  );
  const { vectors, singularValues } = svdEmbeddings(counts, { dim: 2 });
  return [
    `${kv.analogy('man', 'king', 'woman')[0].word} ${kv.doesntMatch(['man', 'woman', 'king', 'apple'])}`,
    `${counts.words.join(' ')} ${counts.get(0, 1)}`,
    `${vectors.dim} ${singularValues[0] > singularValues[1]}`,
  ];
});
