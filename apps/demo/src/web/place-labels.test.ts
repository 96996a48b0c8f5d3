import { describe, expect, it } from 'vitest';
import { type LabelBox, placeLabels } from './place-labels.js';

const overlap = (a: LabelBox, b: LabelBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && Math.abs(a.y - b.y) < (a.height + b.height) / 2;

describe('placeLabels', () => {
  it('places the first of two overlapping labels, and both when they are apart', () => {
    const a = { x: 10, y: 10, width: 40, height: 12 };
    expect(placeLabels([a, { x: 30, y: 14, width: 40, height: 12 }], 200, 100)).toEqual([true, false]);
    expect(placeLabels([a, { x: 60, y: 10, width: 40, height: 12 }], 200, 100)).toEqual([true, true]);
  });

  it('never places overlapping or out-of-view labels among many random ones', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const boxes = Array.from({ length: 2000 }, () => ({
      x: rand() * 420 - 10,
      y: rand() * 320 - 10,
      width: 10 + rand() * 60,
      height: 12,
    }));
    const placed = placeLabels(boxes, 400, 300);
    const kept = boxes.filter((_, i) => placed[i]);
    expect(kept.length).toBeGreaterThan(50);
    for (const b of kept) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(400);
    }
    for (let i = 0; i < kept.length; i++)
      for (let j = i + 1; j < kept.length; j++) expect(overlap(kept[i], kept[j])).toBe(false);
    // Greedy: every rejected in-view box overlaps some placed one.
    for (const [i, b] of boxes.entries())
      if (!placed[i] && b.x >= 0 && b.x + b.width <= 400 && b.y >= 6 && b.y <= 294)
        expect(kept.some((k) => overlap(b, k))).toBe(true);
  });
});
