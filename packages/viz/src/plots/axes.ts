import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import type { Figure, Shape } from './figure.js';
import { type Box, boxesIntersect, textBox, textWidth } from './text-metrics.js';
import { formatTick, niceTicks } from './ticks.js';

/** Largest figure side in pixels. */
export const MAX_FIGURE_SIDE = 16384;

/** Options shared by every plot: size, titles, axis ranges, aspect and margins. */
export interface AxesOptions {
  /** Figure width in pixels (CSS pixels: 96 per inch). @default 640 */
  width?: number;
  /** Figure height in pixels. @default 480 */
  height?: number;
  /** Title above the plot. @default none */
  title?: string;
  /** Label under the x axis. @default none */
  xLabel?: string;
  /** Label left of the y axis (rotated). @default none */
  yLabel?: string;
  /** x range shown; data outside is clipped. @default the data range with {@link AxesOptions.margin} and room for markers and labels */
  xDomain?: [number, number];
  /** y range shown; data outside is clipped. @default as `xDomain` */
  yDomain?: [number, number];
  /** Base font size in pixels (title is 1.25×). @default 12 */
  fontSize?: number;
  /** Draw light grid lines at the ticks. @default true */
  grid?: boolean;
  /**
   * `'equal'`: one data unit is as long on the x axis as on the y axis (the shorter range is widened about
   * its centre), as matplotlib's `set_aspect('equal', adjustable='datalim')` — for maps, where distances
   * mean something in every direction. @default 'auto'
   */
  aspect?: 'auto' | 'equal';
  /**
   * Padding added to each end of an automatic axis range, as a fraction of the data range (matplotlib's
   * `axes.xmargin` / `ymargin`); on top of it the range grows until every marker and label fits inside.
   * @default 0.05
   */
  margin?: number;
}

/**
 * Where a legend goes inside the plot area; `'best'` picks, as matplotlib's `loc='best'`, the candidate
 * position with the fewest data points, line samples and labels under it (ties: first in the order
 * top-right, top-left, bottom-left, bottom-right, right, left, bottom, top, center).
 */
export type LegendPosition =
  | 'best'
  | 'top-left'
  | 'top-right'
  | 'bottom-left'
  | 'bottom-right'
  | 'top'
  | 'bottom'
  | 'left'
  | 'right'
  | 'center'
  | 'none';

/** Every {@link LegendPosition}. */
export const LEGEND_POSITIONS: readonly LegendPosition[] = [
  'best',
  'top-right',
  'top-left',
  'bottom-left',
  'bottom-right',
  'right',
  'left',
  'bottom',
  'top',
  'center',
  'none',
];

/** One legend row: a short line (line plots) or a dot (classes) in `color`, then `label`. */
export interface LegendEntry {
  label: string;
  color: string;
  marker: 'line' | 'dot';
  dash?: number[];
}

/**
 * Pixel room that data points need around their positions, so that nothing drawn for them is clipped by
 * the frame: `all` on every side of every point (a marker radius), and per-point boxes (a label beside a
 * marker) given as pixels to the left, right, above and below the point.
 */
export interface PixelRoom {
  all: number;
  points?: ReadonlyArray<{ x: number; y: number; left: number; right: number; up: number; down: number }>;
}

/** A laid-out plot area: pixel mapping for data values, the frame shapes, and the clip group for data. */
export interface Axes {
  figure: Figure;
  /** Data shapes go here; they are clipped to the plot area. */
  data: Shape[];
  sx(x: number): number;
  sy(y: number): number;
  area: { x: number; y: number; width: number; height: number };
  xDomain: [number, number];
  yDomain: [number, number];
  fontSize: number;
}

const AXIS_COLOR = '#333333';
const GRID_COLOR = '#e6e6e6';
const TICK = 5;

