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
  // Packing scratch for one band's products after the regions.
  return { kernels, views, scratch: offset };
}

// lstm-sequence.ts against a float64 LSTM over the whole sequence, the batch run as two bands of rows
// (as two threads would), on both builds.
describe.each([false, true])('lstmForward and lstmBackward (shared memory: %s)', (shared) => {
  const [T, B, H, half] = [4, 8, 8, 4];
  const G = 4 * H;
  const random = new Random(5);
  const normals = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * random.normal());
  const w = normals(H * G, 0.5);
  const xp = normals(T * B * G);
  const bias = normals(G);
  const h0 = normals(B * H);
  const c0 = normals(B * H);
  const dOut = normals(T * B * H);
  const dhT = normals(B * H);
  const dcT = normals(B * H);

  // The float64 reference: forward states and gates, then BPTT.
  const hs = [Float64Array.from(h0)];
  const cs = [Float64Array.from(c0)];
  const gs: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const [h, c, g] = [new Float64Array(B * H), new Float64Array(B * H), new Float64Array(B * G)];
    for (let b = 0; b < B; b++)
      for (let j = 0; j < G; j++) {
        let z = xp[(t * B + b) * G + j] + bias[j];
        for (let k = 0; k < H; k++) z += hs[t][b * H + k] * w[k * G + j];
        g[b * G + j] = Math.floor(j / H) === 2 ? Math.tanh(z) : sigmoid(z);
      }
    for (let b = 0; b < B; b++)
      for (let j = 0; j < H; j++) {
        const q = (n: number) => g[b * G + n * H + j];
        c[b * H + j] = q(1) * cs[t][b * H + j] + q(0) * q(2);
        h[b * H + j] = q(3) * Math.tanh(c[b * H + j]);
      }
    hs.push(h);
    cs.push(c);
    gs.push(g);
  }

  it('forward: every step of each band, states, gates and tanh(c) as float64', () => {
    const { kernels, views, scratch } = regions(shared, [
      pack(w, H, G),
      xp,
      bias,
      Float32Array.from([...h0, ...new Float32Array(T * B * H)]),
      Float32Array.from([...c0, ...new Float32Array(T * B * H)]),
      T * B * H,
    ]);
    const [pw, z, pb, h, c, tc] = views;
    for (const b0 of [0, half])
      kernels.lstmForward(
        z.byteOffset + b0 * G * 4,
        pw.byteOffset,
        pb.byteOffset,
        h.byteOffset + b0 * H * 4,
        c.byteOffset + b0 * H * 4,
        tc.byteOffset + b0 * H * 4,
        T,
        B,
        half,
        H,
        0,
        scratch,
      );
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < B * G; i++) expect(Math.abs(z[t * B * G + i] - gs[t][i])).toBeLessThan(1e-5);
      for (let i = 0; i < B * H; i++) {
        expect(Math.abs(h[(t + 1) * B * H + i] - hs[t + 1][i])).toBeLessThan(1e-5);
        expect(Math.abs(c[(t + 1) * B * H + i] - cs[t + 1][i])).toBeLessThan(1e-5);
        expect(Math.abs(tc[t * B * H + i] - Math.tanh(cs[t + 1][i]))).toBeLessThan(1e-5);
      }
    }
  });

  it('backward: ∂C/∂pre-activations of every step and ∂C/∂ the initial states as float64', () => {
    // Reference BPTT (chapter eqs. 4.2.x for the LSTM), from the float64 forward.
    let dh = Float64Array.from(dhT);
    let dc = Float64Array.from(dcT);
    const dPre: Float64Array[] = [];
    for (let t = T - 1; t >= 0; t--) {
      const g = gs[t];
      const d = new Float64Array(B * G);
      const dcPrev = new Float64Array(B * H);
      for (let b = 0; b < B; b++)
        for (let j = 0; j < H; j++) {
          const s = b * H + j;
          const q = (n: number) => g[b * G + n * H + j];
          const dhs = dh[s] + dOut[t * B * H + s];
          const tcv = Math.tanh(cs[t + 1][s]);
          const dct = dc[s] + dhs * q(3) * (1 - tcv * tcv);
          d[b * G + j] = dct * q(2) * q(0) * (1 - q(0));
          d[b * G + H + j] = dct * cs[t][s] * q(1) * (1 - q(1));
          d[b * G + 2 * H + j] = dct * q(0) * (1 - q(2) * q(2));
          d[b * G + 3 * H + j] = dhs * tcv * q(3) * (1 - q(3));
          dcPrev[s] = dct * q(1);
        }
      const dhPrev = new Float64Array(B * H);
      for (let b = 0; b < B; b++)
        for (let k = 0; k < H; k++)
          for (let j = 0; j < G; j++) dhPrev[b * H + k] += d[b * G + j] * w[k * G + j];
      dPre[t] = d;
      dh = dhPrev;
      dc = dcPrev;
    }
    const wT = new Float32Array(G * H);
    for (let k = 0; k < H; k++) for (let j = 0; j < G; j++) wT[j * H + k] = w[k * G + j];
    const f32 = (xs: Float64Array[]) => Float32Array.from(xs.flatMap((x) => Array.from(x)));
    const { kernels, views, scratch } = regions(shared, [
      pack(wT, G, H),
      T * B * G,
      f32(gs),
      f32(cs.slice(0, T)),
      f32(cs.slice(1).map((c) => c.map(Math.tanh))),
      dOut,
      Float32Array.from(dhT),
      Float32Array.from(dcT),
    ]);
    const [pw, gotPre, gates, c, tc, pdOut, gotDh, gotDc] = views;
    for (const b0 of [0, half])
      kernels.lstmBackward(
        gotPre.byteOffset + b0 * G * 4,
        pw.byteOffset,
        gates.byteOffset + b0 * G * 4,
        c.byteOffset + b0 * H * 4,
        tc.byteOffset + b0 * H * 4,
        pdOut.byteOffset + b0 * H * 4,
        gotDh.byteOffset + b0 * H * 4,
        gotDc.byteOffset + b0 * H * 4,
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
    for (let t = 0; t < T; t++) for (let i = 0; i < B * G; i++) close(gotPre[t * B * G + i], dPre[t][i]);
    for (let i = 0; i < B * H; i++) {
      close(gotDh[i], dh[i]);
      close(gotDc[i], dc[i]);
    }
  });
});
