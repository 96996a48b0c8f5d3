import { assertNumber, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { type Axes, type AxesOptions, createAxes, drawLegend, type LegendPosition } from './axes.js';
import type { Figure, TextShape } from './figure.js';
import { categoryColor } from './palette.js';
import { type Box, boxesIntersect, textBox, textWidth } from './text-metrics.js';

/** Options of {@link scatterPlot}. */
export interface ScatterPlotOptions extends AxesOptions {
  /** `n × 2` coordinates (the first two columns are used), e.g. a t-SNE embedding. */
  points: MatrixInput;
  /** A text label drawn beside each point (words, like the chapter's TSNE figures); `''` draws none. @default none */
  labels?: ArrayLike<string>;
  /**
   * `'avoid'`: labels never overlap — each is tried right of its marker, then left, above, below and at the
   * four diagonals, and dropped when every spot is taken or outside the frame (earlier labels win, so pass
   * the important ones first, e.g. words by frequency); `'allow'`: every label right of its marker.
   * @default 'avoid'
   */
  labelCollisions?: 'avoid' | 'allow';
  /** Label font size in pixels. @default 0.9 × fontSize */
  labelFontSize?: number;
  /** Draw labels in bold: all of them, or one flag per point (the chapter's highlighted words). @default false */
  labelBold?: boolean | ArrayLike<boolean>;
  /** A class per point: points are coloured by class and a legend lists the classes. @default none */
  classes?: ArrayLike<number | string>;
  /** Marker radius in pixels; 0 draws labels only. @default 3 */
  pointRadius?: number;
  /** Marker opacity, 0–1. @default 0.8 */
  opacity?: number;
  /** Colour of points without classes. @default '#1f77b4' */
  color?: string;
  /** Where the class legend goes. @default 'best' */
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
  const fontSize = options.fontSize ?? 12;
  const labelSize = assertNumber(options.labelFontSize ?? fontSize * 0.9, 'labelFontSize', fn, { min: 1 });
  const collisions = assertOneOf(
    options.labelCollisions ?? 'avoid',
    ['avoid', 'allow'] as const,
    'labelCollisions',
    fn,
  );
  const boldOption = options.labelBold ?? false;
  if (typeof boldOption !== 'boolean' && boldOption.length !== n)
    throw new InvalidArgumentError(
      'labelBold',
      fn,
      `a boolean or one flag per point (${n})`,
      boldOption.length,
    );
  const bold = (i: number) => (typeof boldOption === 'boolean' ? boldOption : Boolean(boldOption[i]));
  const halfHeight = (1.164 * labelSize) / 2;
  const gap = radius + 2;
  const room = {
    all: radius + 1,
    points: labels
      ? Array.from({ length: n }, (_, i) => ({
          x: data[i * cols],
          y: data[i * cols + 1],
          left: 0,
          right: String(labels[i]) === '' ? 0 : gap + textWidth(String(labels[i]), labelSize, bold(i)) + 1,
          up: halfHeight + 1,
          down: halfHeight + 1,
        })).filter((p) => p.right > 0)
      : [],
  };
  const axes = createAxes(options, { xMin, xMax, yMin, yMax }, fn, room);
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
  // Marker boxes of the labelled points, in label order (the placement avoids covering them).
  const markerBoxes: Box[] = [];
  if (labels)
    for (let i = 0; i < n; i++) {
      if (String(labels[i]) === '') continue;
      const cx = axes.sx(data[i * cols]);
      const cy = axes.sy(data[i * cols + 1]);
      markerBoxes.push({ x0: cx - radius, y0: cy - radius, x1: cx + radius, y1: cy + radius });
    }
  if (labels)
    placeLabels(axes, collisions, gap, markerBoxes, (emit) => {
      for (let i = 0; i < n; i++) {
        const text = String(labels[i]);
        if (text === '') continue;
        emit(axes.sx(data[i * cols]), axes.sy(data[i * cols + 1]), {
          text,
          fontSize: labelSize,
          fill: classes ? colorOf(i) : '#222222',
          bold: bold(i),
        });
      }
    });
  if (classes)
    drawLegend(
      axes,
      classList.map((c) => ({
        label: String(c),
        color: categoryColor(classIndex.get(c) ?? 0),
        marker: 'dot' as const,
      })),
      options.legend ?? 'best',
    );
  return axes.figure;
}

type LabelStyle = Pick<TextShape, 'text' | 'fontSize' | 'fill' | 'bold'>;

/**
 * Greedy label placement: each label takes the first of eight spots around its marker whose box lies inside
 * the plot area, meets no label placed before it and covers no other marker; failing that, the first spot
 * that only avoids labels; failing that, it is dropped. Uniform grids over the area find the neighbours.
 */
function placeLabels(
  axes: Axes,
  collisions: 'avoid' | 'allow',
  gap: number,
  markers: Box[],
  each: (emit: (px: number, py: number, style: LabelStyle) => void) => void,
): void {
  const { area } = axes;
  const cell = 48;
  const columns = Math.max(1, Math.ceil(area.width / cell));
  const cellsOf = (b: Box) => {
    const out: number[] = [];
    const c0 = Math.max(0, Math.floor((b.x0 - area.x) / cell));
    const c1 = Math.min(columns - 1, Math.floor((b.x1 - area.x) / cell));
    const r0 = Math.max(0, Math.floor((b.y0 - area.y) / cell));
    const r1 = Math.floor((b.y1 - area.y) / cell);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) out.push(r * columns + c);
    return out;
  };
  const makeGrid = () => {
    const grid = new Map<number, Box[]>();
    return {
      add(b: Box) {
        for (const key of cellsOf(b)) {
          const list = grid.get(key);
          if (list) list.push(b);
          else grid.set(key, [b]);
        }
      },
      hits(b: Box, except?: Box) {
        for (const key of cellsOf(b))
          for (const other of grid.get(key) ?? [])
            if (other !== except && boxesIntersect(b, other)) return true;
        return false;
      },
    };
  };
  const labels = makeGrid();
  const dots = makeGrid();
  for (const m of markers) dots.add(m);
  const inside = (b: Box) =>
    b.x0 >= area.x && b.x1 <= area.x + area.width && b.y0 >= area.y && b.y1 <= area.y + area.height;
  let index = 0;
  each((px, py, style) => {
    const own = markers[index++];
    const half = (1.164 * style.fontSize) / 2;
    const d = gap * Math.SQRT1_2;
    const spots: Array<Pick<TextShape, 'x' | 'y' | 'anchor'>> = [
      { x: px + gap, y: py, anchor: 'start' },
      { x: px - gap, y: py, anchor: 'end' },
      { x: px, y: py - gap - half, anchor: 'middle' },
      { x: px, y: py + gap + half, anchor: 'middle' },
      { x: px + d, y: py - d - half, anchor: 'start' },
      { x: px - d, y: py - d - half, anchor: 'end' },
      { x: px + d, y: py + d + half, anchor: 'start' },
      { x: px - d, y: py + d + half, anchor: 'end' },
    ];
    const shapes = spots.map((spot): TextShape => ({ type: 'text', ...style, ...spot, baseline: 'middle' }));
    if (collisions === 'allow') {
      axes.data.push(shapes[0]);
      return;
    }
    const boxes = shapes.map(textBox);
    const usable = boxes.map((b) => inside(b) && !labels.hits(b));
    let pick = usable.findIndex((ok, k) => ok && !dots.hits(boxes[k], own));
    if (pick < 0) pick = usable.indexOf(true);
    if (pick < 0) return;
    axes.data.push(shapes[pick]);
    labels.add(boxes[pick]);
  });
}
