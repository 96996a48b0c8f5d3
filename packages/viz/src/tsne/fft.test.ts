import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { fft, fftInterleaved, fftLength, fftRadices } from './fft.js';

/** The DFT of one sequence by its definition (sign −1 forward, +1 inverse, unnormalised). */
function directDft(re: Float64Array, im: Float64Array, inverse: boolean): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++)
    for (let t = 0; t < n; t++) {
      const a = ((inverse ? 2 : -2) * Math.PI * ((k * t) % n)) / n;
      outRe[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      outIm[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  return [outRe, outIm];
}

describe('fftInterleaved', () => {
  // Every radix alone and mixed: 4, 2, 3, 5 and products, the lengths FftRepulsion picks.
  for (const n of [1, 2, 3, 4, 5, 6, 8, 12, 15, 16, 30, 45, 60, 64, 75, 120, 250, 400, 486])
    it(`equals the direct DFT of each of 3 interleaved columns at length ${n}, forward and inverse`, () => {
      const rng = new Random(n);
      const count = 3;
      const re = Float64Array.from({ length: n * count }, () => rng.normal());
      const im = Float64Array.from({ length: n * count }, () => rng.normal());
      for (const inverse of [false, true]) {
        const [r, i] = [re.slice(), im.slice()];
        fftInterleaved(r, i, n, count, inverse);
        for (let c = 0; c < count; c++) {
          const column = (x: Float64Array) => Float64Array.from({ length: n }, (_, t) => x[t * count + c]);
          const [dr, di] = directDft(column(re), column(im), inverse);
          for (let k = 0; k < n; k++) {
            expect(Math.abs(r[k * count + c] - dr[k])).toBeLessThan(1e-10 * Math.sqrt(n) + 1e-12);
            expect(Math.abs(i[k * count + c] - di[k])).toBeLessThan(1e-10 * Math.sqrt(n) + 1e-12);
          }
        }
      }
    });

  it('inverts: forward then inverse is n times the input', () => {
    const rng = new Random(4);
    const n = 360;
    const re = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const im = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const [r, i] = [re.slice(), im.slice()];
    fftInterleaved(r, i, n, 2);
    fftInterleaved(r, i, n, 2, true);
    for (let e = 0; e < 2 * n; e++) {
      expect(r[e] / n).toBeCloseTo(re[e], 12);
      expect(i[e] / n).toBeCloseTo(im[e], 12);
    }
  });

  it('rejects a length with a prime factor above 5', () => {
    expect(() => fftInterleaved(new Float64Array(7), new Float64Array(7), 7, 1)).toThrow(RangeError);
  });
});

it('fft transforms a slice in place as the interleaved transform of one column', () => {
  const rng = new Random(1);
  const re = Float64Array.from({ length: 20 }, () => rng.normal());
  const im = Float64Array.from({ length: 20 }, () => rng.normal());
  const [r, i] = [re.slice(), im.slice()];
  fft(r, i, false, 5, 15);
  const [dr, di] = directDft(re.slice(5), im.slice(5), false);
  for (let k = 0; k < 15; k++) {
    expect(r[5 + k]).toBeCloseTo(dr[k], 10);
    expect(i[5 + k]).toBeCloseTo(di[k], 10);
  }
  expect(r.slice(0, 5)).toEqual(re.slice(0, 5));
});

it('fftLength is the smallest 2^a · 3^b · 5^c at least its argument', () => {
  const smooth = (v: number) => fftRadices(v) !== null;
  for (let min = 1; min <= 2000; min++) {
    const n = fftLength(min);
    expect(n).toBeGreaterThanOrEqual(min);
    expect(smooth(n)).toBe(true);
    for (let v = min; v < n; v++) expect(smooth(v)).toBe(false);
  }
  expect(fftRadices(7)).toBeNull();
  expect(fftRadices(360)).toEqual([4, 2, 3, 3, 5]);
});
