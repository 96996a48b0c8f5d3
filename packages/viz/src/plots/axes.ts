import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import type { Figure, Shape } from './figure.js';
import { formatTick, niceDomain, niceTicks } from './ticks.js';

/** Options shared by every plot: size, titles and axis ranges. */
export interface AxesOptions {
  /** Figure width in pixels. @default 640 */
  width?: number;
  /** Figure height in pixels. @default 480 */
  height?: number;
  /** Title above the plot. @default none */
  title?: string;
  /** Label under the x axis. @default none */
  xLabel?: string;
  /** Label left of the y axis (rotated). @default none */
  yLabel?: string;
  /** x range shown; data outside is clipped. @default the data range widened to nice ticks */
  xDomain?: [number, number];
  /** y range shown; data outside is clipped. @default the data range widened to nice ticks */
  yDomain?: [number, number];
  /** Base font size in pixels (title is 1.25×). @default 12 */
  fontSize?: number;
  /** Draw light grid lines at the ticks. @default true */
  grid?: boolean;
}

/** Where a legend goes inside the plot area. */
export type LegendPosition = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right' | 'none';

/** One legend row: a short line (line plots) or a dot (classes) in `color`, then `label`. */
export interface LegendEntry {
  label: string;
  color: string;
  marker: 'line' | 'dot';
  dash?: number[];
}

/** A laid-out plot area: pixel mapping for data values, the frame shapes, and the clip group for data. */
export interface Axes {
  figure: Figure;
  /** Data shapes go here; they are clipped to the plot area. */
  data: Shape[];
  sx(x: number): number;
  sy(y: number): number;
  area: { x: number; y: number; width: number; height: number };
  fontSize: number;
}

const AXIS_COLOR = '#333333';
const GRID_COLOR = '#e6e6e6';

/**
 * Lays out a figure with a frame, ticks and tick labels, title and axis labels for data spanning
 * `[xMin, xMax] × [yMin, yMax]` (or the explicit domains).
 */
export function createAxes(
  options: AxesOptions,
  extent: { xMin: number; xMax: number; yMin: number; yMax: number },
  functionName: string,
): Axes {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  assertInteger(width, 'width', functionName, 64, 16384);
  assertInteger(height, 'height', functionName, 64, 16384);
  const fontSize = options.fontSize ?? 12;
  const xDomain =
    checkDomain(options.xDomain, 'xDomain', functionName) ?? niceDomain(extent.xMin, extent.xMax);
  const yDomain =
    checkDomain(options.yDomain, 'yDomain', functionName) ?? niceDomain(extent.yMin, extent.yMax);
  const xTicks = niceTicks(xDomain[0], xDomain[1]);
  const yTicks = niceTicks(yDomain[0], yDomain[1]);
  const yTickWidth = Math.max(...yTicks.map((t) => formatTick(t, yTicks).length)) * fontSize * 0.6;
  const left = Math.ceil(10 + yTickWidth + 8 + (options.yLabel ? fontSize * 1.6 : 0));
  const top = Math.ceil(options.title ? fontSize * 3 : fontSize * 1.2);
  const bottom = Math.ceil(fontSize * 2.4 + (options.xLabel ? fontSize * 1.6 : 0));
  const right = Math.ceil(fontSize * 1.8);
  const area = { x: left, y: top, width: width - left - right, height: height - top - bottom };
  if (area.width < 16 || area.height < 16)
    throw new InvalidArgumentError(
      'width',
      functionName,
      'large enough for a plot area',
      `${width} × ${height}`,
    );
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
      y2: area.y + area.height + 5,
      stroke: AXIS_COLOR,
      strokeWidth: 1,
    });
    text(px, area.y + area.height + 6 + fontSize, formatTick(t, xTicks));
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
      x1: area.x - 5,
      y1: py,
      x2: area.x,
      y2: py,
      stroke: AXIS_COLOR,
      strokeWidth: 1,
    });
    text(area.x - 8, py, formatTick(t, yTicks), { anchor: 'end', baseline: 'middle' });
  }
  const data: Shape[] = [];
  shapes.push({ type: 'clip', ...area, shapes: data });
  shapes.push({ type: 'rect', ...area, stroke: AXIS_COLOR, strokeWidth: 1 });
  if (options.title)
    text(width / 2, fontSize * 1.9, options.title, { fontSize: fontSize * 1.25, bold: true });
  if (options.xLabel) text(area.x + area.width / 2, height - fontSize * 0.8, options.xLabel);
  if (options.yLabel)
    text(fontSize * 1.2, area.y + area.height / 2, options.yLabel, { rotate: -90, baseline: 'middle' });
  return { figure: { width, height, background: '#ffffff', shapes }, data, sx, sy, area, fontSize };
}

/** Draws a legend box with `entries` in a corner of the plot area. */
export function drawLegend(axes: Axes, entries: LegendEntry[], position: LegendPosition): void {
  if (position === 'none' || entries.length === 0) return;
  const fs = axes.fontSize;
  const row = fs * 1.5;
  const swatch = fs * 2;
  const textWidth = Math.max(...entries.map((e) => e.label.length)) * fs * 0.6;
  const boxWidth = 8 + swatch + 6 + textWidth + 8;
  const boxHeight = entries.length * row + 8;
  const { area } = axes;
  const x = position.endsWith('left') ? area.x + 8 : area.x + area.width - 8 - boxWidth;
  const y = position.startsWith('top') ? area.y + 8 : area.y + area.height - 8 - boxHeight;
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
