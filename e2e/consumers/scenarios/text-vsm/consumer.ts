// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20).
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import {
  cosineSimilarity,
  cosineSimilarityTensor,
  countVectors,
  NgramLanguageModel,
  SearchIndex,
  type SparseMatrix,
  tokenize,
  Vocabulary,
} from '@wordloom/text-vsm';

const docs: string[][] = ['The dog chased the cat'].map((text) => tokenize(text, { lowercase: false }));
const vocabulary: Vocabulary = Vocabulary.build(docs);
const counts: SparseMatrix = countVectors(docs, vocabulary);
const cosine: number = cosineSimilarity(counts.row(0), counts.row(0));
const dense: Tensor2D = counts.toTensor();
const cosines: Tensor = cosineSimilarityTensor(dense, dense);
const index = new SearchIndex();
index.add('The dog chased the cat');
const hits: { doc: number; score: number }[] = index.search('cat', { top: 1 });
const lm: NgramLanguageModel = NgramLanguageModel.fit(docs, { order: 2 });

// @ts-expect-error search takes a query string
index.search(42);

export { cosine, cosines, hits, lm };
