import { InvalidArgumentError } from '@wordloom/core';
import { type AxesOptions, createAxes, drawLegend, type LegendPosition } from './axes.js';
import type { Figure } from './figure.js';
import { categoryColor } from './palette.js';

/** One curve of a {@link linePlot}. */
export interface LineSeries {
  /** Legend text. */
  name: string;
  /** x values. @default 0, 1, 2, … (e.g. epochs of a loss curve) */
  x?: ArrayLike<number>;
  /** y values, one per x. */
  y: ArrayLike<number>;
  /** Line colour. @default the series' `tab10` colour */
  color?: string;
  /** Dash pattern in pixels. @default solid */
  dash?: number[];
  /** Line width in pixels. @default 2 */
  strokeWidth?: number;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions extends AxesOptions {
  series: LineSeries[];
  /** Where the legend goes. @default 'best' */
  legend?: LegendPosition;
}

/**
 * A line plot of several series with a legend (the chapter's Fig 4-2 tf transforms and Fig 4-9 GloVe
 * weighting, or training-loss curves). Non-finite y values break the line instead of being drawn.
 */
export function linePlot(options: LinePlotOptions): Figure {
  const fn = 'linePlot';
  if (!Array.isArray(options.series) || options.series.length === 0)
    throw new InvalidArgumentError('series', fn, 'a non-empty array of series', options.series);
  const prepared = options.series.map((s, k) => {
    const n = s.y.length;
    const x = s.x ?? Array.from({ length: n }, (_, i) => i);
    if (x.length !== n) throw new InvalidArgumentError(`series[${k}].x`, fn, `${n} values like y`, x.length);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(x[i]))
        throw new InvalidArgumentError(`series[${k}].x`, fn, 'finite numbers', x[i]);
    return { ...s, x, color: s.color ?? categoryColor(k) };
  });
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of prepared) {
    for (let i = 0; i < s.y.length; i++) {
      if (!Number.isFinite(s.y[i])) continue;
      xMin = Math.min(xMin, s.x[i]);
      xMax = Math.max(xMax, s.x[i]);
      yMin = Math.min(yMin, s.y[i]);
      yMax = Math.max(yMax, s.y[i]);
    }
  }
  if (!Number.isFinite(xMin))
    throw new InvalidArgumentError('series', fn, 'at least one finite point', 'none');
  // Half a line width of room, so a curve along the data's edge is not cut by the frame.
  const half = Math.max(...prepared.map((s) => s.strokeWidth ?? 2)) / 2;
  const axes = createAxes(options, { xMin, xMax, yMin, yMax }, fn, { all: half });
  for (const s of prepared) {
    let run: number[] = [];
    const flush = () => {
      if (run.length >= 4)
        axes.data.push({
          type: 'polyline',
          points: run,
          stroke: s.color,
          strokeWidth: s.strokeWidth ?? 2,
          dash: s.dash,
        });
      run = [];
    };
    for (let i = 0; i < s.y.length; i++) {
      if (Number.isFinite(s.y[i])) run.push(axes.sx(s.x[i]), axes.sy(s.y[i]));
      else flush();
    }
    flush();
  }
  drawLegend(
    axes,
    prepared.map((s) => ({ label: s.name, color: s.color, marker: 'line' as const, dash: s.dash })),
    options.legend ?? 'best',
  );
  return axes.figure;
}
