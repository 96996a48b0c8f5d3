import { describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from './correlation.js';

describe('correlations', () => {
  it('ranks ties by their average rank (as scipy.stats.rankdata)', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
  });

  it('gives hand-computed Pearson and Spearman values', () => {
    // x = 1..5, y = 2, 4, 5, 4, 5: Σdxdy = 6, Σdx² = 10, Σdy² = 6 → r = 6/√60 (scipy: 0.7745966692414835).
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
    // Ranks of y: 1, 2.5, 4.5, 2.5, 4.5 → ρ = 0.7378647873726218 (scipy.stats.spearmanr).
    expect(spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7378647873726218, 12);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1, 12);
  });
});
