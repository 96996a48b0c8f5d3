import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_WORDS } from '../test-support/figure-fixtures.js';
import type { Figure, Shape, TextShape } from './figure.js';
import { linePlot } from './line-plot.js';
import { scatterPlot } from './scatter-plot.js';
import { type Box, boxesIntersect, textBox, textWidth } from './text-metrics.js';

function plotArea(figure: Figure): Extract<Shape, { type: 'clip' }> {
  const clip = figure.shapes.find((s) => s.type === 'clip');
  if (clip?.type !== 'clip') throw new Error('no plot area');
  return clip;
}
const inside = (b: Box, a: { x: number; y: number; width: number; height: number }) =>
  b.x0 >= a.x - 1e-9 && b.x1 <= a.x + a.width + 1e-9 && b.y0 >= a.y - 1e-9 && b.y1 <= a.y + a.height + 1e-9;

describe('text metrics', () => {
  it("measure DejaVu Sans's advances: 'W' is wider than 'i', bold wider than regular", () => {
    expect(textWidth('W', 10)).toBeCloseTo(9.89, 2);
    expect(textWidth('i', 10)).toBeCloseTo(2.78, 2);
    expect(textWidth('king', 12, true)).toBeGreaterThan(textWidth('king', 12));
    const box = textBox({
      type: 'text',
      x: 100,
      y: 50,
      text: 'ab',
      fontSize: 10,
      fill: '#000',
      anchor: 'end',
      baseline: 'middle',
    });
    expect(box.x1).toBeCloseTo(100, 9);
    expect(box.x0).toBeCloseTo(100 - textWidth('ab', 10), 9);
    expect((box.y0 + box.y1) / 2).toBeCloseTo(50, 9);
  });
});

describe('scatterPlot layout', () => {
  // A crowded word map: 130 labels on 180 × 140 data units squeezed into 360 × 280 pixels.
  const rng = new Random(11);
  const words = [...FIXTURE_WORDS, ...FIXTURE_WORDS.map((w) => `${w}s`)];
  const points = words.map(() => [rng.normal() * 30, rng.normal() * 20]);

  it('never draws two labels whose boxes intersect, and drops the ones that do not fit', () => {
    const figure = scatterPlot({ points, labels: words, width: 360, height: 280 });
    const texts = plotArea(figure).shapes.filter((s): s is TextShape => s.type === 'text');
    expect(texts.length).toBeGreaterThan(20);
    expect(texts.length).toBeLessThan(words.length); // crowded: some dropped
    const boxes = texts.map(textBox);
    for (let a = 0; a < boxes.length; a++)
      for (let b = a + 1; b < boxes.length; b++) expect(boxesIntersect(boxes[a], boxes[b])).toBe(false);
    // With collisions allowed, the same map does overlap: the test above can fail.
    const crowded = plotArea(
      scatterPlot({ points, labels: words, width: 360, height: 280, labelCollisions: 'allow' }),
    )
      .shapes.filter((s): s is TextShape => s.type === 'text')
      .map(textBox);
    expect(crowded.some((a, i) => crowded.some((b, j) => j > i && boxesIntersect(a, b)))).toBe(true);
  });

  it('keeps every marker and every label inside the frame, even at the extremes', () => {
    const extremes = [
      [0, 0],
      [100, 0],
      [-100, 0],
      [0, 50],
      [0, -50],
      [100, 50],
    ];
    const labels = ['centre', 'a-long-label-on-the-right', 'left', 'top', 'bottom', 'corner'];
    const figure = scatterPlot({ points: extremes, labels, pointRadius: 4, width: 480, height: 320 });
    const clip = plotArea(figure);
    const circles = clip.shapes.filter((s) => s.type === 'circle');
    expect(circles).toHaveLength(6);
    for (const c of circles)
      if (c.type === 'circle')
        expect(inside({ x0: c.cx - c.r, y0: c.cy - c.r, x1: c.cx + c.r, y1: c.cy + c.r }, clip)).toBe(true);
    const texts = clip.shapes.filter((s): s is TextShape => s.type === 'text');
    expect(texts.map((t) => t.text).sort()).toEqual([...labels].sort());
    for (const t of texts) expect(inside(textBox(t), clip)).toBe(true);
  });

  it("adds matplotlib's 5% margin instead of rounding the range out to ticks", () => {
    const figure = scatterPlot({
      points: [
        [0, 0],
        [10, 1],
      ],
      pointRadius: 0,
    });
    const clip = plotArea(figure);
    const xs = clip.shapes.filter((s) => s.type === 'circle');
    expect(xs).toHaveLength(0);
    const scatter = scatterPlot({
      points: [
        [0, 0],
        [10, 1],
      ],
      pointRadius: 0.001,
    });
    const [a, b] = plotArea(scatter).shapes.map((s) => (s.type === 'circle' ? s.cx : 0));
    const area = plotArea(scatter);
    // 0 and 10 sit 5% of the range (1/22 of the axis) inside the frame.
    expect((a - area.x) / area.width).toBeCloseTo(0.5 / 11, 3);
    expect((area.x + area.width - b) / area.width).toBeCloseTo(0.5 / 11, 3);
  });

  it("aspect 'equal' gives one data unit the same length on both axes", () => {
    const pts = [
      [0, 0],
      [10, 0],
      [0, 2],
      [10, 2],
    ];
    for (const [w, h] of [
      [640, 480],
      [300, 700],
    ]) {
      const figure = scatterPlot({ points: pts, aspect: 'equal', width: w, height: h });
      const c = plotArea(figure).shapes.filter((s) => s.type === 'circle') as Array<{
        cx: number;
        cy: number;
      }>;
      const xUnit = (c[1].cx - c[0].cx) / 10;
      const yUnit = (c[0].cy - c[2].cy) / 2;
      expect(yUnit / xUnit).toBeCloseTo(1, 6);
    }
    expect(() => scatterPlot({ points: pts, aspect: 'square' as 'equal' })).toThrow(
      /'aspect' passed to 'scatterPlot'/,
    );
  });
});

