import { InvalidArgumentError } from '@wordloom/core';
import type { AxesOptions } from './axes.js';
import type { Figure } from './figure.js';
import { linePlot } from './line-plot.js';

/** The chapter figures {@link chapterFigure} can draw. */
export const CHAPTER_FIGURES = ['4-2', '4-9'] as const;

/** Identifier of a drawable chapter figure. */
export type ChapterFigureId = (typeof CHAPTER_FIGURES)[number];

/**
 * Fig 4-2 of the chapter: normalised term frequency against raw term frequency n for the raw count, the
 * square root, the logarithm `log(1 + n)` and BM25's saturation `(k + 1) n / (k + n)` with k = 1.2 (the
 * chapter's BM25 equation), for n from 0 to 20.
 */
export function termFrequencyFigure(options: AxesOptions & { k?: number } = {}): Figure {
  const k = options.k ?? 1.2;
  const n = Array.from({ length: 201 }, (_, i) => i / 10);
  return linePlot({
    title: 'Normalized term frequency versus term frequency',
    xLabel: 'term frequency n',
    yLabel: 'normalized term frequency',
    ...options,
    series: [
      { name: 'raw: n', x: n, y: n },
      { name: 'sqrt(n)', x: n, y: n.map(Math.sqrt) },
      { name: 'log(1 + n)', x: n, y: n.map(Math.log1p) },
      { name: `BM25: (k+1)n/(k+n), k = ${k}`, x: n, y: n.map((v) => ((k + 1) * v) / (k + v)) },
    ],
  });
}

/**
 * Fig 4-9 of the chapter: GloVe's co-occurrence weighting `h(x) = (x / x_max)^α` for `x < x_max`, 1
 * elsewhere, with x_max = 100 and α = 3/4, for x from 0 to 150.
 */
export function gloveWeightingFigure(options: AxesOptions & { xMax?: number; alpha?: number } = {}): Figure {
  const xMax = options.xMax ?? 100;
  const alpha = options.alpha ?? 0.75;
  const x = Array.from({ length: 301 }, (_, i) => (i * 1.5 * xMax) / 300);
  return linePlot({
    title: 'Weightage function for the co-occurrence counts',
    xLabel: 'co-occurrence count x',
    yLabel: 'h(x)',
    legend: 'bottom-right',
    // Headroom above h = 1 so the saturated part is not hidden under the frame.
    yDomain: [0, 1.1],
    ...options,
    series: [
      {
        name: `h(x) = (x / ${xMax})^${alpha}, 1 beyond ${xMax}`,
        x,
        y: x.map((v) => (v < xMax ? (v / xMax) ** alpha : 1)),
      },
    ],
  });
}

/** Draws chapter figure `id` ('4-2' or '4-9'). */
export function chapterFigure(id: string, options: AxesOptions = {}): Figure {
  if (id === '4-2') return termFrequencyFigure(options);
  if (id === '4-9') return gloveWeightingFigure(options);
  throw new InvalidArgumentError(
    'id',
    'chapterFigure',
    `one of ${CHAPTER_FIGURES.map((f) => `'${f}'`).join(', ')}`,
    id,
  );
}
