import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import { gaussianBlobs, referenceObjective, relativeError } from '../test-support/fixtures.js';
import { ExactGradient } from './exact.js';
import { denseJointProbabilities } from './joint-probabilities.js';
import { squaredDistanceMatrix } from './knn.js';

describeEachBackend('ExactGradient', () => {
  it('matches the float64 reference gradient and KL (eq. 5), with and without exaggeration', async () => {
    const n = 40;
    const { x } = gaussianBlobs(2, n / 2, 4, { spacing: 5 });
    const p = denseJointProbabilities(await squaredDistanceMatrix(x), n, 8);
    const rng = new Random(2);
    for (const dims of [2, 3]) {
      const y = new Float64Array(n * dims);
      for (let e = 0; e < y.length; e++) y[e] = 2 * rng.normal();
      for (const exaggeration of [1, 12]) {
        const reference = referenceObjective(
          p.map((v) => v * exaggeration),
          y,
          n,
          dims,
        );
        await expectNoLeaks(() => {
          const exact = new ExactGradient(p, n, dims);
          const grad = new Float64Array(n * dims);
          const kl = exact.compute(y, grad, exaggeration, true);
          exact.dispose();
          expect(relativeError(grad, reference.grad)).toBeLessThan(1e-4);
          expect(kl).toBeCloseTo(reference.kl, 3);
        });
      }
    }
  });

  it("uses scikit-learn's 2 degrees of freedom in 3-D: kernel (1 + d²/2)^(−3/2), gradient × 3", async () => {
    const n = 30;
    const { x } = gaussianBlobs(2, n / 2, 4, { spacing: 5 });
    const p = denseJointProbabilities(await squaredDistanceMatrix(x), n, 8);
    const rng = new Random(4);
    const y = new Float64Array(n * 3);
    for (let e = 0; e < y.length; e++) y[e] = 2 * rng.normal();
    const reference = referenceObjective(p, y, n, 3, 2);
    const one = referenceObjective(p, y, n, 3, 1);
    const exact = new ExactGradient(p, n, 3, 2);
    const grad = new Float64Array(n * 3);
    const kl = exact.compute(y, grad, 1, true);
    exact.dispose();
    expect(relativeError(grad, reference.grad)).toBeLessThan(1e-4);
    expect(kl).toBeCloseTo(reference.kl, 3);
    expect(relativeError(grad, one.grad)).toBeGreaterThan(0.05); // α = 1 would be a different gradient
  });
});
