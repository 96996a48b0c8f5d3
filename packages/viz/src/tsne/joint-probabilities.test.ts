import { describeEachBackend } from '@wordloom/backend/testing';
import { expect, it } from 'vitest';
import { csrToDense, gaussianBlobs } from '../test-support/fixtures.js';
import { denseJointProbabilities, sparseJointProbabilities } from './joint-probabilities.js';
import { nearestNeighbours, squaredDistanceMatrix } from './knn.js';

describeEachBackend('joint probabilities', () => {
  it('sparse P is symmetric, sums to 1 and equals the dense P when every point is a neighbour', async () => {
    const n = 24;
    const { x } = gaussianBlobs(2, n / 2, 3, { spacing: 4 });
    const sparse = csrToDense(sparseJointProbabilities(await nearestNeighbours(x, n - 1), 5));
    const dense = denseJointProbabilities(await squaredDistanceMatrix(x), n, 5);
    let total = 0;
    for (let i = 0; i < n; i++) {
      expect(sparse[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) {
        total += sparse[i * n + j];
        expect(sparse[i * n + j]).toBeCloseTo(sparse[j * n + i], 15);
        // float32 matmul distances (dense) vs float64 re-ranked distances (sparse)
        expect(sparse[i * n + j]).toBeCloseTo(dense[i * n + j], 6);
      }
    }
    expect(total).toBeCloseTo(1, 12);
  });

  it('sparse P keeps each row to its own neighbours plus the points that chose it', async () => {
    const { x } = gaussianBlobs(3, 20, 4);
    const neighbours = await nearestNeighbours(x, 6);
    const p = sparseJointProbabilities(neighbours, 2);
    for (let i = 0; i < 60; i++) {
      const row = new Set(p.columns.subarray(p.rowStart[i], p.rowStart[i + 1]));
      for (let c = 0; c < 6; c++) expect(row.has(neighbours.indices[i * 6 + c])).toBe(true);
      for (const j of row) {
        const chose = [...neighbours.indices.subarray(j * 6, j * 6 + 6)].includes(i);
        const chosen = [...neighbours.indices.subarray(i * 6, i * 6 + 6)].includes(j);
        expect(chose || chosen).toBe(true);
      }
    }
  });
});
