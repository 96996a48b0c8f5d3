import { InvalidArgumentError, Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { glorotUniform, identity, initialize, orthogonal } from './initializers.js';

function gram(m: Float32Array, rows: number, cols: number, byRows: boolean): number {
  // max |MᵀM − I| (columns) or |MMᵀ − I| (rows)
  const n = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (v: number, e: number) => (byRows ? m[v * cols + e] : m[e * cols + v]);
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let e = 0; e < len; e++) dot += at(i, e) * at(j, e);
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  return worst;
}

describe('initializers', () => {
  it('orthogonal: orthonormal columns for tall and rows for wide matrices', () => {
    expect(gram(orthogonal(64, 16, new Random(1)), 64, 16, false)).toBeLessThan(1e-5);
    expect(gram(orthogonal(16, 64, new Random(2)), 16, 64, true)).toBeLessThan(1e-5);
    expect(gram(orthogonal(32, 32, new Random(3)), 32, 32, false)).toBeLessThan(1e-5);
  });

  it('orthogonal: an LSTM recurrent kernel 512 × 2048 in well under the time tfjs-layers’ QR takes', () => {
    const start = performance.now();
    const q = orthogonal(512, 2048, new Random(4));
    const seconds = (performance.now() - start) / 1000;
    expect(seconds).toBeLessThan(10); // ~0.5 s unloaded; tfjs-layers' op-by-op QR takes minutes
    let row0 = 0;
    for (let e = 0; e < 2048; e++) row0 += q[e] * q[e];
    expect(row0).toBeCloseTo(1, 4);
  });

  it('orthogonal: same seed, same matrix; gain scales it', () => {
    const a = orthogonal(8, 8, new Random(5));
    expect(orthogonal(8, 8, new Random(5))).toEqual(a);
    const b = orthogonal(8, 8, new Random(5), 2);
    expect(b[3]).toBeCloseTo(2 * a[3], 6);
  });

  it('glorotUniform stays within √(6/(fanIn+fanOut)) and has the uniform variance l²/3', () => {
    const m = glorotUniform(100, 200, new Random(6));
    const limit = Math.sqrt(6 / 300);
    let sq = 0;
    for (const v of m) {
      expect(Math.abs(v)).toBeLessThanOrEqual(limit);
      sq += v * v;
    }
    expect(sq / m.length).toBeCloseTo((limit * limit) / 3, 3);
  });

  it('identity repeats I per gate block; rejects non-square blocks', () => {
    expect(Array.from(identity(2, 4, 0.5))).toEqual([0.5, 0, 0.5, 0, 0, 0.5, 0, 0.5]);
    expect(() => identity(3, 4)).toThrow(InvalidArgumentError);
  });

  it('initialize dispatches by name and rejects unknown names', () => {
    expect(Array.from(initialize('zeros', 1, 3, new Random(1)))).toEqual([0, 0, 0]);
    expect(() => initialize('he' as never, 1, 1, new Random(1))).toThrow(
      /must be one of glorotUniform, orthogonal, identity, zeros/,
    );
  });
});
