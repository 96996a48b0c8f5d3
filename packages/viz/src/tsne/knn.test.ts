import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { expect, it } from 'vitest';
import { VizKernels } from '../kernels/viz-kernels.js';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { kernelNeighbours, nearestNeighbours } from './knn.js';

describeEachBackend('nearestNeighbours', () => {
  it('finds the same neighbours and float64 distances as brute force, across several row blocks', async () => {
    const { x } = gaussianBlobs(4, 25, 6, { spacing: 3 });
    const n = x.rows;
    const k = 7;
    const result = await expectNoLeaks(() => nearestNeighbours(x, k, { blockElements: 1000 }));
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let a = 0; a < x.cols; a++) s += (x.data[i * x.cols + a] - x.data[j * x.cols + a]) ** 2;
        return { j, s };
      })
        .filter((e) => e.j !== i)
        .sort((a, b) => a.s - b.s || a.j - b.j)
        .slice(0, k);
      expect([...result.indices.subarray(i * k, (i + 1) * k)]).toEqual(all.map((e) => e.j));
      for (const [c, e] of all.entries()) expect(result.distances[i * k + c]).toBeCloseTo(e.s, 12);
    }
  });

  it('the WebAssembly search (1 and 2 threads) finds the same neighbours and distances', async () => {
    const { x } = gaussianBlobs(5, 80, 20, { spacing: 2 });
    const tfjs = await nearestNeighbours(x, 15);
    for (const threads of [1, 2]) {
      const kernels = await VizKernels.start(threads);
      try {
        const got = kernelNeighbours(kernels, x, 15);
        expect(Array.from(got.indices)).toEqual(Array.from(tfjs.indices));
        expect(Array.from(got.distances)).toEqual(Array.from(tfjs.distances));
      } finally {
        kernels.close();
      }
    }
  });

  it('rejects k outside [1, n − 1]', async () => {
    const { x } = gaussianBlobs(1, 5, 2);
    await expect(nearestNeighbours(x, 5)).rejects.toThrow(InvalidArgumentError);
  });
});
