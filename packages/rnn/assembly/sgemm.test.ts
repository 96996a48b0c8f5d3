import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimdKernels } from '../src/bptt/simd-kernels.js';

/** C (M × N) = C0 + A·B in float64, A with row stride lda (or stored transposed: (i, k) at k·lda + i). */
function reference(
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array | null,
  m: number,
  k: number,
  n: number,
  lda: number,
  transposed: boolean,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = c0 ? c0[i * n + j] : 0;
      for (let q = 0; q < k; q++) s += (transposed ? a[q * lda + i] : a[i * lda + q]) * b[q * n + j];
      out[i * n + j] = s;
    }
  return out;
}

// sgemm.ts on both builds: C = A·B and C += A·B, A plain (row stride lda ≥ K) and stored transposed.
describe.each([false, true])('sgemm and sgemmT (shared memory: %s)', (shared) => {
  for (const [m, k, n, lda] of [
    [4, 1, 8, 1],
    [8, 16, 16, 20],
    [12, 37, 24, 37],
    [32, 64, 40, 64],
  ])
    for (const transposed of [false, true])
      for (const overwrite of [1, 0])
        it(`${m}×${k}·${k}×${n}, lda ${lda}${transposed ? ', A transposed' : ''}${overwrite ? '' : ', accumulating'}`, () => {
          const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared });
          const kernels = instantiateSimdKernels(memory);
          if (!kernels) throw new Error('WebAssembly SIMD is required by these tests');
          const f = new Float32Array(memory.buffer);
          const random = new Random(m * 1000 + k);
          // transposed A is K rows of lda ≥ M (+4 floats: the kernel's lane reads past row M).
          const aLen = transposed ? k * Math.max(lda, m) + 4 : m * lda;
          const stride = transposed ? Math.max(lda, m) : lda;
          const a = Float32Array.from({ length: aLen }, () => random.normal());
          const b = Float32Array.from({ length: k * n }, () => random.normal());
          const c0 = Float32Array.from({ length: m * n }, () => random.normal());
          const pa = 0;
          const pb = (aLen + 16) * 4;
          const pc = pb + (k * n + 16) * 4;
          f.set(a, pa / 4);
          f.set(b, pb / 4);
          f.set(c0, pc / 4);
          const fn = transposed ? kernels.sgemmT : kernels.sgemm;
          fn(pa, pb, pc, m, k, n, stride, overwrite);
          const want = reference(a, b, overwrite ? null : c0, m, k, n, stride, transposed);
          const got = f.subarray(pc / 4, pc / 4 + m * n);
          for (let i = 0; i < m * n; i++)
            expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * (1 + Math.abs(want[i])) * Math.sqrt(k));
          // Nothing written past C.
          expect(f[pc / 4 + m * n]).toBe(0);
        });
});
