// @wordloom/embeddings through `require`: same checks as esm.mjs.
require('@tensorflow/tfjs-backend-cpu');
const tf = require('@tensorflow/tfjs-core');
const { buildCooccurrence, KeyedVectors, svdEmbeddings } = require('@wordloom/embeddings');

async function main() {
  await tf.setBackend('cpu');
  const kv = new KeyedVectors(
    ['man', 'woman', 'king', 'queen', 'apple'],
    new Float32Array([1, 1, 1, -1, 3, 1, 3, -1, -1, 0]),
    2,
  );
  console.log(kv.analogy('man', 'king', 'woman')[0].word, kv.doesntMatch(['man', 'woman', 'king', 'apple']));
  const counts = await buildCooccurrence(
    [
      ['i', 'like', 'machine', 'learning'],
      ['i', 'like', 'tensorflow'],
      ['i', 'prefer', 'python'],
    ],
    { window: 1 },
  );
  console.log(counts.words.join(' '), counts.get(0, 1));
  const { vectors, singularValues } = svdEmbeddings(counts, { dim: 2 });
  console.log(vectors.dim, singularValues[0] > singularValues[1]);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
