import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('solves a 3 × 3 case by hand: [[2,1,0],[1,2,0],[0,0,5]] has eigenvalues 5, 3, 1', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 0, 1, 2, 0, 0, 0, 5), 3);
    expect([...values].map((v) => Number(v.toFixed(12)))).toEqual([5, 3, 1]);
    expect(Math.abs(vectors[2])).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[3])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[3] * vectors[4]).toBeCloseTo(0.5, 12);
    expect(vectors[6] * vectors[7]).toBeCloseTo(-0.5, 12);
  });
});
