// @wordloom/text-vsm in a browser bundle: the chapter's vector space example on the page's cpu backend,
// BM25 search through a serialized index, a Kneser-Ney n-gram LM.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  cosineSimilarity,
  cosineSimilarityTensor,
  countVectors,
  NgramLanguageModel,
  SearchIndex,
  tokenize,
  Vocabulary,
} from '@wordloom/text-vsm';
import { report } from './page.js';

report(async () => {
  await tf.setBackend('cpu');
  const docs = ['The dog chased the cat', 'The cat was chased down by the dog'].map((text) =>
    tokenize(text, { lowercase: false }),
  );
  const vocabulary = Vocabulary.build(docs);
  const counts = countVectors(docs, vocabulary);
  const dense = counts.toTensor();
  const cosines = cosineSimilarityTensor(tf.slice(dense, [0, 0], [1, -1]), dense);
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
  const copy = SearchIndex.load(index.serialize());
  const lm = NgramLanguageModel.fit(
    [
      ['the', 'cat', 'sat', 'on', 'the', 'mat'],
      ['the', 'dog', 'sat', 'on', 'the', 'log'],
      ['the', 'cat', 'ate', 'the', 'fish'],
    ],
    { order: 3, smoothing: 'kneser-ney' },
  );
  const lines = [
    vocabulary.words.join(' '),
    `${cosineSimilarity(counts.row(0), counts.row(1)) === 5 / Math.sqrt(40)} ${[...cosines.dataSync()].map((c) => c.toFixed(6)).join(' ')}`,
    `${copy.documentCount} ${copy
      .search('cat chased', { top: 2 })
      .map((hit) => `${hit.doc} ${hit.score.toFixed(4)}`)
      .join(', ')}`,
    lm
      .nextWord(['sat', 'on'], 2)
      .map((n) => `${n.word} ${n.probability.toFixed(3)}`)
      .join(', '),
  ];
  tf.dispose([dense, cosines]);
  return lines;
});
