import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { describe, expect, it } from 'vitest';
import {
  cosineDistance,
  cosineDistances,
  cosineSimilarities,
  cosineSimilarity,
  cosineSimilarityTensor,
  dotProduct,
  dotProducts,
  dotProductTensor,
} from './similarity.js';
import { SparseMatrix } from './sparse/sparse-matrix.js';

const matrix = SparseMatrix.fromRows(
  [
    [
      [0, 4],
      [1, 6],
    ],
    [[2, 1]],
    [],
    [
      [0, 1],
      [1, 1],
      [2, 1],
    ],
  ],
  3,
);

describe('similarity', () => {
  it('gives cos = 1 for the chapter’s x = [2 3]ᵀ, y = [4 6]ᵀ (same composition)', () => {
    expect(cosineSimilarity([2, 3], [4, 6])).toBeCloseTo(1, 15);
    expect(cosineDistance([2, 3], [4, 6])).toBeCloseTo(0, 14);
    expect(dotProduct([2, 3], [4, 6])).toBe(26);
  });

  it('defines zero vectors as similarity 0, distance 2 (never NaN)', () => {
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(cosineDistance([0, 0], [0, 0])).toBe(2);
    expect(cosineDistance([1, 0], [-1, 0])).toBe(4);
  });

  it('mixes sparse and dense operands', () => {
    const q = { size: 3, indices: Int32Array.of(0, 2), values: Float64Array.of(1, 2) };
    expect(dotProduct(q, [3, 5, 7])).toBe(17);
    expect(dotProduct([3, 5, 7], q)).toBe(17);
    expect(dotProduct(q, matrix.row(3))).toBe(3);
    expect(() => dotProduct(q, [1, 2])).toThrow(/Argument 'b' passed to 'dotProduct'/);
  });

  it('scores one query against every row (batched)', () => {
    const q = [2, 3, 0];
    expect(Array.from(dotProducts(q, matrix))).toEqual([26, 0, 0, 5]);
    const cos = cosineSimilarities(q, matrix);
    expect(cos[0]).toBeCloseTo(1, 15);
    expect(cos[1]).toBe(0);
    expect(cos[2]).toBe(0); // empty row
    expect(cos[3]).toBeCloseTo(5 / (Math.sqrt(13) * Math.sqrt(3)), 15);
    expect(cosineDistances(q, matrix)[2]).toBe(2);
  });
});

describeEachBackend('similarity on tensors', () => {
  it('matches the sparse results in one matMul, zero rows at 0', async () => {
    await expectNoLeaks(async () => {
      const docs = matrix.toTensor();
      const queries = tf.tensor2d([
        [2, 3, 0],
        [0, 0, 0],
      ]);
      const cos = cosineSimilarityTensor(queries, docs);
      const single = tf.tensor1d([2, 3, 0]);
      const one = cosineSimilarityTensor(single, docs);
      const dots = dotProductTensor(queries, docs);
      expect(cos.shape).toEqual([2, 4]);
      expect(one.shape).toEqual([4]);
      const c = await cos.data();
      const expected = cosineSimilarities([2, 3, 0], matrix);
      for (let i = 0; i < 4; i++) expect(c[i]).toBeCloseTo(expected[i], 5);
      expect(Array.from(c.slice(4))).toEqual([0, 0, 0, 0]);
      expect(Array.from(await dots.data()).slice(0, 4)).toEqual([26, 0, 0, 5]);
      tf.dispose([docs, queries, single, cos, one, dots]);
    });
  });
});
