import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { DistinctValues, rankByFrequency } from './distinct-values.js';

describe('DistinctValues', () => {
  it('numbers the distinct values in order of first occurrence, on their exact bits', () => {
    const x = Float64Array.from([0.5, 1, 0.1 + 0.2, 0.5, 0.3, 1, 2]);
    const t = DistinctValues.of(x, 10)!;
    expect(t.count).toBe(5);
    expect(Array.from(t.values.subarray(0, t.count))).toEqual([0.5, 1, 0.1 + 0.2, 0.3, 2]);
    expect(Array.from(x, (v) => t.indexOf(v))).toEqual([0, 1, 2, 0, 3, 1, 4]);
    expect(t.indexOf(7)).toBe(-1);
  });

  it('grows past its first table and agrees with a Map on 20,000 random values', () => {
    const rng = new Random(3);
    const pool = Float64Array.from({ length: 5000 }, () => rng.next() * 100);
    const x = Float64Array.from({ length: 20_000 }, () => pool[rng.int(pool.length)]);
    const t = DistinctValues.of(x, 20_000)!;
    const map = new Map<number, number>();
    for (const v of x) if (!map.has(v)) map.set(v, map.size);
    expect(t.count).toBe(map.size);
    for (const v of x) expect(t.indexOf(v)).toBe(map.get(v));
  });

  it('adds into the caller’s storage until it is full', () => {
    const storage = new Float64Array(3);
    const t = new DistinctValues(storage);
    expect([4, 5, 4, 6, 5].map((x) => t.add(x))).toEqual([0, 1, 0, 2, 1]);
    expect(Array.from(storage)).toEqual([4, 5, 6]);
    expect(t.add(7)).toBe(-1);
    expect(t.add(6)).toBe(2);
    // NaN is never equal to itself: a new value each time.
    expect(new DistinctValues(new Float64Array(2)).add(Number.NaN)).toBe(0);
  });

  it('gives up (null) beyond the limit', () => {
    expect(DistinctValues.of(Float64Array.from([1, 2, 3]), 2)).toBeNull();
    expect(DistinctValues.of(Float64Array.from([1, 2, 2]), 2)?.count).toBe(2);
    expect(DistinctValues.of(Float64Array.from([1]), 0)).toBeNull();
  });

  it('renumbers values by decreasing frequency, ties in the old order', () => {
    const index = Uint32Array.from([2, 0, 2, 1, 3, 2, 1, 3]);
    const order = rankByFrequency(index, 5);
    // 2 three times, then 1 and 3 twice (1 first), then 0 once, then 4 never.
    expect(Array.from(order)).toEqual([2, 1, 3, 0, 4]);
    expect(Array.from(index)).toEqual([0, 3, 0, 1, 2, 0, 1, 2]);
  });
});
