import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { expect, it } from 'vitest';
import { knnAccuracy } from '../metrics/knn-accuracy.js';
import { trustworthiness } from '../metrics/trustworthiness.js';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { tsne } from './tsne.js';

/** Smallest distance between points of different blobs over the largest spread inside a blob. */
function separation(y: Float64Array, labels: number[], dims: number): number {
  let within = 0;
  let between = Infinity;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      let d = 0;
      for (let a = 0; a < dims; a++) d += (y[i * dims + a] - y[j * dims + a]) ** 2;
      if (labels[i] === labels[j]) within = Math.max(within, d);
      else between = Math.min(between, d);
    }
  }
  return Math.sqrt(between / within);
}

describeEachBackend('tsne', (backend) => {
  for (const method of ['exact', 'barnes-hut'] as const) {
    it(`keeps well-separated Gaussian blobs separated (${method}, 2-D)`, async () => {
      const { x, labels } = gaussianBlobs(4, 30, 8);
      const result = await expectNoLeaks(() => tsne(x, { method, perplexity: 10, iterations: 400, seed: 3 }));
      expect(result.method).toBe(method);
      expect(result.iterations).toBeGreaterThan(250);
      expect(await knnAccuracy(result.embedding, labels, { k: 5 })).toBe(1);
      expect(separation(result.embedding.data, labels, 2)).toBeGreaterThan(1);
      expect(await trustworthiness(x, result.embedding, { k: 10 })).toBeGreaterThan(0.9);
      expect(Number.isFinite(result.kl)).toBe(true);
      expect(result.kl).toBeGreaterThan(0);
    });
  }

  it('embeds in 3-D with the octree', async () => {
    const { x, labels } = gaussianBlobs(3, 30, 6);
    const result = await tsne(x, { dimensions: 3, method: 'barnes-hut', perplexity: 10, iterations: 350 });
    expect(result.embedding.cols).toBe(3);
    expect(await knnAccuracy(result.embedding, labels)).toBe(1);
  });

  it('gives the same coordinates for the same seed, different ones for another seed (random init)', async () => {
    const { x } = gaussianBlobs(3, 20, 5);
    const run = (seed: number) =>
      tsne(x, { init: 'random', seed, iterations: 120, perplexity: 8, method: 'barnes-hut' });
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect([...a.embedding.data]).toEqual([...b.embedding.data]);
    expect([...a.embedding.data]).not.toEqual([...c.embedding.data]);
    if (backend === 'cpu') {
      const e1 = await tsne(x, { seed: 9, iterations: 60, perplexity: 8, method: 'exact' });
      const e2 = await tsne(x, { seed: 9, iterations: 60, perplexity: 8, method: 'exact' });
      expect([...e1.embedding.data]).toEqual([...e2.embedding.data]);
    }
  });

  it('reports KL to the callback, lowers it after exaggeration, and stops when the callback says so', async () => {
    const { x } = gaussianBlobs(3, 20, 5);
    const seen: Array<{ iteration: number; kl: number; exaggerated: boolean }> = [];
    const result = await tsne(x, {
      perplexity: 8,
      iterations: 1000,
      klEvery: 1,
      onIteration: ({ iteration, kl, exaggerated, klIteration }) => {
        expect(klIteration).toBe(iteration);
        seen.push({ iteration, kl, exaggerated });
        return iteration < 300;
      },
    });
    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(300);
    expect(seen.map((s) => s.iteration)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(seen[249].exaggerated).toBe(true);
    expect(seen[250].exaggerated).toBe(false);
    expect(seen[299].kl).toBeLessThan(seen[250].kl);
    expect(result.kl).toBe(seen[299].kl);
  });

  it('stops on an aborted signal and still returns the embedding with a fresh KL', async () => {
    const { x } = gaussianBlobs(2, 20, 5);
    const controller = new AbortController();
    const result = await tsne(x, {
      perplexity: 8,
      signal: controller.signal,
      onIteration: ({ iteration }) => {
        if (iteration === 40) controller.abort();
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.iterations).toBe(40);
    expect(Number.isFinite(result.kl)).toBe(true);
  });

  it('rejects NaN rows and perplexity ≥ n with errors naming the argument', async () => {
    const rows = [
      [0, 1],
      [1, Number.NaN],
      [2, 2],
      [3, 1],
    ];
    await expect(tsne(rows, { perplexity: 1 })).rejects.toThrow(
      "Argument 'input' passed to 'tsne' must be finite in every entry (row 1, column 1), got NaN",
    );
    const ok = [
      [0, 1],
      [1, 0],
      [2, 2],
      [3, 1],
    ];
    const error = await tsne(ok, { perplexity: 4 }).catch((e) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "Argument 'perplexity' passed to 'tsne' must be less than the number of points (4), got 4",
    );
    await expect(tsne(ok, { dimensions: 4 as 2 })).rejects.toThrow(/'dimensions'.*2 or 3/);
    await expect(tsne([[1, 2], [3]], {})).rejects.toThrow(/rows of equal length/);
    const large = { data: new Float64Array(10_001), rows: 10_001, cols: 1 };
    await expect(tsne(large, { method: 'exact' })).rejects.toThrow(
      /'method' passed to 'tsne' must be 'barnes-hut' or 'auto' above 10000 points/,
    );
  });
});
