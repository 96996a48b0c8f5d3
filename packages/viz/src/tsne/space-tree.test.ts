import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { SpaceTree } from './space-tree.js';

describe('SpaceTree', () => {
  for (const dims of [2, 3] as const) {
    it(`holds every point once, with the root at the centre of mass (${dims}-D)`, () => {
      const rng = new Random(5);
      const n = 500;
      const y = new Float64Array(n * dims);
      for (let e = 0; e < y.length; e++) y[e] = rng.normal() * (e % dims === 0 ? 10 : 1);
      const tree = new SpaceTree(dims, { leafSize: 4 });
      tree.build(y, n);
      const s = tree.stride;
      expect(tree.nodes[dims]).toBe(n); // root count
      for (let a = 0; a < dims; a++) {
        let mean = 0;
        for (let i = 0; i < n; i++) mean += y[i * dims + a];
        expect(tree.nodes[a]).toBeCloseTo(mean / n, 10);
      }
      expect([...tree.order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      // Every internal node's count is the sum of its children's; leaves cover the sorted points exactly.
      const covered = new Int32Array(n);
      for (let c = 0; c < tree.size; c++) {
        const first = tree.nodes[c * s + dims + 2];
        const count = tree.nodes[c * s + dims];
        if (first >= 0) {
          let sum = 0;
          for (let k = first; k < first + tree.nodes[c * s + dims + 3]; k++) sum += tree.nodes[k * s + dims];
          expect(sum).toBe(count);
        } else {
          const start = tree.nodes[c * s + dims + 4];
          for (let t = start; t < start + count; t++) covered[t]++;
        }
      }
      expect([...covered].every((v) => v === 1)).toBe(true);
    });
  }

  it('keeps many identical points in one leaf without recursing forever', () => {
    const y = new Float64Array(2 * 100).fill(1.5);
    y[0] = -3;
    const tree = new SpaceTree(2, { leafSize: 1 });
    tree.build(y, 100);
    expect(tree.size).toBeLessThan(100);
    expect(tree.nodes[2]).toBe(100);
  });
});
