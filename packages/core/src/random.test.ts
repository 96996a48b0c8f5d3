import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws uniform floats in [0, 1) with mean ≈ 1/2 and normals with mean 0, variance 1', () => {
    const r = new Random(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < 100_000; i++) {
      const z = r.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(s1 / 100_000).toBeCloseTo(0, 1);
    expect(s2 / 100_000).toBeCloseTo(1, 1);
  });

  it('shuffles into a permutation, deterministically', () => {
    const p = new Random(1).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Random(1).shuffle(Array.from({ length: 50 }, (_, i) => i))).toEqual(p);
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects a non-integer seed', () => {
    expect(() => new Random(1.5)).toThrow(/Argument 'seed' passed to 'Random' must be an integer/);
  });
});
