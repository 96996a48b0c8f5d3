import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { splitRange, VizKernels } from '../src/kernels/viz-kernels.js';
import { fftInterleaved, fftPlan } from '../src/tsne/fft.js';

/** Lines per block of the kernel (assembly/fft.ts): shares are split at block boundaries. */
const BLOCK = 8;

interface Lines {
  re: Float64Array;
  im: Float64Array;
  lineStride: number;
  elemStride: number;
  nIn: number;
  nOut: number;
  m: number;
  mode: 0 | 1 | 2;
  kernel: Float64Array;
}

/** The float64 reference: each line through src/tsne/fft.ts's fftInterleaved, one at a time. */
function reference(lines: number, a: Lines): [Float64Array, Float64Array] {
  const { lineStride, elemStride, nIn, nOut, m, mode, kernel } = a;
  const re = a.re.slice();
  const im = a.im.slice();
  for (let l = 0; l < lines; l++) {
    const r = new Float64Array(m);
    const i = new Float64Array(m);
    for (let t = 0; t < nIn; t++) {
      r[t] = re[l * lineStride + t * elemStride];
      i[t] = im[l * lineStride + t * elemStride];
    }
    fftInterleaved(r, i, m, 1, mode === 1);
    if (mode === 2) {
      for (let t = 0; t < m; t++) {
        r[t] *= kernel[t * m + l];
        i[t] *= kernel[t * m + l];
      }
      fftInterleaved(r, i, m, 1, true);
    }
    for (let t = 0; t < nOut; t++) {
      re[l * lineStride + t * elemStride] = r[t];
      im[l * lineStride + t * elemStride] = i[t];
    }
  }
  return [re, im];
}

/** fftLines over `lines` lines split into `shares` runs of whole blocks, one per thread. */
function kernelLines(k: VizKernels, lines: number, a: Lines, shares: number): [Float64Array, Float64Array] {
  const { m } = a;
  k.reset();
  const size = a.re.length;
  const pr = k.alloc(8 * size);
  const pi = k.alloc(8 * size);
  const pk = k.alloc(8 * m * m);
  const plan = fftPlan(m);
  const pc = k.alloc(8 * plan.cos.length);
  const ps = k.alloc(8 * plan.sin.length);
  const ranges = splitRange(Math.ceil(lines / BLOCK), shares);
  const work = ranges.map(() => k.alloc(8 * 4 * BLOCK * m));
  k.f64(pr, size).set(a.re);
  k.f64(pi, size).set(a.im);
  k.f64(pk, m * m).set(a.kernel);
  k.f64(pc, plan.cos.length).set(plan.cos);
  k.f64(ps, plan.sin.length).set(plan.sin);
  k.run(
    'fftLines',
    ranges.map(([from, to], s) => [
      pr,
      pi,
      a.lineStride,
      a.elemStride,
      from * BLOCK,
      Math.min(lines, to * BLOCK),
      a.nIn,
      a.nOut,
      m,
      a.mode,
      pk,
      pc,
      ps,
      work[s],
    ]),
  );
  return [k.f64(pr, size).slice(), k.f64(pi, size).slice()];
}

describe.each([1, 2])('fftLines (%i threads)', (threads) => {
  const started = VizKernels.start(threads);
  afterAll(async () => (await started).close());

  // Lengths with every radix (4, 2, 3, 5), odd line counts (a padding lane), rows and columns of a grid.
  for (const [m, lines] of [
    [60, 13],
    [96, 8],
    [250, 21],
    [1, 1],
    [405, 9],
  ] as const)
    for (const mode of [0, 1, 2] as const)
      it(`is bit-for-bit the float64 reference at length ${m}, ${lines} lines, mode ${mode}, rows and columns`, async () => {
        const k = await started;
        const rng = new Random(m + mode);
        const nIn = Math.max(1, Math.floor(m * 0.6));
        const nOut = Math.max(1, Math.floor(m * 0.7));
        // A grid of `lines` rows × m columns (row pass) and its m rows × `lines` columns (column pass).
        for (const rows of [true, false]) {
          const a: Lines = {
            re: Float64Array.from({ length: lines * m }, () => rng.normal()),
            im: Float64Array.from({ length: lines * m }, () => rng.normal()),
            lineStride: rows ? m : 1,
            elemStride: rows ? 1 : lines,
            nIn,
            nOut,
            m,
            mode,
            kernel: Float64Array.from({ length: m * m }, () => rng.normal()),
          };
          // The column pass reads kernel[t·m + ℓ] with ℓ < lines ≤ m: the reference reads the same.
          const [wr, wi] = reference(lines, a);
          const [gr, gi] = kernelLines(k, lines, a, k.threads);
          expect(Array.from(gr)).toEqual(Array.from(wr));
          expect(Array.from(gi)).toEqual(Array.from(wi));
        }
      });

  it('leaves elements past nOut and lines outside [from, to) as they were', async () => {
    const k = await started;
    const rng = new Random(9);
    const m = 48;
    const a: Lines = {
      re: Float64Array.from({ length: 20 * m }, () => rng.normal()),
      im: Float64Array.from({ length: 20 * m }, () => rng.normal()),
      lineStride: m,
      elemStride: 1,
      nIn: m,
      nOut: 10,
      m,
      mode: 0,
      kernel: new Float64Array(m * m),
    };
    const [gr] = kernelLines(k, 16, a, k.threads);
    for (let l = 0; l < 20; l++)
      for (let t = l < 16 ? 10 : 0; t < m; t++) expect(gr[l * m + t]).toBe(a.re[l * m + t]);
  });
});
