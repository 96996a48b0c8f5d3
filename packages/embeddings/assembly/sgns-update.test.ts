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

// update1/2/3 fuse a pair's row updates (and skip-gram's final h += e) into one pass; the trainer relies
// on them being bit for bit the separate update0/update/axpy calls they replace.
describe.each([false, true])('update1, update2, update3 (shared memory: %s)', (shared) => {
  const FIRST = 1;
  const INTO_H = 2;
  const bits = (f: Float32Array) => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));
  // Lengths below, at and past the 16-float step, with 0 to 3 chunks after it.
  for (const n of [4, 12, 16, 28, 100])
    for (const mode of [0, FIRST, INTO_H, FIRST | INTO_H])
      it(`n = ${n}, mode ${mode}: the same bits as update0/update per row, then axpy(h, e)`, () => {
        // Rows: e, h, o₀, o₁, o₂ in two memories, one for the fused call and one for the separate ones.
        const make = () => {
          const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
          const f = new Float32Array(memory.buffer, 0, 5 * n);
          const random = new Random(n + mode);
          for (let i = 0; i < 5 * n; i++) f[i] = random.normal();
          // A zero product and a zero row element: the signs of zeros must match too.
          f[2 * n] = 0;
          f[n + 1] = -0;
          return { k: instantiateSimd(memory, shared), f };
        };
        const g = [0.25, -0.5, 0];
        const at = (r: number) => 4 * r * n;
        for (let rows = 1; rows <= 3; rows++) {
          const fused = make();
          const separate = make();
          if (rows === 1) fused.k.update1(at(0), at(1), at(2), g[0], n, mode);
          else if (rows === 2) fused.k.update2(at(0), at(1), at(2), at(3), g[0], g[1], n, mode);
          else fused.k.update3(at(0), at(1), at(2), at(3), at(4), g[0], g[1], g[2], n, mode);
          for (let r = 0; r < rows; r++) {
            if (r === 0 && mode & FIRST) separate.k.update0(at(0), at(2 + r), at(1), g[r], n);
            else separate.k.update(at(0), at(2 + r), at(1), g[r], n);
          }
          if (mode & INTO_H) {
            separate.k.axpy(at(1), at(0), 1, n);
            // e is not stored: it keeps what it held before the call.
            const before = make().f.subarray(0, n);
            expect(bits(fused.f.subarray(0, n))).toEqual(bits(before));
            expect(bits(fused.f.subarray(n))).toEqual(bits(separate.f.subarray(n)));
          } else expect(bits(fused.f)).toEqual(bits(separate.f));
          // The rows did change (the test would pass on a no-op otherwise).
          expect(bits(fused.f.subarray(2 * n, 3 * n))).not.toEqual(bits(make().f.subarray(2 * n, 3 * n)));
        }
      });
});
