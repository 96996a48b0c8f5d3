/** A label's box: left-middle anchor `(x, y)` in CSS pixels. */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Grid cell size of the occupancy index (about one label height). */
const CELL = 16;

/**
 * Greedy label placement with collision avoidance: boxes are taken in the given order (most important
 * first) and a box is placed only if it stays inside the `width × height` view and overlaps no box
 * placed before it. A uniform grid indexes placed boxes, so each test looks at a few neighbours only.
 * Returns, per box, whether it was placed.
 */
export function placeLabels(boxes: readonly LabelBox[], width: number, height: number): boolean[] {
  const cols = Math.max(1, Math.ceil(width / CELL));
  const rows = Math.max(1, Math.ceil(height / CELL));
  const grid = new Map<number, number[]>();
  const placed: boolean[] = new Array(boxes.length).fill(false);
  const cells = (b: LabelBox, visit: (key: number) => boolean | undefined) => {
    const c0 = Math.max(0, Math.floor(b.x / CELL));
    const c1 = Math.min(cols - 1, Math.floor((b.x + b.width) / CELL));
    const r0 = Math.max(0, Math.floor((b.y - b.height / 2) / CELL));
    const r1 = Math.min(rows - 1, Math.floor((b.y + b.height / 2) / CELL));
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++) if (visit(r * cols + c) === false) return false;
    return true;
  };
  const overlaps = (a: LabelBox, b: LabelBox) =>
    a.x < b.x + b.width && b.x < a.x + a.width && Math.abs(a.y - b.y) < (a.height + b.height) / 2;
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (b.x < 0 || b.y - b.height / 2 < 0 || b.x + b.width > width || b.y + b.height / 2 > height) continue;
    const free = cells(b, (key) => {
      for (const j of grid.get(key) ?? []) if (overlaps(b, boxes[j])) return false;
      return true;
    });
    if (!free) continue;
    placed[i] = true;
    cells(b, (key) => {
      const list = grid.get(key);
      if (list) list.push(i);
      else grid.set(key, [i]);
      return true;
    });
  }
  return placed;
}
