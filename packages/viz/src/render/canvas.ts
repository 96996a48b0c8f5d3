import type { Figure, Shape } from '../plots/figure.js';

/**
 * The part of the browser's `CanvasRenderingContext2D` the canvas renderer uses (an `OffscreenCanvas`
 * context works too).
 */
export interface Canvas2DLike {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  globalAlpha: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  /** As `CanvasRenderingContext2D.save`. */
  save(): void;
  /** As `CanvasRenderingContext2D.restore`. */
  restore(): void;
  /** As `CanvasRenderingContext2D.beginPath`. */
  beginPath(): void;
  /** As `CanvasRenderingContext2D.moveTo`. */
  moveTo(x: number, y: number): void;
  /** As `CanvasRenderingContext2D.lineTo`. */
  lineTo(x: number, y: number): void;
  /** As `CanvasRenderingContext2D.arc`. */
  arc(x: number, y: number, r: number, start: number, end: number): void;
  /** As `CanvasRenderingContext2D.rect`. */
  rect(x: number, y: number, w: number, h: number): void;
  /** As `CanvasRenderingContext2D.fill`. */
  fill(): void;
  /** As `CanvasRenderingContext2D.stroke`. */
  stroke(): void;
  /** As `CanvasRenderingContext2D.clip`. */
  clip(): void;
  /** As `CanvasRenderingContext2D.fillRect`. */
  fillRect(x: number, y: number, w: number, h: number): void;
  /** As `CanvasRenderingContext2D.fillText`. */
  fillText(text: string, x: number, y: number): void;
  /** As `CanvasRenderingContext2D.setLineDash`. */
  setLineDash(segments: number[]): void;
  /** As `CanvasRenderingContext2D.translate`. */
  translate(x: number, y: number): void;
  /** As `CanvasRenderingContext2D.rotate`. */
  rotate(angle: number): void;
}

/** Options of {@link renderCanvas}. */
export interface CanvasOptions {
  /** CSS font family of all text. @default 'DejaVu Sans, Helvetica, Arial, sans-serif' */
  fontFamily?: string;
}

/**
 * Draws a {@link Figure} on a 2-D canvas context at its pixel size (scale the context first for HiDPI).
 * Same shapes as {@link renderSvg}, so the canvas and the SVG agree.
 */
export function renderCanvas(figure: Figure, ctx: Canvas2DLike, options: CanvasOptions = {}): void {
  const font = options.fontFamily ?? 'DejaVu Sans, Helvetica, Arial, sans-serif';
  ctx.save();
  ctx.fillStyle = figure.background;
  ctx.fillRect(0, 0, figure.width, figure.height);
  for (const shape of figure.shapes) draw(shape, ctx, font);
  ctx.restore();
}

function draw(shape: Shape, ctx: Canvas2DLike, font: string): void {
  switch (shape.type) {
    case 'line':
    case 'polyline': {
      const pts = shape.type === 'line' ? [shape.x1, shape.y1, shape.x2, shape.y2] : shape.points;
      ctx.save();
      ctx.strokeStyle = shape.stroke;
      ctx.lineWidth = shape.strokeWidth;
      ctx.setLineDash(shape.dash ?? []);
      ctx.beginPath();
      ctx.moveTo(pts[0], pts[1]);
      for (let k = 2; k + 1 < pts.length; k += 2) ctx.lineTo(pts[k], pts[k + 1]);
      ctx.stroke();
      ctx.restore();
      return;
    }
    case 'circle':
      ctx.save();
      ctx.globalAlpha = shape.opacity;
      ctx.fillStyle = shape.fill;
      ctx.beginPath();
      ctx.arc(shape.cx, shape.cy, shape.r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.restore();
      return;
    case 'rect':
      ctx.save();
      ctx.beginPath();
      ctx.rect(shape.x, shape.y, shape.width, shape.height);
      if (shape.fill) {
        ctx.fillStyle = shape.fill;
        ctx.fill();
      }
      if (shape.stroke) {
        ctx.strokeStyle = shape.stroke;
        ctx.lineWidth = shape.strokeWidth ?? 1;
        ctx.stroke();
      }
      ctx.restore();
      return;
    case 'text':
      ctx.save();
      ctx.fillStyle = shape.fill;
      ctx.font = `${shape.bold ? 'bold ' : ''}${shape.fontSize}px ${font}`;
      ctx.textAlign = shape.anchor === 'middle' ? 'center' : shape.anchor;
      ctx.textBaseline = shape.baseline;
      ctx.translate(shape.x, shape.y);
      if (shape.rotate) ctx.rotate((shape.rotate * Math.PI) / 180);
      ctx.fillText(shape.text, 0, 0);
      ctx.restore();
      return;
    case 'clip':
      ctx.save();
      ctx.beginPath();
      ctx.rect(shape.x, shape.y, shape.width, shape.height);
      ctx.clip();
      for (const inner of shape.shapes) draw(inner, ctx, font);
      ctx.restore();
      return;
  }
}
