import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimdKernels } from '../src/bptt/simd-kernels.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** `w` (`k × n`, row-major) in sgemmP's packed layout: 8-column panels of `k` rows of 8 floats. */
function pack(w: Float32Array, k: number, n: number): Float32Array {
  const out = new Float32Array(k * n);
  for (let r = 0; r < k; r++)
    for (let c = 0; c < n; c++) out[(c >> 3) * k * 8 + r * 8 + (c & 7)] = w[r * n + c];
  return out;
}

/** Float32 regions of a fresh memory (byte offsets in `byteOffset`), filled from `init`. */
function regions(shared: boolean, init: (Float32Array | number)[]) {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 16, shared });
  const kernels = instantiateSimdKernels(memory);
  if (!kernels) throw new Error('WebAssembly SIMD is required by these tests');
  let offset = 0;
  const views = init.map((x) => {
    const n = typeof x === 'number' ? x : x.length;
    const v = new Float32Array(memory.buffer, offset, n);
    if (typeof x !== 'number') v.set(x);
    offset += ((n + 15) & ~15) * 4;
    return v;
  });
  return { kernels, views, scratch: offset };
}

// gru-sequence.ts against a float64 GRU (reset after, eqs. 4.4.1–4.4.2) over the whole sequence, the
// batch run as two bands of rows (as two threads would), on both builds.
describe.each([false, true])('gruForward and gruBackward (shared memory: %s)', (shared) => {
  const [T, B, H, half] = [4, 8, 8, 4];
  const G = 3 * H;
  const random = new Random(6);
  const normals = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * random.normal());
  const w = normals(H * G, 0.5);
  const xp = normals(T * B * G);
  const rb = normals(G);
  const h0 = normals(B * H);
  const dOut = normals(T * B * H);
  const dhT = normals(B * H);

  const hs = [Float64Array.from(h0)];
  const gs: Float64Array[] = [];
  const hcs: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const [h, g, hc] = [new Float64Array(B * H), new Float64Array(B * G), new Float64Array(B * H)];
    for (let b = 0; b < B; b++) {
      const u = new Float64Array(G);
      for (let j = 0; j < G; j++) {
        u[j] = rb[j];
        for (let k = 0; k < H; k++) u[j] += hs[t][b * H + k] * w[k * G + j];
      }
      for (let j = 0; j < H; j++) {
        const x = (n: number) => xp[(t * B + b) * G + n * H + j];
        const z = sigmoid(x(0) + u[j]);
        const r = sigmoid(x(1) + u[H + j]);
        const cand = Math.tanh(x(2) + r * u[2 * H + j]);
        [g[b * G + j], g[b * G + H + j], g[b * G + 2 * H + j]] = [z, r, cand];
        hc[b * H + j] = u[2 * H + j];
        h[b * H + j] = (1 - z) * hs[t][b * H + j] + z * cand;
      }
    }
    hs.push(h);
    gs.push(g);
    hcs.push(hc);
  }
  const f32 = (xs: Float64Array[]) => Float32Array.from(xs.flatMap((x) => Array.from(x)));

  it('forward: every step of each band, states, gates and hc as float64', () => {
    const { kernels, views, scratch } = regions(shared, [
      pack(w, H, G),
      xp,
      rb,
      Float32Array.from([...h0, ...new Float32Array(T * B * H)]),
      B * G,
      T * B * H,
    ]);
    const [pw, x, pb, h, u, hc] = views;
    for (const b0 of [0, half])
      kernels.gruForward(
        x.byteOffset + b0 * G * 4,
        pw.byteOffset,
        pb.byteOffset,
        h.byteOffset + b0 * H * 4,
        u.byteOffset + b0 * G * 4,
        hc.byteOffset + b0 * H * 4,
        T,
        B,
        half,
        H,
        0,
        scratch,
      );
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < B * G; i++) expect(Math.abs(x[t * B * G + i] - gs[t][i])).toBeLessThan(1e-5);
      for (let i = 0; i < B * H; i++) {
        expect(Math.abs(h[(t + 1) * B * H + i] - hs[t + 1][i])).toBeLessThan(1e-5);
        expect(Math.abs(hc[t * B * H + i] - hcs[t][i])).toBeLessThan(1e-5 * (1 + Math.abs(hcs[t][i])));
      }
    }
  });

  it('backward: ∂C/∂ input and recurrent pre-activations of every step and ∂C/∂h_0 as float64', () => {
    let dh = Float64Array.from(dhT);
    const dX: Float64Array[] = [];
    const dH: Float64Array[] = [];
    for (let t = T - 1; t >= 0; t--) {
      const g = gs[t];
      const [dx, dr] = [new Float64Array(B * G), new Float64Array(B * G)];
      const next = new Float64Array(B * H);
      for (let b = 0; b < B; b++)
        for (let j = 0; j < H; j++) {
          const s = b * H + j;
          const [z, r, cand] = [g[b * G + j], g[b * G + H + j], g[b * G + 2 * H + j]];
          const d = dh[s] + dOut[t * B * H + s];
          const dc = d * z * (1 - cand * cand);
          const dz = d * (cand - hs[t][s]) * z * (1 - z);
          const dRes = dc * hcs[t][s] * r * (1 - r);
          [dx[b * G + j], dx[b * G + H + j], dx[b * G + 2 * H + j]] = [dz, dRes, dc];
          [dr[b * G + j], dr[b * G + H + j], dr[b * G + 2 * H + j]] = [dz, dRes, dc * r];
          next[s] = d * (1 - z);
        }
      for (let b = 0; b < B; b++)
        for (let k = 0; k < H; k++)
          for (let j = 0; j < G; j++) next[b * H + k] += dr[b * G + j] * w[k * G + j];
      dX[t] = dx;
      dH[t] = dr;
      dh = next;
    }
    const wT = new Float32Array(G * H);
    for (let k = 0; k < H; k++) for (let j = 0; j < G; j++) wT[j * H + k] = w[k * G + j];
    const { kernels, views, scratch } = regions(shared, [
      pack(wT, G, H),
      T * B * G,
      T * B * G,
      f32(gs),
      f32(hs.slice(0, T)),
      f32(hcs),
      dOut,
      // dh, then the kernel's B × H of scratch for the direct term.
      Float32Array.from([...dhT, ...new Float32Array(B * H)]),
    ]);
    const [pw, gotX, gotH, gates, h, hc, pdOut, gotDh] = views;
    for (const b0 of [0, half])
      kernels.gruBackward(
        gotX.byteOffset + b0 * G * 4,
        gotH.byteOffset + b0 * G * 4,
        pw.byteOffset,
        gates.byteOffset + b0 * G * 4,
        h.byteOffset + b0 * H * 4,
        hc.byteOffset + b0 * H * 4,
        pdOut.byteOffset + b0 * H * 4,
        gotDh.byteOffset + b0 * H * 4,
        T,
        B,
        half,
        H,
        0,
        scratch,
      );
    const close = (got: number, want: number) => {
      expect(Math.abs(got - want)).toBeLessThan(1e-5 * (1 + Math.abs(want)));
    };
    for (let t = 0; t < T; t++)
      for (let i = 0; i < B * G; i++) {
        close(gotX[t * B * G + i], dX[t][i]);
        close(gotH[t * B * G + i], dH[t][i]);
      }
    for (let i = 0; i < B * H; i++) close(gotDh[i], dh[i]);
  });
});
