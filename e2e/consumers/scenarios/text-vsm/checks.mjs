// @wordloom/text-vsm via `import` and `require`: the chapter's vector space example (cos θ = 5/√40) on typed
// arrays and on the app's tfjs-core, BM25 search saved and loaded through `/node`, a Kneser-Ney n-gram LM.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  await load('@tensorflow/tfjs-backend-cpu');
  const tf = await load('@tensorflow/tfjs-core');
  const {
    cosineSimilarity,
    cosineSimilarityTensor,
    countVectors,
    NgramLanguageModel,
    SearchIndex,
    tokenize,
    Vocabulary,
  } = await load('@wordloom/text-vsm');
  const { loadSearchIndex, saveSearchIndex } = await load('@wordloom/text-vsm/node');

  await tf.setBackend('cpu');
  const docs = ['The dog chased the cat', 'The cat was chased down by the dog'].map((text) =>
    tokenize(text, { lowercase: false }),
  );
  const vocabulary = Vocabulary.build(docs);
  const counts = countVectors(docs, vocabulary);
  console.log(vocabulary.words.join(' '));
  assert.equal(cosineSimilarity(counts.row(0), counts.row(1)), 5 / Math.sqrt(40));
  const dense = counts.toTensor();
  assert.ok(dense instanceof tf.Tensor, "tensors come from the app's tfjs-core");
  const cosines = cosineSimilarityTensor(tf.slice(dense, [0, 0], [1, -1]), dense);
  console.log(cosines.shape.join('x'), [...cosines.dataSync()].map((c) => c.toFixed(6)).join(' '));
  tf.dispose([dense, cosines]);

  const index = new SearchIndex();
  for (const text of [
    'The dog chased the cat',
    'The cat was chased down by the dog',
    'A bird sang in the tree',
    'Dogs and cats and birds',
    'The cat slept',
  ]) {
    index.add(text);
  }
  const dir = await mkdtemp(join(tmpdir(), 'wordloom-text-vsm-consumer-'));
  await saveSearchIndex(index, join(dir, 'index.bin'));
  const copy = await loadSearchIndex(join(dir, 'index.bin'));
  await rm(dir, { recursive: true });
  console.log(
    copy.documentCount,
    copy
      .search('cat chased', { top: 2 })
      .map((hit) => `${hit.doc} ${hit.score.toFixed(4)}`)
      .join(', '),
  );

  const lm = NgramLanguageModel.fit(
    [
      ['the', 'cat', 'sat', 'on', 'the', 'mat'],
      ['the', 'dog', 'sat', 'on', 'the', 'log'],
      ['the', 'cat', 'ate', 'the', 'fish'],
    ],
    { order: 3, smoothing: 'kneser-ney' },
  );
  console.log(
    lm
      .nextWord(['sat', 'on'], 2)
      .map((n) => `${n.word} ${n.probability.toFixed(3)}`)
      .join(', '),
  );
}
