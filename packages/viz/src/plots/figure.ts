/**
 * A renderer-independent drawing: a list of primitive shapes in pixel coordinates (origin top left), produced
 * by the plot builders and turned into SVG, PNG or canvas drawing by the renderers, so all three agree.
 */
export interface Figure {
  width: number;
  height: number;
  /** Page colour behind everything (CSS colour). */
  background: string;
  shapes: Shape[];
}

/** A straight segment. */
export interface LineShape {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  strokeWidth: number;
  /** Dash pattern in pixels, e.g. `[6, 4]`; solid when absent. */
  dash?: number[];
}

/** A connected line through `points` (`[x0, y0, x1, y1, …]`). */
export interface PolylineShape {
  type: 'polyline';
  points: number[];
  stroke: string;
  strokeWidth: number;
  dash?: number[];
}

/** A filled disc. */
export interface CircleShape {
  type: 'circle';
  cx: number;
  cy: number;
  r: number;
  fill: string;
  /** 0–1. */
  opacity: number;
}

/** A rectangle, filled and/or outlined. */
export interface RectShape {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
}

/** One line of text anchored at (x, y) on its alphabetic baseline (or vertically centred with `middle`). */
export interface TextShape {
  type: 'text';
  x: number;
  y: number;
  text: string;
  fontSize: number;
  fill: string;
  anchor: 'start' | 'middle' | 'end';
  baseline: 'alphabetic' | 'middle';
  bold?: boolean;
  /** Rotation in degrees about (x, y), e.g. −90 for a vertical axis label. */
  rotate?: number;
}

/** Shapes drawn clipped to a rectangle (the plot area). */
export interface ClipShape {
  type: 'clip';
  x: number;
  y: number;
  width: number;
  height: number;
  shapes: Shape[];
}

/** Every primitive a {@link Figure} may hold. */
export type Shape = LineShape | PolylineShape | CircleShape | RectShape | TextShape | ClipShape;
