import { KeyedVectors } from '@wordloom/embeddings';
import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from './neighbours.js';

const vectors = new KeyedVectors(['a', 'b', 'c', 'd'], Float32Array.of(1, 0, 10, 0.5, 0, 1, 3, 3), 2);

describe('nearestNeighbours', () => {
  it('ranks by cosine exactly as mostSimilar does', () => {
    expect(nearestNeighbours(vectors, 'a', 'cosine', 2)).toEqual(
      vectors.mostSimilar({ positive: ['a'], topN: 2 }).map((s) => ({
        word: s.word,
        index: vectors.indexOf(s.word),
        score: s.similarity,
      })),
    );
  });

  it('ranks by euclidean distance, nearest first, without the word itself', () => {
    const got = nearestNeighbours(vectors, 'a', 'euclidean', 3);
    expect(got.map((n) => n.word)).toEqual(['c', 'd', 'b']);
    expect(got[0].score).toBeCloseTo(Math.SQRT2, 6);
    expect(got[1].score).toBeCloseTo(Math.sqrt(13), 6);
    expect(got[2].score).toBeCloseTo(Math.sqrt(81.25), 6);
  });

  it('rejects an unknown word and metric', () => {
    expect(() => nearestNeighbours(vectors, 'zz', 'euclidean', 2)).toThrow(/zz/);
    expect(() => nearestNeighbours(vectors, 'a', 'manhattan' as never, 2)).toThrow(/Argument 'metric'/);
  });
});
