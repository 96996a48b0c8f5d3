import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimdKernels } from '../src/bptt/simd-kernels.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Float32 views of consecutive regions of a fresh memory, their byte offsets in `ptr`. */
function regions(shared: boolean, sizes: number[]) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared });
  const kernels = instantiateSimdKernels(memory);
  if (!kernels) throw new Error('WebAssembly SIMD is required by these tests');
  let offset = 0;
  const views = sizes.map((n) => {
    const v = new Float32Array(memory.buffer, offset, n);
    offset += ((n + 15) & ~15) * 4;
    return v;
  });
  return { kernels, views };
}

// lstm-gates.ts (and activations.ts through it) against float64 formulas, on both builds.
describe.each([false, true])('lstmGates and lstmBackGates (shared memory: %s)', (shared) => {
  const B = 3;
  const H = 8;
  const G = 4 * H;

  it('forward: gates in place, c = f·c_prev + i·c̃, tanh(c), h = o·tanh(c), also where σ and tanh saturate', () => {
    const { kernels, views } = regions(shared, [B * G, G, B * H, B * H, B * H, B * H]);
    const [z, bias, cPrev, h, c, tc] = views;
    const random = new Random(7);
    // Pre-activations up to ±100: exp must clamp, never overflow to NaN.
    for (let i = 0; i < z.length; i++) z[i] = i % 7 === 0 ? (i % 2 ? 100 : -100) : 3 * random.normal();
    for (let i = 0; i < G; i++) bias[i] = random.normal();
    for (let i = 0; i < B * H; i++) cPrev[i] = random.normal();
    const z0 = Float64Array.from(z);
    kernels.lstmGates(
      z.byteOffset,
      bias.byteOffset,
      cPrev.byteOffset,
      h.byteOffset,
      c.byteOffset,
      tc.byteOffset,
      B,
      H,
    );
    for (let r = 0; r < B; r++)
      for (let j = 0; j < H; j++) {
        const pre = (g: number) => z0[r * G + g * H + j] + bias[g * H + j];
        const [gi, gf, gg, go] = [sigmoid(pre(0)), sigmoid(pre(1)), Math.tanh(pre(2)), sigmoid(pre(3))];
        [gi, gf, gg, go].forEach((want, g) => {
          expect(Math.abs(z[r * G + g * H + j] - want)).toBeLessThan(1e-6);
        });
        const cw = gf * cPrev[r * H + j] + gi * gg;
        expect(Math.abs(c[r * H + j] - cw)).toBeLessThan(1e-6 * (1 + Math.abs(cw)));
        expect(Math.abs(tc[r * H + j] - Math.tanh(cw))).toBeLessThan(1e-6);
        expect(Math.abs(h[r * H + j] - go * Math.tanh(cw))).toBeLessThan(1e-6);
      }
  });

  it('backward: ∂C/∂pre-activations of the four gates and ∂C/∂c_{t−1}', () => {
    const { kernels, views } = regions(shared, [B * H, B * H, B * H, B * G, B * H, B * G, B * H]);
    const [dh, dc, cPrev, gates, tc, dPre, dcPrev] = views;
    const random = new Random(8);
    for (const v of [dh, dc, cPrev]) for (let i = 0; i < v.length; i++) v[i] = random.normal();
    for (let i = 0; i < gates.length; i++)
      gates[i] = Math.floor(i / H) % 4 === 2 ? Math.tanh(random.normal()) : sigmoid(random.normal());
    for (let i = 0; i < tc.length; i++) tc[i] = Math.tanh(random.normal());
    kernels.lstmBackGates(
      dh.byteOffset,
      dc.byteOffset,
      cPrev.byteOffset,
      gates.byteOffset,
      tc.byteOffset,
      dPre.byteOffset,
      dcPrev.byteOffset,
      B,
      H,
    );
    for (let r = 0; r < B; r++)
      for (let j = 0; j < H; j++) {
        const s = r * H + j;
        const [i, f, g, o] = [0, 1, 2, 3].map((q) => gates[r * G + q * H + j]);
        const dct = dc[s] + dh[s] * o * (1 - tc[s] * tc[s]);
        const want = [
          dct * g * i * (1 - i),
          dct * cPrev[s] * f * (1 - f),
          dct * i * (1 - g * g),
          dh[s] * tc[s] * o * (1 - o),
        ];
        want.forEach((w, q) => {
          expect(Math.abs(dPre[r * G + q * H + j] - w)).toBeLessThan(1e-6 * (1 + Math.abs(w)));
        });
        expect(Math.abs(dcPrev[s] - dct * f)).toBeLessThan(1e-6 * (1 + Math.abs(dct)));
      }
  });
});
