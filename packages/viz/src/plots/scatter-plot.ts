import { assertNumber, InvalidArgumentError } from '@wordloom/core';
import { type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { type AxesOptions, createAxes, drawLegend, type LegendPosition } from './axes.js';
import type { Figure } from './figure.js';
import { categoryColor } from './palette.js';

/** Options of {@link scatterPlot}. */
export interface ScatterPlotOptions extends AxesOptions {
  /** `n × 2` coordinates (the first two columns are used), e.g. a t-SNE embedding. */
  points: MatrixInput;
  /** A text label drawn beside each point (words, like the chapter's TSNE figures). @default none */
  labels?: ArrayLike<string>;
  /** A class per point: points are coloured by class and a legend lists the classes. @default none */
  classes?: ArrayLike<number | string>;
  /** Marker radius in pixels; 0 draws labels only. @default 3 */
  pointRadius?: number;
  /** Marker opacity, 0–1. @default 0.8 */
  opacity?: number;
  /** Colour of points without classes. @default '#1f77b4' */
  color?: string;
  /** Where the class legend goes. @default 'top-right' */
  legend?: LegendPosition;
}

/**
 * A scatter plot of 2-D points with optional text labels and class colours (the chapter's Figs 4-4, 4-6,
 * 4-8, 4-10 and MNIST maps). Classes get the `tab10` colours in order of first appearance.
 */
export function scatterPlot(options: ScatterPlotOptions): Figure {
  const fn = 'scatterPlot';
  const points = toDenseMatrix(options.points, 'points', fn);
  if (points.cols < 2) throw new InvalidArgumentError('points', fn, 'at least 2 columns', points.cols);
  const n = points.rows;
  const { labels, classes } = options;
  if (labels && labels.length !== n)
    throw new InvalidArgumentError('labels', fn, `one label per point (${n})`, labels.length);
  if (classes && classes.length !== n)
    throw new InvalidArgumentError('classes', fn, `one class per point (${n})`, classes.length);
  const radius = assertNumber(options.pointRadius ?? 3, 'pointRadius', fn, { min: 0 });
  const opacity = assertNumber(options.opacity ?? 0.8, 'opacity', fn, { min: 0, max: 1 });
  const { data, cols } = points;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = data[i * cols];
    const y = data[i * cols + 1];
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  const axes = createAxes(options, { xMin, xMax, yMin, yMax }, fn);
  const classIndex = new Map<number | string, number>();
  if (classes)
    for (let i = 0; i < n; i++) if (!classIndex.has(classes[i])) classIndex.set(classes[i], classIndex.size);
  // Sort class legend numerically when every class is a number (digits 0–9 read in order).
  const classList = [...classIndex.keys()];
  if (classList.every((c) => typeof c === 'number')) (classList as number[]).sort((a, b) => a - b);
  for (const [k, c] of classList.entries()) classIndex.set(c, k);
  const colorOf = (i: number) =>
    classes ? categoryColor(classIndex.get(classes[i]) ?? 0) : (options.color ?? '#1f77b4');
  if (radius > 0) {
    for (let i = 0; i < n; i++) {
      axes.data.push({
        type: 'circle',
        cx: axes.sx(data[i * cols]),
        cy: axes.sy(data[i * cols + 1]),
        r: radius,
        fill: colorOf(i),
        opacity,
      });
    }
  }
  if (labels) {
    for (let i = 0; i < n; i++) {
      axes.data.push({
        type: 'text',
        x: axes.sx(data[i * cols]) + radius + 2,
        y: axes.sy(data[i * cols + 1]),
        text: String(labels[i]),
        fontSize: axes.fontSize * 0.9,
        fill: classes ? colorOf(i) : '#222222',
        anchor: 'start',
        baseline: 'middle',
      });
    }
  }
  if (classes)
    drawLegend(
      axes,
      classList.map((c) => ({
        label: String(c),
        color: categoryColor(classIndex.get(c) ?? 0),
        marker: 'dot' as const,
      })),
      options.legend ?? 'top-right',
    );
  return axes.figure;
}
