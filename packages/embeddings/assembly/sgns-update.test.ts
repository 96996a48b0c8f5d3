import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimd } from '../src/simd/simd-module.js';

// sgns-update.ts against the float64 formulas, on both builds; rows of 300 floats (word2vec's usual dim).
describe.each([false, true])('update, update0, axpy (shared memory: %s)', (shared) => {
  const n = 300;
  const setup = () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
    const f = new Float32Array(memory.buffer);
    const random = new Random(2);
    for (let i = 0; i < 4 * n; i++) f[i] = random.normal();
    const rows = [0, 1, 2].map((r) => Float64Array.from(f.subarray(r * n, (r + 1) * n)));
    return { k: instantiateSimd(memory, shared), f, e: rows[0], o: rows[1], h: rows[2] };
  };
  const close = (got: Float32Array, want: (i: number) => number) => {
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want(i))).toBeLessThan(1e-6);
  };

  it('update: e += g·o with the old o, then o += g·h', () => {
    const { k, f, e, o, h } = setup();
    k.update(0, 4 * n, 8 * n, 0.25, n);
    close(f.subarray(0, n), (i) => e[i] + 0.25 * o[i]);
    close(f.subarray(n, 2 * n), (i) => o[i] + 0.25 * h[i]);
    close(f.subarray(2 * n, 3 * n), (i) => h[i]);
  });

  it('update0: e = g·o (whatever e held), then o += g·h', () => {
    const { k, f, o, h } = setup();
    k.update0(0, 4 * n, 8 * n, -0.5, n);
    close(f.subarray(0, n), (i) => -0.5 * o[i]);
    close(f.subarray(n, 2 * n), (i) => o[i] - 0.5 * h[i]);
  });

  it('axpy: y += a·x, and nothing past n floats is written', () => {
    const { k, f, e, o } = setup();
    const after = f[3 * n];
    k.axpy(0, 4 * n, 3, n - 4);
    close(f.subarray(0, n - 4), (i) => e[i] + 3 * o[i]);
    close(f.subarray(n - 4, n), (i) => e[n - 4 + i]);
    expect(f[3 * n]).toBe(after);
  });
});