/** Data extent of a plot: the smallest and largest x and y. */
export interface Extent {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/**
 * Lays out a figure with a frame, ticks and tick labels, title and axis labels for data spanning `extent`
 * (or the explicit domains). Automatic ranges are the data range plus `margin` on each side, widened
 * further until every point's {@link PixelRoom} fits inside the frame, then (with `aspect: 'equal'`)
 * widened so both axes have the same scale.
 */
export function createAxes(
  options: AxesOptions,
  extent: Extent,
  functionName: string,
  room: PixelRoom = { all: 0 },
): Axes {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  assertInteger(width, 'width', functionName, 64, MAX_FIGURE_SIDE);
  assertInteger(height, 'height', functionName, 64, MAX_FIGURE_SIDE);
  const fontSize = assertNumber(options.fontSize ?? 12, 'fontSize', functionName, { min: 4, max: 512 });
  const margin = assertNumber(options.margin ?? 0.05, 'margin', functionName, { min: 0, max: 10 });
  const aspect = assertOneOf(options.aspect ?? 'auto', ['auto', 'equal'] as const, 'aspect', functionName);
  const fixedX = checkDomain(options.xDomain, 'xDomain', functionName);
  const fixedY = checkDomain(options.yDomain, 'yDomain', functionName);
  for (const [k, v] of Object.entries(extent))
    if (!Number.isFinite(v))
      throw new InvalidArgumentError('points', functionName, 'finite coordinates', `${k} ${v}`);

  let xDomain: [number, number] = fixedX ?? padRange(extent.xMin, extent.xMax, margin);
  let yDomain: [number, number] = fixedY ?? padRange(extent.yMin, extent.yMax, margin);
  let area = layoutArea(width, height, fontSize, options, xDomain, yDomain, functionName);
  // Two passes: the plot area depends on the tick labels, which depend on the ranges.
  for (let pass = 0; pass < 2; pass++) {
    const items = room.points ?? [];
    if (!fixedX)
      xDomain = fitRange(
        extent.xMin,
        extent.xMax,
        area.width,
        margin,
        room.all,
        items.map((p) => ({ v: p.x, lo: p.left, hi: p.right })),
      );
    if (!fixedY)
      yDomain = fitRange(
        extent.yMin,
        extent.yMax,
        area.height,
        margin,
        room.all,
        items.map((p) => ({ v: p.y, lo: p.down, hi: p.up })),
      );
    if (aspect === 'equal') [xDomain, yDomain] = equalise(xDomain, yDomain, area, !fixedX, !fixedY);
    area = layoutArea(width, height, fontSize, options, xDomain, yDomain, functionName);
  }
  const xTicks = niceTicks(xDomain[0], xDomain[1]);
  const yTicks = niceTicks(yDomain[0], yDomain[1]);
  const sx = (x: number) => area.x + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * area.width;
  const sy = (y: number) =>
    area.y + area.height - ((y - yDomain[0]) / (yDomain[1] - yDomain[0])) * area.height;
  const shapes: Shape[] = [];
  const grid = options.grid ?? true;
  const text = (x: number, y: number, t: string, extra: Partial<Extract<Shape, { type: 'text' }>> = {}) =>
    shapes.push({
      type: 'text',
      x,
      y,
      text: t,
      fontSize,
      fill: AXIS_COLOR,
      anchor: 'middle',
      baseline: 'alphabetic',
      ...extra,
    });
  for (const t of xTicks) {
    const px = sx(t);
    if (grid)
      shapes.push({
        type: 'line',
        x1: px,
        y1: area.y,
        x2: px,
        y2: area.y + area.height,
        stroke: GRID_COLOR,
        strokeWidth: 1,
      });
    shapes.push({
      type: 'line',
      x1: px,
      y1: area.y + area.height,
      x2: px,
      y2: area.y + area.height + TICK,
      stroke: AXIS_COLOR,
      strokeWidth: 1,
    });
    text(px, area.y + area.height + TICK + 1 + fontSize, formatTick(t, xTicks));
  }
  for (const t of yTicks) {
    const py = sy(t);
    if (grid)
      shapes.push({
        type: 'line',
        x1: area.x,
        y1: py,
        x2: area.x + area.width,
        y2: py,
        stroke: GRID_COLOR,
        strokeWidth: 1,
      });
    shapes.push({
      type: 'line',
      x1: area.x - TICK,
      y1: py,
      x2: area.x,
      y2: py,
      stroke: AXIS_COLOR,
      strokeWidth: 1,
    });
    text(area.x - TICK - 3, py, formatTick(t, yTicks), { anchor: 'end', baseline: 'middle' });
  }
  const data: Shape[] = [];
  shapes.push({ type: 'clip', ...area, shapes: data });
  shapes.push({ type: 'rect', ...area, stroke: AXIS_COLOR, strokeWidth: 1 });
  if (options.title) {
    const fitted = fitTitle(options.title, fontSize * 1.25, width - 16);
    text(width / 2, fontSize * 1.9, fitted.text, { fontSize: fitted.fontSize, bold: true });
  }
  if (options.xLabel) text(area.x + area.width / 2, height - fontSize * 0.8, options.xLabel);
  if (options.yLabel)
    text(fontSize * 1.2, area.y + area.height / 2, options.yLabel, { rotate: -90, baseline: 'middle' });
  return {
    figure: { width, height, background: '#ffffff', shapes },
    data,
    sx,
    sy,
    area,
    xDomain,
    yDomain,
    fontSize,
  };
}

/**
 * A title that fits `room` pixels: the font shrinks down to 80%, then the text is cut at a word (or
 * character) boundary and ends with '…' — never clipped by the figure's edge.
 */
export function fitTitle(title: string, fontSize: number, room: number): { text: string; fontSize: number } {
  const width = textWidth(title, fontSize, true);
  if (width <= room) return { text: title, fontSize };
  const smaller = Math.max(fontSize * 0.8, (fontSize * room) / width);
  if (textWidth(title, smaller, true) <= room) return { text: title, fontSize: smaller };
  const chars = [...title];
  let keep = chars.length;
  while (keep > 1 && textWidth(`${chars.slice(0, keep).join('').trimEnd()}…`, smaller, true) > room) keep--;
  let cut = chars.slice(0, keep).join('');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return { text: `${cut.trimEnd()}…`, fontSize: smaller };
}

function layoutArea(
  width: number,
  height: number,
  fontSize: number,
  options: AxesOptions,
  xDomain: [number, number],
  yDomain: [number, number],
  functionName: string,
): Axes['area'] {
  const xTicks = niceTicks(xDomain[0], xDomain[1]);
  const yTicks = niceTicks(yDomain[0], yDomain[1]);
  const yTickWidth = Math.max(0, ...yTicks.map((t) => textWidth(formatTick(t, yTicks), fontSize)));
  const lastX = xTicks.length > 0 ? textWidth(formatTick(xTicks[xTicks.length - 1], xTicks), fontSize) : 0;
  const left = Math.ceil(8 + yTickWidth + TICK + 3 + (options.yLabel ? fontSize * 1.6 : 0));
  const top = Math.ceil(options.title ? fontSize * 3 : fontSize * 1.2);
  const bottom = Math.ceil(fontSize * 2.4 + (options.xLabel ? fontSize * 1.6 : 0));
  // Room for half of the last x tick label, which is centred on the right edge at most.
  const right = Math.ceil(Math.max(fontSize * 1.8, lastX / 2 + 4));
  const area = { x: left, y: top, width: width - left - right, height: height - top - bottom };
  if (area.width < 16 || area.height < 16)
    throw new InvalidArgumentError(
      'width',
      functionName,
      'large enough for a plot area',
      `${width} × ${height}`,
    );
  return area;
}

/** `[min, max]` widened by `margin × range` on both sides (a degenerate range by 10% of |value|, or 1). */
function padRange(min: number, max: number, margin: number): [number, number] {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return [min - pad, max + pad];
  }
  const pad = margin * (max - min);
  return pad > 0 ? [min - pad, max + pad] : [min, max];
}

