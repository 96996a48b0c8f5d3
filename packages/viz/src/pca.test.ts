import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import { symmetricEigen } from './linalg/symmetric-eigen.js';
import { fitPca, pca } from './pca.js';

describeEachBackend('pca', () => {
  it('handles entries near 1e20 (whose squares overflow float32) and near 1e-20 without NaN', async () => {
    const base = [
      [3, 3],
      [-3, -3],
      [1, -1],
      [-1, 1],
    ];
    for (const scale of [1e20, 1e-20]) {
      await expectNoLeaks(() => {
        const result = pca(
          base.map((r) => r.map((v) => v * scale)),
          { components: 2 },
        );
        expect(result.explainedVariance[0] / scale ** 2).toBeCloseTo(12, 4);
        expect(result.explainedVariance[1] / scale ** 2).toBeCloseTo(4 / 3, 4);
        expect(result.explainedVarianceRatio[0]).toBeCloseTo(0.9, 5);
        const c = result.components.arraySync();
        expect(c[0][0]).toBeCloseTo(Math.SQRT1_2, 5);
        const p = result.projected.arraySync();
        expect(p[0][0] / scale).toBeCloseTo(3 * Math.SQRT2, 4);
        result.dispose();
      });
    }
    expect(() =>
      pca([
        [1e37, 0],
        [0, 1],
        [1, 1],
      ]),
    ).toThrow(/'x' passed to 'pca' must be entries of magnitude at most 1e\+36/);
  });

  it('matches a hand-computed 2-D case', async () => {
    // X = (3,3), (−3,−3), (1,−1), (−1,1): mean 0, XᵀX/(n−1) = [[20,16],[16,20]]/3 with eigenvalues 12 and 4/3
    // along (1,1)/√2 and (1,−1)/√2; ratios 0.9 and 0.1; (3,3) projects to 3√2, (1,−1) to (0, √2).
    const x = [
      [3, 3],
      [-3, -3],
      [1, -1],
      [-1, 1],
    ];
    await expectNoLeaks(() => {
      const result = pca(x, { components: 2 });
      expect(result.explainedVariance[0]).toBeCloseTo(12, 5);
      expect(result.explainedVariance[1]).toBeCloseTo(4 / 3, 5);
      expect(result.explainedVarianceRatio[0]).toBeCloseTo(0.9, 6);
      expect(result.explainedVarianceRatio[1]).toBeCloseTo(0.1, 6);
      const c = result.components.arraySync();
      expect(c[0][0]).toBeCloseTo(Math.SQRT1_2, 5);
      expect(c[0][1]).toBeCloseTo(Math.SQRT1_2, 5);
      expect(c[1][0]).toBeCloseTo(Math.SQRT1_2, 5);
      expect(c[1][1]).toBeCloseTo(-Math.SQRT1_2, 5);
      const p = result.projected.arraySync();
      expect(p[0][0]).toBeCloseTo(3 * Math.SQRT2, 5);
      expect(p[0][1]).toBeCloseTo(0, 5);
      expect(p[2][0]).toBeCloseTo(0, 5);
      expect(p[2][1]).toBeCloseTo(Math.SQRT2, 5);
      expect([...result.mean.dataSync()]).toEqual([0, 0]);
      result.dispose();
    });
  });

  it('finds the top components of wide data by subspace iteration (same as a full eigen-solve)', () => {
    const rng = new Random(4);
    const n = 200;
    const d = 264;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const [a, b, c] = [5 * rng.normal(), 3 * rng.normal(), 2 * rng.normal()];
      for (let f = 0; f < d; f++) {
        data[i * d + f] =
          a * Math.sin(f + 1) + b * Math.cos(3 * f) + (c * ((f % 7) - 3)) / 4 + 0.05 * rng.normal() + 1;
      }
    }
    const fit = fitPca({ data, rows: n, cols: d }, 3);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += data[i * d + f] / n;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < n; i++)
      for (let f = 0; f < d; f++)
        for (let g = 0; g < d; g++)
          cov[f * d + g] += ((data[i * d + f] - mean[f]) * (data[i * d + g] - mean[g])) / (n - 1);
    const full = symmetricEigen(cov, d);
    for (let r = 0; r < 3; r++) {
      expect(fit.variance[r] / full.values[r]).toBeCloseTo(1, 3);
      let dot = 0;
      for (let f = 0; f < d; f++) dot += fit.components[r * d + f] * full.vectors[r * d + f];
      expect(Math.abs(dot)).toBeCloseTo(1, 3);
    }
  });

  it('rejects NaN rows and too many components, naming the argument', () => {
    expect(() =>
      pca([
        [1, 2],
        [Number.NaN, 1],
        [0, 0],
      ]),
    ).toThrow(/'x' passed to 'pca' must be finite in every entry \(row 1, column 0\), got NaN/);
    expect(() =>
      pca(
        [
          [1, 2],
          [3, 1],
        ],
        { components: 3 },
      ),
    ).toThrow(/'components' passed to 'pca' must be an integer in \[1, 2\]/);
  });
});
