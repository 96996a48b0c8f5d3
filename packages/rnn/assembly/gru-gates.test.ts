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

// gru-gates.ts (and activations.ts through it) against the float64 formulas of GruCell's typed-array
// loops (reset after, eqs. 4.4.1–4.4.2), on both builds.
describe.each([false, true])('gruGates and gruBackGates (shared memory: %s)', (shared) => {
  const B = 3;
  const H = 8;
  const G = 3 * H;

  it('forward: z, r, h̃ in place, hc = u_h + b_h, h = (1 − z)·h_prev + z·h̃, also where σ and tanh saturate', () => {
    const { kernels, views } = regions(shared, [B * G, B * G, G, B * H, B * H, B * H]);
    const [x, u, bias, hPrev, h, hc] = views;
    const random = new Random(7);
    // Pre-activations up to ±100: exp must clamp, never overflow to NaN.
    for (let i = 0; i < x.length; i++) x[i] = i % 7 === 0 ? (i % 2 ? 100 : -100) : 3 * random.normal();
    for (let i = 0; i < u.length; i++) u[i] = i % 11 === 0 ? (i % 2 ? -60 : 60) : random.normal();
    for (let i = 0; i < G; i++) bias[i] = random.normal();
    for (let i = 0; i < B * H; i++) hPrev[i] = Math.tanh(random.normal());
    const x0 = Float64Array.from(x);
    kernels.gruGates(
      x.byteOffset,
      u.byteOffset,
      bias.byteOffset,
      hPrev.byteOffset,
      h.byteOffset,
      hc.byteOffset,
      B,
      H,
    );
    for (let r = 0; r < B; r++)
      for (let j = 0; j < H; j++) {
        const k = r * G + j;
        const s = r * H + j;
        const zw = sigmoid(x0[k] + u[k] + bias[j]);
        const rw = sigmoid(x0[k + H] + u[k + H] + bias[j + H]);
        const hcw = u[k + 2 * H] + bias[j + 2 * H];
        const cw = Math.tanh(x0[k + 2 * H] + rw * hcw);
        [zw, rw, cw].forEach((want, g) => {
          expect(Math.abs(x[k + g * H] - want)).toBeLessThan(1e-6);
        });
        expect(Math.abs(hc[s] - hcw)).toBeLessThan(1e-6 * (1 + Math.abs(hcw)));
        const hw = (1 - zw) * hPrev[s] + zw * cw;
        expect(Math.abs(h[s] - hw)).toBeLessThan(1e-6);
      }
  });

  it('backward: ∂C/∂ input and recurrent pre-activations, and the direct term dh·(1 − z)', () => {
    const { kernels, views } = regions(shared, [B * H, B * H, B * G, B * H, B * G, B * G, B * H]);
    const [dh, hPrev, gates, hc, dPreX, dPreH, direct] = views;
    const random = new Random(8);
    for (const v of [dh, hc]) for (let i = 0; i < v.length; i++) v[i] = random.normal();
    for (let i = 0; i < hPrev.length; i++) hPrev[i] = Math.tanh(random.normal());
    for (let i = 0; i < gates.length; i++)
      gates[i] = Math.floor(i / H) % 3 === 2 ? Math.tanh(random.normal()) : sigmoid(random.normal());
    kernels.gruBackGates(
      dh.byteOffset,
      hPrev.byteOffset,
      gates.byteOffset,
      hc.byteOffset,
      dPreX.byteOffset,
      dPreH.byteOffset,
      direct.byteOffset,
      B,
      H,
    );
    for (let r = 0; r < B; r++)
      for (let j = 0; j < H; j++) {
        const s = r * H + j;
        const k = r * G + j;
        const [z, rg, cand] = [0, 1, 2].map((q) => gates[k + q * H]);
        const dc = dh[s] * z * (1 - cand * cand);
        const dz = dh[s] * (cand - hPrev[s]) * z * (1 - z);
        const dr = dc * hc[s] * rg * (1 - rg);
        const close = (got: number, want: number) => {
          expect(Math.abs(got - want)).toBeLessThan(1e-6 * (1 + Math.abs(want)));
        };
        for (const [q, want] of [dz, dr, dc].entries()) close(dPreX[k + q * H], want);
        for (const [q, want] of [dz, dr, dc * rg].entries()) close(dPreH[k + q * H], want);
        close(direct[s], dh[s] * (1 - z));
      }
  });
});