describe("legend 'best'", () => {
  const legendBox = (figure: Figure): Box => {
    // The legend is the last white rectangle outside the plot area.
    const rect = figure.shapes.filter((s) => s.type === 'rect' && s.fill === '#ffffff').pop();
    if (rect?.type !== 'rect') throw new Error('no legend');
    return { x0: rect.x, y0: rect.y, x1: rect.x + rect.width, y1: rect.y + rect.height };
  };

  it('moves off falling loss curves (which start under the top-left corner and end under the bottom-right)', () => {
    const falling = (scale: number) => Array.from({ length: 50 }, (_, i) => scale * Math.exp(-i / 8) + 0.05);
    const series = [
      { name: 'train loss', y: falling(3) },
      { name: 'test loss', y: falling(2.6) },
    ];
    const figure = linePlot({ series });
    const box = legendBox(figure);
    const polylines = plotArea(figure).shapes.filter((s) => s.type === 'polyline');
    for (const line of polylines)
      if (line.type === 'polyline')
        for (let k = 0; k + 1 < line.points.length; k += 2) {
          const [x, y] = [line.points[k], line.points[k + 1]];
          expect(x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1).toBe(false);
        }
    // A fixed top-left legend would sit on the curves.
    const fixed = legendBox(linePlot({ series, legend: 'top-left' }));
    const covered = polylines.some(
      (l) =>
        l.type === 'polyline' &&
        l.points.some((v, k) => k % 2 === 1 && l.points[k - 1] <= fixed.x1 && v <= fixed.y1 && v >= fixed.y0),
    );
    expect(covered).toBe(true);
  });

  it('puts a class legend where fewest points are', () => {
    const rng = new Random(2);
    // Points everywhere except the bottom-left quarter.
    const pts: number[][] = [];
    const classes: number[] = [];
    while (pts.length < 300) {
      const x = rng.next() * 10;
      const y = rng.next() * 10;
      if (x < 5 && y < 5) continue;
      pts.push([x, y]);
      classes.push(pts.length % 3);
    }
    const figure = scatterPlot({ points: pts, classes });
    const box = legendBox(figure);
    const area = plotArea(figure);
    expect(box.x0).toBeLessThan(area.x + area.width / 2);
    expect(box.y0).toBeGreaterThan(area.y + area.height / 2);
  });
});

describe('titles', () => {
  it('shrink, then shorten with an ellipsis, so they always fit the figure', () => {
    const title =
      'TSNE plot for the word-embedding vectors learned from CBOW (the chapter paragraph, 20 epochs)';
    for (const width of [320, 640, 1400]) {
      const figure = scatterPlot({
        points: [
          [0, 0],
          [1, 1],
        ],
        title,
        width,
      });
      const shape = figure.shapes.find((s): s is TextShape => s.type === 'text' && s.bold === true);
      if (!shape) throw new Error('no title');
      const box = textBox(shape);
      expect(box.x0).toBeGreaterThanOrEqual(0);
      expect(box.x1).toBeLessThanOrEqual(width);
      if (width === 1400) expect(shape.text).toBe(title);
      if (width === 320) expect(shape.text.endsWith('…')).toBe(true);
    }
  });
});
