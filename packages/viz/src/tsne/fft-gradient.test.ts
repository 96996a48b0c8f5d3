import { describeEachBackend } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import { csrToDense, gaussianBlobs, referenceObjective, relativeError } from '../test-support/fixtures.js';
import { FftRepulsion, fftGradient } from './fft-gradient.js';
import { sparseJointProbabilities } from './joint-probabilities.js';
import { nearestNeighbours } from './knn.js';

describeEachBackend('fftGradient', () => {
  // Relative error of the gradient (largest difference over the largest component): the interpolation error
  // grows with the node spacing (4 nodes per box; boxes ≤ 1 unit wide, narrower in small layouts).
  // Measured: 1.8e-7 at spread 0.5, 2.0e-4 at spread 3, 2.3e-2 for 300 points scattered at spread 10
  // (sparser than any t-SNE layout, where forces from many points in each box average the error out).
  for (const [spread, bound] of [
    [0.5, 1e-5],
    [3, 5e-4],
    [10, 0.04],
  ]) {
    it(`matches the exact gradient within ${bound} relative error and the KL within 0.1% (spread ${spread})`, async () => {
      const n = 300;
      const { x } = gaussianBlobs(3, n / 3, 5, { spacing: 6 });
      const p = sparseJointProbabilities(await nearestNeighbours(x, 30), 10);
      const rng = new Random(5);
      const y = new Float64Array(2 * n);
      for (let e = 0; e < y.length; e++) y[e] = spread * rng.normal();
      const reference = referenceObjective(csrToDense(p), y, n, 2);
      const grad = new Float64Array(2 * n);
      const kl = fftGradient(y, p, 1, grad, true);
      expect(relativeError(grad, reference.grad)).toBeLessThan(bound);
      expect(Math.abs(kl - reference.kl) / reference.kl).toBeLessThan(1e-3);
      // More interpolation nodes: more accurate (the error is the interpolation's, not a bug's).
      const fine = new Float64Array(2 * n);
      fftGradient(y, p, 1, fine, false, { nodes: 5 });
      expect(relativeError(fine, reference.grad)).toBeLessThan(relativeError(grad, reference.grad) + 1e-12);
    });
  }
});

it('one FftRepulsion reused across layouts of different sizes gives what a fresh one gives', () => {
  const rng = new Random(8);
  const work = new FftRepulsion();
  for (const [n, spread] of [
    [200, 2],
    [500, 12],
    [200, 2],
    [300, 0.3],
  ] as const) {
    const y = Float64Array.from({ length: 2 * n }, () => spread * rng.normal());
    const reused = Float64Array.from(work.potentials(y, n, y, n));
    const fresh = new FftRepulsion().potentials(y, n, y, n);
    expect(reused).toEqual(fresh);
  }
});
