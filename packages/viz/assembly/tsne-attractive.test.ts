import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { splitRange, VizKernels } from '../src/kernels/viz-kernels.js';
import type { CsrMatrix } from '../src/tsne/sparse-matrix.js';

const FLOAT32_TINY = 1.1754943508222875e-38;

/** A random symmetric-pattern CSR matrix with `k` entries per row (no self edges), positive values. */
function randomP(n: number, k: number, rng: Random): CsrMatrix {
  const rowStart = new Int32Array(n + 1);
  const columns = new Int32Array(n * k);
  const values = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    rowStart[i + 1] = (i + 1) * k;
    for (let c = 0; c < k; c++) {
      columns[i * k + c] = (i + 1 + rng.int(n - 1)) % n;
      values[i * k + c] = rng.next() / (n * k);
    }
  }
  return { rows: n, rowStart, columns, values };
}

/** The float64 JavaScript loop of barnes-hut.ts (attraction and KL), the reference. */
function reference(y: Float64Array, dims: 2 | 3, p: CsrMatrix, ex: number, dof: number, invZ: number) {
  const n = p.rows;
  const out = new Float64Array(n * dims);
  const kernel = (d2: number) => (dof === 1 ? 1 / (1 + d2) : (dof / (dof + d2)) ** ((dof + 1) / 2));
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
      const j = p.columns[e];
      const d0 = y[i * dims] - y[j * dims];
      const d1 = y[i * dims + 1] - y[j * dims + 1];
      const d2 = dims === 3 ? y[i * dims + 2] - y[j * dims + 2] : 0;
      const q = kernel(d0 * d0 + d1 * d1 + d2 * d2);
      const pij = p.values[e] * ex;
      const w = pij * q;
      out[i * dims] += w * d0;
      out[i * dims + 1] += w * d1;
      if (dims === 3) out[i * dims + 2] += w * d2;
      kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q * invZ, FLOAT32_TINY));
    }
  }
  return { out, kl };
}

/** Runs tsneAttractive over `shares` row ranges; returns the rows and the KL partials summed in order. */
function attractive(
  k: VizKernels,
  y: Float64Array,
  dims: 2 | 3,
  p: CsrMatrix,
  ex: number,
  dof: number,
  invZ: number,
  shares: number,
  computeKl = true,
) {
  const n = p.rows;
  k.reset();
  const py = k.alloc(8 * y.length);
  const pr = k.alloc(4 * (n + 1));
  const pc = k.alloc(4 * p.columns.length);
  const pv = k.alloc(8 * p.values.length);
  const po = k.alloc(8 * n * dims);
  const slots = k.alloc(8 * shares);
  k.f64(py, y.length).set(y);
  k.i32(pr, n + 1).set(p.rowStart);
  k.i32(pc, p.columns.length).set(p.columns);
  k.f64(pv, p.values.length).set(p.values);
  const ranges = splitRange(n, shares);
  k.run(
    'tsneAttractive',
    ranges.map(([from, to], s) => [
      py,
      dims,
      pr,
      pc,
      pv,
      ex,
      dof,
      from,
      to,
      po,
      invZ,
      computeKl ? 1 : 0,
      slots + 8 * s,
    ]),
  );
  let kl = 0;
  for (const v of k.f64(slots, ranges.length)) kl += v;
  return { out: k.f64(po, n * dims).slice(), kl };
}

describe.each([1, 2])('tsneAttractive (%i threads)', (threads) => {
  const started = VizKernels.start(threads);
  afterAll(async () => (await started).close());

  it('runs on the threads asked for (Node has worker threads)', async () => {
    expect((await started).threads).toBe(threads);
  });

  it('2-D: the forces are bit-for-bit the float64 JavaScript loop, the KL within rounding', async () => {
    const k = await started;
    const rng = new Random(3);
    const n = 301;
    const p = randomP(n, 7, rng);
    const y = Float64Array.from({ length: 2 * n }, () => 4 * rng.normal());
    const want = reference(y, 2, p, 12, 1, 1 / 250);
    const got = attractive(k, y, 2, p, 12, 1, 1 / 250, k.threads);
    expect(Array.from(got.out)).toEqual(Array.from(want.out));
    expect(Math.abs(got.kl - want.kl)).toBeLessThan(1e-13 * Math.abs(want.kl));
    expect(Number.isFinite(got.kl) && got.kl !== 0).toBe(true);
    // Without the KL the slots hold 0 and the forces are unchanged.
    const noKl = attractive(k, y, 2, p, 12, 1, 1 / 250, k.threads, false);
    expect(noKl.kl).toBe(0);
    expect(Array.from(noKl.out)).toEqual(Array.from(want.out));
  });

  it("3-D with scikit-learn's kernels (dof 1 and 2) matches the float64 loop", async () => {
    const k = await started;
    const rng = new Random(4);
    const n = 157;
    const p = randomP(n, 9, rng);
    const y = Float64Array.from({ length: 3 * n }, () => 2 * rng.normal());
    for (const dof of [1, 2]) {
      const want = reference(y, 3, p, 1, dof, 1 / 80);
      const got = attractive(k, y, 3, p, 1, dof, 1 / 80, k.threads);
      // t·√t against the reference's t ** 1.5: a rounding apart per term, measured on the largest force.
      const scale = want.out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (let e = 0; e < want.out.length; e++)
        expect(Math.abs(got.out[e] - want.out[e])).toBeLessThanOrEqual(1e-14 * scale);
      expect(Math.abs(got.kl - want.kl)).toBeLessThan(1e-13 * Math.abs(want.kl));
    }
  });

  it('the KL floors p and q at the smallest float32, as scikit-learn (a far pair, a zero p)', async () => {
    const k = await started;
    const p: CsrMatrix = {
      rows: 2,
      rowStart: Int32Array.of(0, 1, 2),
      columns: Int32Array.of(1, 0),
      values: Float64Array.of(0, 0.5),
    };
    const y = Float64Array.of(0, 0, 1e30, 0);
    const want = reference(y, 2, p, 1, 1, 1);
    const got = attractive(k, y, 2, p, 1, 1, 1, k.threads);
    expect(got.kl).toBeCloseTo(want.kl, 10);
    expect(got.kl).toBeCloseTo(0.5 * Math.log(0.5 / FLOAT32_TINY), 10);
  });

  it('a thread count gives the same KL every time (partials combined in order)', async () => {
    const k = await started;
    const rng = new Random(5);
    const n = 1000;
    const p = randomP(n, 20, rng);
    const y = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const a = attractive(k, y, 2, p, 1, 1, 1e-3, k.threads);
    const b = attractive(k, y, 2, p, 1, 1, 1e-3, k.threads);
    expect(b.kl).toBe(a.kl);
    expect(Array.from(b.out)).toEqual(Array.from(a.out));
  });
});
