// @wordloom/embeddings via `import` and `require`: analogies on the app's own tfjs-core, Listing 4-1c's
// co-occurrence counts and truncated SVD.
/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  await load('@tensorflow/tfjs-backend-cpu');
  const tf = await load('@tensorflow/tfjs-core');
  const { buildCooccurrence, KeyedVectors, svdEmbeddings } = await load('@wordloom/embeddings');

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
