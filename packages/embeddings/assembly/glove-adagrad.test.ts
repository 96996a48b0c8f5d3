import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimd } from '../src/simd/simd-module.js';
import { type GloveState, gloveEpoch, gloveEpochSimd } from '../src/train/glove/glove-kernel.js';

describe.each([false, true])('adagrad (shared memory: %s)', (shared) => {
  it('is the glove.c AdaGrad step in float64, with the old w1, w2 used for both gradients', () => {
    const n = 52;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
    const f = new Float32Array(memory.buffer);
    const random = new Random(3);
    for (let i = 0; i < 4 * n; i++) f[i] = i < 2 * n ? random.normal() : 1 + Math.abs(random.normal());
    const [w1, w2, g1, g2] = [0, 1, 2, 3].map((r) => Float64Array.from(f.subarray(r * n, (r + 1) * n)));
    instantiateSimd(memory, shared).adagrad(0, 4 * n, 8 * n, 12 * n, 0.3, n);
    for (let i = 0; i < n; i++) {
      const t1 = 0.3 * w2[i];
      const t2 = 0.3 * w1[i];
      expect(f[i]).toBeCloseTo(w1[i] - t1 / Math.sqrt(g1[i]), 6);
      expect(f[n + i]).toBeCloseTo(w2[i] - t2 / Math.sqrt(g2[i]), 6);
      expect(f[2 * n + i]).toBeCloseTo(g1[i] + t1 * t1, 6);
      expect(f[3 * n + i]).toBeCloseTo(g2[i] + t2 * t2, 6);
    }
  });

  it('an epoch of GloVe through the kernels equals the typed-array epoch', () => {
    const d = 8;
    const v = 5;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
    const make = (simd: boolean): GloveState => {
      const r = new Random(4);
      const vec = (k: number, fill: () => number) => {
        const a = simd ? new Float32Array(memory.buffer, k * v * d * 4, v * d) : new Float32Array(v * d);
        for (let i = 0; i < v * d; i++) a[i] = fill();
        return a;
      };
      return {
        dim: d,
        w: vec(0, () => r.normal() * 0.1),
        wt: vec(1, () => r.normal() * 0.1),
        gw: vec(2, () => 1),
        gwt: vec(3, () => 1),
        b: new Float32Array(v),
        bt: new Float32Array(v),
        gb: new Float32Array(v).fill(1),
        gbt: new Float32Array(v).fill(1),
        rows: Int32Array.from([0, 1, 2, 3, 4, 0]),
        cols: Int32Array.from([1, 2, 3, 4, 0, 3]),
        values: Float32Array.from([3, 1, 7, 2, 12, 5]),
        logs: Float64Array.from([3, 1, 7, 2, 12, 5], Math.log),
        weights: Float32Array.from([3, 1, 7, 2, 12, 5], (x) => Math.min(1, (x / 10) ** 0.75)),
        xMax: 10,
        alpha: 0.75,
        memory: simd ? memory : undefined,
      };
    };
    const plain = make(false);
    const simd = make(true);
    const want = gloveEpoch(plain, 0, 6, 0.05, 1).cost;
    const got = gloveEpochSimd(simd, 0, 6, 0.05, instantiateSimd(memory, shared)).cost;
    expect(got).toBeCloseTo(want, 5);
    for (const key of ['w', 'wt', 'gw', 'gwt', 'b', 'bt'] as const)
      for (let i = 0; i < plain[key].length; i++) expect(simd[key][i]).toBeCloseTo(plain[key][i], 5);
  });
});
