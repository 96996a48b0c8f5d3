import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { VizKernels } from '../src/kernels/viz-kernels.js';
import { SpaceTree } from '../src/tsne/space-tree.js';

/** Builds the tree of `y` with tsneTree; null when `capacity` nodes are too few. */
function kernelTree(k: VizKernels, y: Float64Array, dims: 2 | 3, capacity: number) {
  const n = y.length / dims;
  k.reset();
  const py = k.alloc(8 * y.length);
  const nodes = k.alloc(8 * (dims + 5) * capacity);
  const sorted = k.alloc(8 * y.length);
  const order = k.alloc(4 * n);
  const scratch = k.alloc(4 * (3 * n + 256));
  k.f64(py, y.length).set(y);
  const size = k.exports.tsneTree(py, n, dims, 8, nodes, capacity, sorted, order, scratch);
  if (size < 0) return null;
  return {
    size,
    nodes: k.f64(nodes, size * (dims + 5)).slice(),
    sorted: k.f64(sorted, y.length).slice(),
    order: k.i32(order, n).slice(),
  };
}

describe('tsneTree', () => {
  const started = VizKernels.start(1);
  afterAll(async () => (await started).close());

  for (const dims of [2, 3] as const) {
    it(`builds SpaceTree's tree bit for bit (${dims}-D: spread, clustered, duplicates, one point)`, async () => {
      const k = await started;
      const rng = new Random(dims);
      const spread = Float64Array.from({ length: 700 * dims }, () => 10 * rng.normal());
      // A tight cluster far from a few outliers: deep chains of cells.
      const clustered = Float64Array.from({ length: 300 * dims }, (_, e) =>
        e < 5 * dims ? 1e4 * rng.normal() : 1e-6 * rng.normal(),
      );
      const duplicates = new Float64Array(40 * dims).fill(3);
      for (const y of [spread, clustered, duplicates, Float64Array.from({ length: dims }, () => 1)]) {
        const n = y.length / dims;
        const js = new SpaceTree(dims);
        js.build(y, n);
        const got = kernelTree(k, y, dims, 64 * n + 64);
        expect(got).not.toBeNull();
        expect(got?.size).toBe(js.size);
        expect(Array.from(got?.nodes ?? [])).toEqual(Array.from(js.nodes.subarray(0, js.size * js.stride)));
        expect(Array.from(got?.order ?? [])).toEqual(Array.from(js.order));
        expect(Array.from(got?.sorted ?? [])).toEqual(Array.from(js.sorted));
      }
      // Too little room is reported, not overrun.
      expect(kernelTree(k, spread, dims, 10)).toBeNull();
    });
  }
});
