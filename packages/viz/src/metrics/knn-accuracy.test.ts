import { describeEachBackend } from '@wordloom/backend/testing';
import { expect, it } from 'vitest';
import { knnAccuracy } from './knn-accuracy.js';

describeEachBackend('knnAccuracy', () => {
  it('counts leave-one-out majority votes (hand-worked line of points)', async () => {
    // Points on a line at 0, 1, 2, 10, 11, 12, 13 with labels a a b b b b a.
    // k = 2: 0→{1,2}: a,b tie → nearest (1: a) ✓; 1→{0,2} a,b → 0 is nearer?  |1−0| = |1−2|, ties by index → 0: a ✓;
    // 2→{1,0}: a a ✗ (label b); 10→{11,12}: b ✓; 11→{10,12}: b ✓; 12→{11,13}: b,a tie → 11: b ✓; 13→{12,11}: b ✗.
    const points = [0, 1, 2, 10, 11, 12, 13].map((v) => [v, 0]);
    const labels = ['a', 'a', 'b', 'b', 'b', 'b', 'a'];
    expect(await knnAccuracy(points, labels, { k: 2 })).toBeCloseTo(5 / 7, 12);
  });

  it('is 1 for separated classes and rejects a label count that does not match', async () => {
    const points = [
      [0, 0],
      [0, 1],
      [1, 0],
      [50, 50],
      [50, 51],
      [51, 50],
    ];
    expect(await knnAccuracy(points, [0, 0, 0, 1, 1, 1], { k: 2 })).toBe(1);
    await expect(knnAccuracy(points, [0, 1])).rejects.toThrow(
      /'labels' passed to 'knnAccuracy' must be one label per row \(6\)/,
    );
  });
});
