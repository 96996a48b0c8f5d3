import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimd } from '../src/simd/simd-module.js';

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
});
