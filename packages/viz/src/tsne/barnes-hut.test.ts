import { describeEachBackend } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { VizKernels } from '../kernels/viz-kernels.js';
import { csrToDense, gaussianBlobs, referenceObjective, relativeError } from '../test-support/fixtures.js';
import { BarnesHutKernels, barnesHutGradient } from './barnes-hut.js';
import { sparseJointProbabilities } from './joint-probabilities.js';
import { nearestNeighbours } from './knn.js';
import { SpaceTree } from './space-tree.js';

async function setup(dims: 2 | 3, n = 90) {
  const { x } = gaussianBlobs(3, n / 3, 5, { spacing: 6 });
  const p = sparseJointProbabilities(await nearestNeighbours(x, Math.min(30, n - 1)), 10);
  const rng = new Random(11);
  const y = new Float64Array(n * dims);
  for (let e = 0; e < y.length; e++) y[e] = 3 * rng.normal();
  return { p, y, n };
}

function bh(
  p: Awaited<ReturnType<typeof setup>>['p'],
  y: Float64Array,
  dims: 2 | 3,
  theta: number,
  exaggeration = 1,
  walk: 'grouped' | 'per-point' = 'grouped',
  dof = 1,
) {
  const tree = new SpaceTree(dims, { leafSize: 2 });
  tree.build(y, p.rows);
  const grad = new Float64Array(y.length);
  const kl = barnesHutGradient(y, dims, p, exaggeration, theta, tree, grad, true, walk, dof);
  return { grad, kl };
}

describeEachBackend('barnesHutGradient', () => {
  it("3-D with scikit-learn's 2 degrees of freedom equals the exact reference at θ = 0", async () => {
    const { p, y, n } = await setup(3, 60);
    const reference = referenceObjective(csrToDense(p), y, n, 3, 2);
    const result = bh(p, y, 3, 0, 1, 'grouped', 2);
    expect(relativeError(result.grad, reference.grad)).toBeLessThan(1e-12);
    expect(result.kl).toBeCloseTo(reference.kl, 10);
    expect(() => bh(p, y.subarray(0, n * 2), 2, 0, 1, 'grouped', 2)).toThrow(
      /'dof' passed to 'barnesHutGradient'/,
    );
  });

  for (const dims of [2, 3] as const) {
    it(`equals the exact gradient and KL at θ = 0 and converges to them as θ → 0 (${dims}-D)`, async () => {
      const { p, y, n } = await setup(dims);
      const reference = referenceObjective(csrToDense(p), y, n, dims);
      const exact = bh(p, y, dims, 0);
      expect(relativeError(exact.grad, reference.grad)).toBeLessThan(1e-12);
      expect(exact.kl).toBeCloseTo(reference.kl, 10);
      const errors = [0.8, 0.5, 0.2, 0.05].map((theta) =>
        relativeError(bh(p, y, dims, theta).grad, reference.grad),
      );
      expect(errors[1]).toBeLessThan(0.05);
      expect(errors[3]).toBeLessThan(1e-3);
      expect(errors[3]).toBeLessThan(errors[0]);
    });
  }

  it('per-point and grouped 2-D walks are both exact at θ = 0; grouping is no less accurate at θ = 0.5', async () => {
    const { p, y, n } = await setup(2);
    const reference = referenceObjective(csrToDense(p), y, n, 2);
    for (const walk of ['per-point', 'grouped'] as const) {
      expect(relativeError(bh(p, y, 2, 0, 1, walk).grad, reference.grad)).toBeLessThan(1e-12);
    }
    const perPoint = relativeError(bh(p, y, 2, 0.5, 1, 'per-point').grad, reference.grad);
    const grouped = relativeError(bh(p, y, 2, 0.5, 1, 'grouped').grad, reference.grad);
    expect(grouped).toBeLessThanOrEqual(perPoint * 1.05);
  });

  it('is the derivative of the KL divergence (central finite differences)', async () => {
    const { p, y, n } = await setup(2, 30);
    const dense = csrToDense(p);
    const { grad } = bh(p, y, 2, 0);
    for (const e of [0, 7, 31, 58]) {
      const h = 1e-6;
      const plus = y.slice();
      plus[e] += h;
      const minus = y.slice();
      minus[e] -= h;
      const numeric =
        (referenceObjective(dense, plus, n, 2).kl - referenceObjective(dense, minus, n, 2).kl) / (2 * h);
      expect(grad[e]).toBeCloseTo(numeric, 6);
    }
  });

  it('multiplies P by the exaggeration in the attraction and the KL, as scikit-learn does', async () => {
    const { p, y, n } = await setup(2, 30);
    const dense = csrToDense(p).map((v) => v * 12);
    const reference = referenceObjective(dense, y, n, 2);
    const { grad, kl } = bh(p, y, 2, 0, 12);
    expect(relativeError(grad, reference.grad)).toBeLessThan(1e-12);
    // Σ αp log(αp / q) with the exaggerated (unnormalised) P.
    expect(kl).toBeCloseTo(reference.kl, 9);
  });

  it('handles exact duplicate points: duplicates repel with q = 1 and no force, nothing is NaN', async () => {
    const { p, y, n } = await setup(2, 30);
    y[2] = y[0];
    y[3] = y[1];
    y[4] = y[0];
    y[5] = y[1];
    const reference = referenceObjective(csrToDense(p), y, n, 2);
    const tree = new SpaceTree(2, { leafSize: 1 });
    tree.build(y, n);
    const grad = new Float64Array(y.length);
    const kl = barnesHutGradient(y, 2, p, 1, 0, tree, grad, true);
    expect(relativeError(grad, reference.grad)).toBeLessThan(1e-12);
    expect(kl).toBeCloseTo(reference.kl, 10);
  });
});

