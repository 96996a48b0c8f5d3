import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimd } from '../src/simd/simd-module.js';

// dot.ts against a float64 Σ a·b, on both builds (unshared and shared memory).
describe.each([false, true])('dot (shared memory: %s)', (shared) => {
  it('equals the float64 sum for every length the word2vec dims use, tails included', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
    const k = instantiateSimd(memory, shared);
    const f = new Float32Array(memory.buffer);
    const random = new Random(1);
    for (const n of [4, 8, 12, 100, 300, 1024]) {
      for (let i = 0; i < 2 * n; i++) f[i] = random.normal();
      let want = 0;
      for (let i = 0; i < n; i++) want += f[i] * f[n + i];
      expect(Math.abs(k.dot(0, 4 * n, n) - want)).toBeLessThan(1e-5 * Math.sqrt(n));
    }
    expect(k.dot(0, 16, 0)).toBe(0);
  });
});
