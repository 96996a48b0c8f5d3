import { describeEachBackend } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { VizKernels } from '../kernels/viz-kernels.js';
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

describe.each([1, 2])('FftRepulsion on the WebAssembly kernels (%i threads)', (threads) => {
  const started = VizKernels.start(threads);
  afterAll(async () => (await started).close());

  it('fftGradient: the JavaScript gradient and KL within rounding, with and without the KL', async () => {
    const kernels = await started;
    const rng = new Random(12);
    const n = 500;
    const k = 12;
    const rowStart = Int32Array.from({ length: n + 1 }, (_, i) => i * k);
    const columns = Int32Array.from(
      { length: n * k },
      (_, e) => (Math.floor(e / k) + 1 + rng.int(n - 1)) % n,
    );
    const values = Float64Array.from({ length: n * k }, () => rng.next() / (n * k));
    const p = { rows: n, rowStart, columns, values };
    const fast = new FftRepulsion({}, kernels);
    const js = new FftRepulsion();
    for (const [spread, exaggeration] of [
      [1, 12],
      [40, 1],
    ]) {
      const y = Float64Array.from({ length: 2 * n }, () => spread * rng.normal());
      for (const computeKl of [true, false]) {
        const want = new Float64Array(2 * n);
        const got = new Float64Array(2 * n);
        const klWant = fftGradient(y, p, exaggeration, want, computeKl, js);
        const klGot = fftGradient(y, p, exaggeration, got, computeKl, fast);
        // The potentials are bit for bit (test below); the kernel's 2-D attraction sums two edges per f64x2
        // lane pair, so the forces agree to rounding, not bit for bit.
        let worst = 0;
        let scale = 0;
        for (let e = 0; e < 2 * n; e++) {
          worst = Math.max(worst, Math.abs(got[e] - want[e]));
          scale = Math.max(scale, Math.abs(want[e]));
        }
        expect(scale).toBeGreaterThan(0);
        expect(worst).toBeLessThan(1e-12 * scale);
        if (computeKl) expect(Math.abs(klGot - klWant)).toBeLessThan(1e-12 * Math.abs(klWant));
        else expect(Number.isNaN(klGot) && Number.isNaN(klWant)).toBe(true);
      }
    }
  });

  it('gives the JavaScript potentials bit for bit, over layouts that grow, shrink and move', async () => {
    const kernels = await started;
    const rng = new Random(11);
    const fast = new FftRepulsion({}, kernels);
    const js = new FftRepulsion();
    // Small (minBoxes decides, the spacing moves), past minBoxes (fixed spacing, FFT size 2^a·3^b·5^c), back.
    for (const [n, spread] of [
      [400, 2],
      [400, 30],
      [700, 31],
      [300, 0.5],
    ] as const) {
      const y = Float64Array.from({ length: 2 * n }, () => spread * rng.normal());
      const want = Float64Array.from(js.potentials(y, n, y, n));
      expect(Array.from(fast.potentials(y, n, y, n))).toEqual(Array.from(want));
    }
  });
});