describe.each([1, 2])('BarnesHutKernels (WebAssembly, %i threads)', (threads) => {
  const started = VizKernels.start(threads);
  afterAll(async () => (await started).close());

  const onKernels = async (
    p: Awaited<ReturnType<typeof setup>>['p'],
    y: Float64Array,
    dims: 2 | 3,
    theta: number,
    exaggeration = 1,
    dof = 1,
  ) => {
    const kernels = await started;
    kernels.reset();
    const bhk = new BarnesHutKernels(kernels, p, dims, theta, dof);
    const grad = new Float64Array(y.length);
    const kl = bhk.compute(y, grad, exaggeration, true);
    return { grad, kl, bhk };
  };

  for (const [dims, dof] of [
    [2, 1],
    [3, 1],
    [3, 2],
  ] as const) {
    it(`${dims}-D, dof ${dof}: exact at θ = 0, the JavaScript gradient within rounding at θ = 0.5`, async () => {
      const { p, y, n } = await setup(dims, 240);
      const reference = referenceObjective(csrToDense(p), y, n, dims, dof);
      const exact = await onKernels(p, y, dims, 0, 1, dof);
      expect(relativeError(exact.grad, reference.grad)).toBeLessThan(1e-12);
      expect(exact.kl).toBeCloseTo(reference.kl, 10);
      // The same walk as the JavaScript (leaves of 8 points, as tsne builds it).
      const tree = new SpaceTree(dims);
      tree.build(y, n);
      const js = new Float64Array(y.length);
      const jsKl = barnesHutGradient(y, dims, p, 12, 0.5, tree, js, true, 'grouped', dof);
      const got = await onKernels(p, y, dims, 0.5, 12, dof);
      expect(relativeError(got.grad, js)).toBeLessThan(1e-13);
      expect(got.kl).toBeCloseTo(jsKl, 11);
      expect(
        relativeError(got.grad, referenceObjective(csrToDense(p), y, n, dims, dof).grad),
      ).toBeGreaterThan(0);
    });
  }

  it('repeats itself bit for bit, step after step (fixed shares, partials in order)', async () => {
    const { p, y } = await setup(2, 300);
    const a = await onKernels(p, y, 2, 0.5);
    const again = new Float64Array(y.length);
    const kl = a.bhk.compute(y, again, 1, true);
    expect(Array.from(again)).toEqual(Array.from(a.grad));
    expect(kl).toBe(a.kl);
    expect(a.bhk.compute(y, again, 1, false)).toBeNaN();
    expect(Array.from(again)).toEqual(Array.from(a.grad));
  });

  it('duplicate points repel with q = 1 and no force; dof 2 only in 3-D', async () => {
    const { p, y, n } = await setup(2, 30);
    y[2] = y[0];
    y[3] = y[1];
    y[4] = y[0];
    y[5] = y[1];
    const reference = referenceObjective(csrToDense(p), y, n, 2);
    const got = await onKernels(p, y, 2, 0);
    expect(relativeError(got.grad, reference.grad)).toBeLessThan(1e-12);
    expect(got.kl).toBeCloseTo(reference.kl, 10);
    await expect(onKernels(p, y, 2, 0, 1, 2)).rejects.toThrow(/'dof' passed to 'BarnesHutKernels'/);
  });
});
