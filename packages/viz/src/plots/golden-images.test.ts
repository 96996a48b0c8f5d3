import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { renderPng } from '../node/render-png.js';
import { decodePng, pixelDifference } from '../test-support/decode-png.js';
import { fixtureWordMap, SVD_FIXTURE } from '../test-support/figure-fixtures.js';
import { chapterFigure } from './chapter-figures.js';
import type { Figure } from './figure.js';
import { linePlot } from './line-plot.js';
import { scatterPlot } from './scatter-plot.js';

// Golden PNGs of every chapter figure (and the digit map and a loss plot) at a small size. Rendering uses
// only the bundled DejaVu Sans, so the pixels do not depend on the machine; the tolerance (0.5% of pixels
// differing by more than 48 of 255 in some channel) absorbs anti-aliasing changes of a resvg upgrade, not
// a moved label or axis. Regenerate after an intended change with UPDATE_GOLDENS=1 and look at them.
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../test-goldens');
const TOLERANCE = 0.005;
const small = { width: 420, height: 320, fontSize: 10 };

function digitsMap(): Figure {
  const rng = new Random(5);
  const classes = Array.from({ length: 400 }, (_, i) => i % 10);
  return scatterPlot({
    ...small,
    points: classes.map((c) => [c * 3 + rng.normal(), Math.sin(c) * 5 + rng.normal()]),
    classes,
    aspect: 'equal',
    pointRadius: 2,
    title: 't-SNE of digits (fixture)',
  });
}

const FIGURES: Record<string, () => Figure> = {
  'fig-4-2': () => chapterFigure('4-2', small),
  'fig-4-4': () => chapterFigure('4-4', { ...small, data: fixtureWordMap(3) }),
  'fig-4-6': () => chapterFigure('4-6', { ...small, data: fixtureWordMap(4) }),
  'fig-4-8': () => chapterFigure('4-8', { ...small, data: SVD_FIXTURE }),
  'fig-4-9': () => chapterFigure('4-9', small),
  'fig-4-10': () => chapterFigure('4-10', { ...small, data: fixtureWordMap(5) }),
  'digits-map': digitsMap,
  'loss-curves': () =>
    linePlot({
      ...small,
      title: 'Training loss',
      series: [
        { name: 'train', y: Array.from({ length: 30 }, (_, i) => 2.5 * Math.exp(-i / 6) + 0.1) },
        {
          name: 'test',
          y: Array.from({ length: 30 }, (_, i) => 2.4 * Math.exp(-i / 7) + 0.25),
          dash: [6, 3],
        },
      ],
    }),
};

describe('golden images', () => {
  for (const [name, build] of Object.entries(FIGURES)) {
    it(`${name} matches its golden PNG`, () => {
      const png = renderPng(build());
      const file = join(GOLDEN_DIR, `${name}.png`);
      if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) {
        if (process.env.CI) throw new Error(`missing golden ${file}: run with UPDATE_GOLDENS=1 locally`);
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, png);
      }
      const golden = decodePng(readFileSync(file));
      const actual = decodePng(png);
      expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
      expect(pixelDifference(actual, golden)).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it('the comparison fails for a figure that differs (a moved title)', () => {
    const a = decodePng(renderPng(chapterFigure('4-2', small)));
    const b = decodePng(renderPng(chapterFigure('4-2', { ...small, title: 'Another title entirely' })));
    expect(pixelDifference(a, b)).toBeGreaterThan(TOLERANCE);
  });
});
