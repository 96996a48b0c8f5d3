import { describeEachBackend } from '@wordloom/backend/testing';
import { expect, it } from 'vitest';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { trustworthiness } from './trustworthiness.js';

const idx = Array.from({ length: 30 }, (_, i) => i);
const X = idx.map((i) => [Math.sin(i), Math.cos(2 * i), i / 10]);
const Y = idx.map((i) => [i / 10 + 0.3 * Math.sin(3 * i), Math.cos(i)]);

describeEachBackend('trustworthiness', () => {
  it('is 1 for an embedding that keeps every neighbourhood (a scaled copy)', async () => {
    expect(
      await trustworthiness(
        X,
        X.map((r) => r.map((v) => 3 * v)),
        { k: 5 },
      ),
    ).toBe(1);
  });

  it("matches scikit-learn 1.2's trustworthiness on a fixed example", async () => {
    // sklearn.manifold.trustworthiness(X, Y, n_neighbors=5) = 0.7451515151515151 and
    // trustworthiness(X, X[:, :2], n_neighbors=3) = 0.7337777777777778 (computed once with sklearn 1.2.1).
    expect(await trustworthiness(X, Y, { k: 5 })).toBeCloseTo(0.7451515151515151, 12);
    expect(
      await trustworthiness(
        X,
        X.map((r) => r.slice(0, 2)),
        { k: 3 },
      ),
    ).toBeCloseTo(0.7337777777777778, 12);
  });

  it('estimates T(k) from a seeded sample of points within 0.01, and is exact when the sample holds them all', async () => {
    const { x } = gaussianBlobs(4, 150, 6, { spacing: 3 });
    // A lossy 2-D view: the first two coordinates plus a twist, so neighbourhoods are partly wrong.
    const y = Array.from({ length: x.rows }, (_, i) => [
      x.data[i * 6] + 0.5 * Math.sin(x.data[i * 6 + 2]),
      x.data[i * 6 + 1] + 0.5 * Math.cos(x.data[i * 6 + 3]),
    ]);
    const exact = await trustworthiness(x, y, { k: 10 });
    expect(exact).toBeLessThan(0.99);
    const estimate = await trustworthiness(x, y, { k: 10, sample: 300, seed: 4 });
    expect(Math.abs(estimate - exact)).toBeLessThan(0.01);
    expect(estimate).not.toBe(exact);
    expect(await trustworthiness(x, y, { k: 10, sample: 300, seed: 4 })).toBe(estimate);
    expect(await trustworthiness(x, y, { k: 10, sample: x.rows })).toBe(exact);
    await expect(trustworthiness(x, y, { sample: 0 })).rejects.toThrow(/'sample'/);
  });

  it('rejects k ≥ n / 2 and mismatched row counts', async () => {
    await expect(trustworthiness(X, Y, { k: 15 })).rejects.toThrow(
      /'k' passed to 'trustworthiness' must be less than n \/ 2 = 15/,
    );
    await expect(trustworthiness(X, Y.slice(1))).rejects.toThrow(/'embedded'.*30 rows/);
  });
});
