import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { describe, expect, it } from 'vitest';
import { binaryVectors, countVectors, oneHotVectors, wordByDocumentVectors } from './count-vectorizer.js';
import { cosineDistance, cosineSimilarity, dotProduct } from './similarity.js';
import { tokenize } from './tokenize/tokenizer.js';
import { Vocabulary } from './vocabulary.js';

// The chapter's worked example. Its counting is case-sensitive: "The" and "the" are different words
// (8 dimensions: The dog chased the cat down by was), so every count is 1.
const chapterDocs = ['The dog chased the cat', 'The cat was chased down by the dog'].map((t) =>
  tokenize(t, { lowercase: false }),
);

describe('count vectors (chapter VSM example)', () => {
  const vocab = Vocabulary.build(chapterDocs);
  const counts = countVectors(chapterDocs, vocab);

  it('gives the chapter’s 8-dimensional vectors and cosine 5/√40', () => {
    expect(vocab.size).toBe(8);
    expect(counts.toArray()).toEqual([
      [1, 1, 1, 1, 1, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ]);
    expect(cosineSimilarity(counts.row(0), counts.row(1))).toBeCloseTo(5 / Math.sqrt(40), 15);
    expect(cosineDistance(counts.row(0), counts.row(1))).toBeCloseTo(2 * (1 - 5 / Math.sqrt(40)), 15);
    expect(dotProduct(counts.row(0), counts.row(1))).toBe(5);
  });

  it('differs once case is folded (the → 2 in Doc1), which is why the chapter keeps it', () => {
    const lower = chapterDocs.map((d) => d.map((w) => w.toLowerCase()));
    const v = countVectors(lower, Vocabulary.build(lower));
    // the:2 dog chased cat vs the:2 cat was chased down by dog → (4+1+1+1)/(√7·√10)
    expect(cosineSimilarity(v.row(0), v.row(1))).toBeCloseTo(7 / Math.sqrt(70), 15);
  });

  it('builds binary, one-hot and word-by-document vectors', () => {
    const docs = [['a', 'b', 'a'], ['b', 'c'], []];
    const v = Vocabulary.build(docs);
    expect(countVectors(docs, v).toArray()).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    expect(binaryVectors(docs, v).toArray()).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    expect(oneHotVectors(['c', 'a'], v).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(wordByDocumentVectors(docs, v).toArray()).toEqual([
      [2, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    // the chapter: "the" over the two documents is the 2-vector [1 1]
    const wbd = wordByDocumentVectors(chapterDocs, vocab);
    expect(Array.from(wbd.toDense().subarray(vocab.id('the') * 2, vocab.id('the') * 2 + 2))).toEqual([1, 1]);
    expect(() => oneHotVectors(['zebra'], v)).toThrow(/Argument 'words' passed to 'oneHotVectors'/);
    expect(countVectors([['zebra']], v).nnz).toBe(0); // unknown words are ignored
  });
});

describeEachBackend('SparseMatrix.toTensor', () => {
  it('converts to a dense float32 tensor', async () => {
    const vocab = Vocabulary.build(chapterDocs);
    const m = countVectors(chapterDocs, vocab);
    await expectNoLeaks(async () => {
      const t = m.toTensor();
      expect(t.shape).toEqual([2, 8]);
      expect(t.dtype).toBe('float32');
      expect(Array.from(await t.data())).toEqual(Array.from(m.toDense()));
      t.dispose();
    });
  });
});
