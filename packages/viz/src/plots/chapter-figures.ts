import { InvalidArgumentError } from '@wordloom/core';
import { type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import type { AxesOptions } from './axes.js';
import type { Figure } from './figure.js';
import { linePlot } from './line-plot.js';
import { type ScatterPlotOptions, scatterPlot } from './scatter-plot.js';

/** The chapter figures {@link chapterFigure} can draw. */
export const CHAPTER_FIGURES = ['4-2', '4-4', '4-6', '4-8', '4-9', '4-10'] as const;

/** Identifier of a drawable chapter figure. */
export type ChapterFigureId = (typeof CHAPTER_FIGURES)[number];

/** The chapter figures that are drawn from computed data (word maps) rather than from a formula. */
export const DATA_FIGURES: readonly ChapterFigureId[] = ['4-4', '4-6', '4-8', '4-10'];

/** What a word-map figure draws: 2-D points (t-SNE or SVD coordinates) and one word per point. */
export interface WordMapData {
  /** `n × 2` coordinates. */
  points: MatrixInput;
  /** One word per point. */
  labels: ArrayLike<string>;
  /** Where the vectors came from, appended to the title (e.g. `'chapter paragraph, 100 epochs'`). @default none */
  source?: string;
}

/** Options of {@link chapterFigure}: axes options, plus the data of the word-map figures. */
export interface ChapterFigureOptions extends AxesOptions {
  /** Required for Figs 4-4, 4-6, 4-8 and 4-10 ({@link DATA_FIGURES}); refused for the others. @default none */
  data?: WordMapData;
}

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

/**
 * A labelled word map (Figs 4-4 and 4-6: t-SNE of the CBOW and skip-gram embeddings of the chapter's
 * paragraph): equal aspect, small markers, every word that fits without overlapping another.
 */
export function wordMapFigure(
  data: WordMapData,
  options: Omit<ScatterPlotOptions, 'points' | 'labels'> = {},
): Figure {
  return scatterPlot({
    aspect: 'equal',
    pointRadius: 2,
    ...options,
    points: data.points,
    labels: data.labels,
  });
}

/** The four words Fig 4-10 labels. */
export const ANALOGY_WORDS = ['king', 'queen', 'man', 'woman'] as const;

/**
 * Fig 4-10: t-SNE of GloVe vectors of king, queen, man and woman among other words (the chapter adds the
 * file's first 100 words). The four are labelled in bold; dashed segments man → king and woman → queen
 * show the two vector differences the chapter calls "almost parallel and of comparable length"; the other
 * words are grey dots with their labels where they fit.
 */
export function gloveAnalogyFigure(data: WordMapData, options: AxesOptions = {}): Figure {
  const fn = 'gloveAnalogyFigure';
  const points = toDenseMatrix(data.points, 'data.points', fn);
  const labels = Array.from(data.labels, String);
  const at = new Map<string, number>();
  labels.forEach((w, i) => {
    if (!at.has(w)) at.set(w, i);
  });
  for (const w of ANALOGY_WORDS)
    if (!at.has(w))
      throw new InvalidArgumentError('data.labels', fn, `to include '${w}'`, data.labels.length);
  const n = points.rows;
  const order = [...ANALOGY_WORDS.map((w) => at.get(w) ?? 0)];
  const chosen = new Set(order);
  for (let i = 0; i < n; i++) if (!chosen.has(i)) order.push(i);
  const rows = order.map((i) => [points.data[i * points.cols], points.data[i * points.cols + 1]]);
  // The four analogy words first: their markers come first and their labels are placed first.
  const base = scatterPlot({
    aspect: 'equal',
    pointRadius: 2,
    color: '#9a9a9a',
    ...options,
    points: rows,
    labels: order.map((i) => labels[i]),
    labelBold: order.map((_, k) => k < 4),
  });
  // Colour the four words' markers, grey the context labels (colour does not move a box) and add the
  // analogy segments under everything, in the same clip group.
  const clip = base.shapes.find((s) => s.type === 'clip');
  if (clip?.type === 'clip') {
    const circles = clip.shapes.filter((s) => s.type === 'circle');
    const px = (k: number) => {
      const c = circles[k];
      return c?.type === 'circle' ? [c.cx, c.cy] : [0, 0];
    };
    for (const [from, to] of [
      [2, 0],
      [3, 1],
    ]) {
      const [x1, y1] = px(from);
      const [x2, y2] = px(to);
      clip.shapes.unshift({
        type: 'line',
        x1,
        y1,
        x2,
        y2,
        stroke: '#d62728',
        strokeWidth: 1.5,
        dash: [5, 3],
      });
    }
    for (let k = 0; k < 4; k++) {
      const c = circles[k];
      if (c?.type === 'circle') {
        c.fill = '#1f77b4';
        c.r = 3.5;
        c.opacity = 1;
      }
    }
    for (const s of clip.shapes) if (s.type === 'text' && !s.bold) s.fill = '#8a8a8a';
  }
  return base;
}

/** Draws chapter figure `id` (see {@link CHAPTER_FIGURES}); the word maps need `options.data`. */
export function chapterFigure(id: string, options: ChapterFigureOptions = {}): Figure {
  const fn = 'chapterFigure';
  const { data, ...axes } = options;
  if (!(CHAPTER_FIGURES as readonly string[]).includes(id))
    throw new InvalidArgumentError('id', fn, `one of ${CHAPTER_FIGURES.map((f) => `'${f}'`).join(', ')}`, id);
  const needsData = (DATA_FIGURES as readonly string[]).includes(id);
  if (needsData && data === undefined)
    throw new InvalidArgumentError('data', fn, `the points and labels of Fig ${id}`, data);
  if (!needsData && data !== undefined)
    throw new InvalidArgumentError('data', fn, `absent: Fig ${id} is drawn from its formula`, 'an object');
  const suffix = data?.source ? ` (${data.source})` : '';
  switch (id as ChapterFigureId) {
    case '4-2':
      return termFrequencyFigure(axes);
    case '4-9':
      return gloveWeightingFigure(axes);
    case '4-4':
      return wordMapFigure(data!, {
        title: `TSNE plot for the word-embedding vectors learned from CBOW${suffix}`,
        ...axes,
      });
    case '4-6':
      return wordMapFigure(data!, {
        title: `TSNE plot of word-embedding vectors learned from skip-gram${suffix}`,
        ...axes,
      });
    case '4-8':
      return wordMapFigure(data!, {
        title: `Word vectors from the SVD of the co-occurrence matrix${suffix}`,
        pointRadius: 3,
        ...axes,
      });
    case '4-10':
      return gloveAnalogyFigure(data!, {
        title: `2D TSNE vector plot for GloVe vectors${suffix}`,
        ...axes,
      });
  }
}