/**
 * The smallest range `[a, b]` containing the padded data range such that every item's value keeps `lo`
 * pixels to the lower end and `hi` pixels to the upper end when `[a, b]` spans `length` pixels:
 * `v − a ≥ lo (b − a) / length`, `b − v ≥ hi (b − a) / length`. Solved by fixed-point iteration (the
 * right-hand sides grow with `b − a`, so the iteration increases monotonically); items needing more than
 * half of the axis are left out (their labels will not fit anywhere and are dropped at placement).
 */
function fitRange(
  min: number,
  max: number,
  length: number,
  margin: number,
  all: number,
  items: Array<{ v: number; lo: number; hi: number }>,
): [number, number] {
  const [a0, b0] = padRange(min, max, margin);
  const usable = items.filter((it) => it.lo + it.hi < length / 2);
  let a = a0;
  let b = b0;
  for (let iteration = 0; iteration < 100; iteration++) {
    const perPixel = (b - a) / length;
    let na = Math.min(a0, min - all * perPixel);
    let nb = Math.max(b0, max + all * perPixel);
    for (const it of usable) {
      na = Math.min(na, it.v - Math.max(it.lo, all) * perPixel);
      nb = Math.max(nb, it.v + Math.max(it.hi, all) * perPixel);
    }
    const converged = Math.abs(na - a) + Math.abs(nb - b) <= 1e-9 * (b - a);
    a = na;
    b = nb;
    if (converged) break;
  }
  return [a, b];
}

