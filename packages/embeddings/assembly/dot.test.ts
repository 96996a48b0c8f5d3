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

// dot2/dot3 score two or three rows in one pass; the trainer relies on each result being dot's bits.
describe.each([false, true])('dot2, dot3 (shared memory: %s)', (shared) => {
  it("store each row's dot bit for bit as dot computes it, for lengths with and without the 4-float tail", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
    const k = instantiateSimd(memory, shared);
    const f = new Float32Array(memory.buffer);
    const random = new Random(3);
    const out = 60_000; // byte offset of the results, past the rows
    for (const n of [4, 8, 12, 20, 100, 300]) {
      for (let i = 0; i < 4 * n; i++) f[i] = random.normal();
      const rows = [1, 2, 3].map((r) => 4 * r * n);
      k.dot2(0, rows[0], rows[1], n, out);
      expect(f[out / 4]).toBe(k.dot(0, rows[0], n));
      expect(f[out / 4 + 1]).toBe(k.dot(0, rows[1], n));
      k.dot3(0, rows[0], rows[1], rows[2], n, out);
      for (let r = 0; r < 3; r++) {
        const want = k.dot(0, rows[r], n);
        expect(f[out / 4 + r]).toBe(want);
        let exact = 0;
        for (let i = 0; i < n; i++) exact += f[i] * f[rows[r] / 4 + i];
        expect(Math.abs(want - exact)).toBeLessThan(1e-5 * Math.sqrt(n));
      }
      // Nothing past the results is written.
      expect(f[out / 4 + 3]).toBe(0);
    }
  });
});
