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

// sgemm.ts on both builds: C = A·B and C += A·B, A plain (row stride lda ≥ K) and stored transposed,
// unpacked (w = 0) and packed into scratch at w: the packed path must give the unpacked one's bits (every
// element summed over k in the same order), across the 128-row blocks of A and K not a multiple of 4.
describe.each([false, true])('sgemm and sgemmT (shared memory: %s)', (shared) => {
  for (const [m, k, n, lda] of [
    [4, 1, 8, 1],
    [8, 16, 16, 20],
    [12, 37, 24, 37],
    [32, 64, 40, 64],
    [132, 7, 16, 9],
    [260, 21, 8, 23],
  ])
    for (const transposed of [false, true])
      for (const overwrite of [1, 0])
        it(`${m}×${k}·${k}×${n}, lda ${lda}${transposed ? ', A transposed' : ''}${overwrite ? '' : ', accumulating'}`, () => {
          const memory = new WebAssembly.Memory({ initial: 8, maximum: 8, shared });
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
          const pw = pc + (m * n + 16) * 4;
          const scratch = kernels.sgemmScratch(m, k);
          expect(scratch).toBeGreaterThanOrEqual(4 * (Math.min(m, 128) * k + 8 * k));
          f.set(a, pa / 4);
          f.set(b, pb / 4);
          const fn = transposed ? kernels.sgemmT : kernels.sgemm;
          const want = reference(a, b, overwrite ? null : c0, m, k, n, stride, transposed);
          const results: Float32Array[] = [];
          for (const w of [0, pw]) {
            f.set(c0, pc / 4);
            fn(pa, pb, pc, m, k, n, stride, overwrite, w);
            const got = f.slice(pc / 4, pc / 4 + m * n);
            for (let i = 0; i < m * n; i++)
              expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * (1 + Math.abs(want[i])) * Math.sqrt(k));
            // Nothing written past C, nor (packed) past the scratch; A and B untouched.
            expect(f[pc / 4 + m * n]).toBe(0);
            expect(f[(pw + scratch) / 4]).toBe(0);
            expect(f.subarray(pa / 4, pa / 4 + aLen)).toEqual(a);
            expect(f.subarray(pb / 4, pb / 4 + k * n)).toEqual(b);
            results.push(got);
          }
          expect(new Uint32Array(results[1].buffer)).toEqual(new Uint32Array(results[0].buffer));
        });
});

// sgemmP: B pre-packed in 8-column panels of ldb rows (a resident weight matrix), here read from row k0
// of every panel (one block of the inner dimension): the bits of sgemm on the same rows of B.
describe.each([false, true])('sgemmP (shared memory: %s)', (shared) => {
  for (const [m, k, n, lda, k0] of [
    [4, 1, 8, 1, 0],
    [12, 37, 24, 40, 3],
    [136, 9, 16, 9, 5],
  ])
    it(`${m}×${k}·${k}×${n} from row ${k0} of the panels`, () => {
      const memory = new WebAssembly.Memory({ initial: 8, maximum: 8, shared });
      const kernels = instantiateSimdKernels(memory);
      if (!kernels) throw new Error('WebAssembly SIMD is required by these tests');
      const f = new Float32Array(memory.buffer);
      const random = new Random(m + k + n);
      const ldb = k0 + k + 2;
      const a = Float32Array.from({ length: m * lda }, () => random.normal());
      const full = Float32Array.from({ length: ldb * n }, () => random.normal());
      const b = full.subarray(k0 * n, (k0 + k) * n);
      const pa = 0;
      const pb = (m * lda + 16) * 4;
      const pp = pb + (k * n + 16) * 4;
      const pc = pp + (ldb * n + 16) * 4;
      const pw = pc + (m * n + 16) * 4;
      f.set(a, pa / 4);
      f.set(b, pb / 4);
      for (let j = 0; j < n; j += 8)
        for (let r = 0; r < ldb; r++)
          for (let c = 0; c < 8; c++) f[pp / 4 + j * ldb + r * 8 + c] = full[r * n + j + c];
      kernels.sgemm(pa, pb, pc, m, k, n, lda, 1, 0);
      const want = f.slice(pc / 4, pc / 4 + m * n);
      const ref = reference(a, b, null, m, k, n, lda, false);
      for (let i = 0; i < m * n; i++)
        expect(Math.abs(want[i] - ref[i])).toBeLessThan(1e-5 * (1 + Math.abs(ref[i])) * Math.sqrt(k));
      f.fill(0, pc / 4, pc / 4 + m * n);
      kernels.sgemmP(pa, pp + k0 * 32, pc, m, k, n, lda, 1, pw, ldb);
      expect(new Uint32Array(f.slice(pc / 4, pc / 4 + m * n).buffer)).toEqual(new Uint32Array(want.buffer));
      expect(f[pc / 4 + m * n]).toBe(0);
      expect(f[(pw + kernels.sgemmScratch(m, k)) / 4]).toBe(0);
    });
});