/** Widens the range with fewer data units per pixel so both axes have the same scale. */
function equalise(
  x: [number, number],
  y: [number, number],
  area: Axes['area'],
  freeX: boolean,
  freeY: boolean,
): [[number, number], [number, number]] {
  const ux = (x[1] - x[0]) / area.width;
  const uy = (y[1] - y[0]) / area.height;
  const widen = (r: [number, number], perPixel: number, pixels: number): [number, number] => {
    const mid = (r[0] + r[1]) / 2;
    return [mid - (perPixel * pixels) / 2, mid + (perPixel * pixels) / 2];
  };
  if (ux > uy && freeY) return [x, widen(y, ux, area.height)];
  if (uy > ux && freeX) return [widen(x, uy, area.width), y];
  return [x, y];
}

/**
 * Draws a legend box with `entries` at `position` inside the plot area; `'best'` (see
 * {@link LegendPosition}) counts what lies under each candidate box among the data shapes drawn so far.
 */
export function drawLegend(axes: Axes, entries: LegendEntry[], position: LegendPosition): void {
  if (position === 'none' || entries.length === 0) return;
  const fs = axes.fontSize;
  const row = fs * 1.5;
  const swatch = fs * 2;
  const labelWidth = Math.max(...entries.map((e) => textWidth(e.label, fs)));
  const boxWidth = 8 + swatch + 6 + labelWidth + 8;
  const boxHeight = entries.length * row + 8;
  const place = (p: Exclude<LegendPosition, 'best' | 'none'>) =>
    legendOrigin(axes.area, p, boxWidth, boxHeight);
  let origin: { x: number; y: number };
  if (position === 'best') {
    const samples = dataSamples(axes.data);
    let best = Infinity;
    origin = place('top-right');
    for (const candidate of LEGEND_POSITIONS) {
      if (candidate === 'best' || candidate === 'none') continue;
      const o = place(candidate);
      const box = { x0: o.x, y0: o.y, x1: o.x + boxWidth, y1: o.y + boxHeight };
      const cost = legendCost(box, samples);
      if (cost < best) {
        best = cost;
        origin = o;
      }
    }
  } else origin = place(position);
  const { x, y } = origin;
  const shapes = axes.figure.shapes;
  shapes.push({
    type: 'rect',
    x,
    y,
    width: boxWidth,
    height: boxHeight,
    fill: '#ffffff',
    stroke: '#cccccc',
    strokeWidth: 1,
  });
  entries.forEach((entry, k) => {
    const cy = y + 4 + row * (k + 0.5);
    if (entry.marker === 'line')
      shapes.push({
        type: 'line',
        x1: x + 8,
        y1: cy,
        x2: x + 8 + swatch,
        y2: cy,
        stroke: entry.color,
        strokeWidth: 2,
        dash: entry.dash,
      });
    else
      shapes.push({
        type: 'circle',
        cx: x + 8 + swatch / 2,
        cy,
        r: fs * 0.35,
        fill: entry.color,
        opacity: 1,
      });
    shapes.push({
      type: 'text',
      x: x + 8 + swatch + 6,
      y: cy,
      text: entry.label,
      fontSize: fs,
      fill: AXIS_COLOR,
      anchor: 'start',
      baseline: 'middle',
    });
  });
}

function legendOrigin(
  area: Axes['area'],
  p: Exclude<LegendPosition, 'best' | 'none'>,
  w: number,
  h: number,
): { x: number; y: number } {
  const pad = 8;
  const left = area.x + pad;
  const right = area.x + area.width - pad - w;
  const cx = area.x + (area.width - w) / 2;
  const top = area.y + pad;
  const bottom = area.y + area.height - pad - h;
  const cy = area.y + (area.height - h) / 2;
  const x = p.endsWith('left') || p === 'left' ? left : p.endsWith('right') || p === 'right' ? right : cx;
  const y = p.startsWith('top') ? top : p.startsWith('bottom') ? bottom : cy;
  return { x, y };
}

/** Points (marker centres, line vertices and samples every few pixels along segments) and label boxes. */
function dataSamples(shapes: Shape[]): { points: number[]; boxes: Box[] } {
  const points: number[] = [];
  const boxes: Box[] = [];
  const segment = (x1: number, y1: number, x2: number, y2: number) => {
    const steps = Math.min(64, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 4));
    for (let s = 0; s < steps; s++) points.push(x1 + ((x2 - x1) * s) / steps, y1 + ((y2 - y1) * s) / steps);
    points.push(x2, y2);
  };
  const walk = (list: Shape[]) => {
    for (const s of list) {
      if (s.type === 'circle') points.push(s.cx, s.cy);
      else if (s.type === 'line') segment(s.x1, s.y1, s.x2, s.y2);
      else if (s.type === 'polyline')
        for (let k = 0; k + 3 < s.points.length; k += 2)
          segment(s.points[k], s.points[k + 1], s.points[k + 2], s.points[k + 3]);
      else if (s.type === 'text' && !s.rotate) boxes.push(textBox(s));
      else if (s.type === 'clip') walk(s.shapes);
    }
  };
  walk(shapes);
  return { points, boxes };
}

function legendCost(box: Box, samples: { points: number[]; boxes: Box[] }): number {
  let cost = 0;
  const { points } = samples;
  for (let k = 0; k < points.length; k += 2) {
    const px = points[k];
    const py = points[k + 1];
    if (px >= box.x0 && px <= box.x1 && py >= box.y0 && py <= box.y1) cost++;
  }
  for (const b of samples.boxes) if (boxesIntersect(box, b)) cost++;
  return cost;
}

function checkDomain(
  domain: [number, number] | undefined,
  argument: string,
  functionName: string,
): [number, number] | undefined {
  if (domain === undefined) return undefined;
  if (
    !Array.isArray(domain) ||
    domain.length !== 2 ||
    !Number.isFinite(domain[0]) ||
    !Number.isFinite(domain[1]) ||
    !(domain[1] > domain[0])
  )
    throw new InvalidArgumentError(argument, functionName, 'a finite [min, max] with min < max', domain);
  return [domain[0], domain[1]];
}
