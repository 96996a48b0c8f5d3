import type { TextShape } from './figure.js';

// Advance widths (per 1000 em) of the printable ASCII characters 32–126 in DejaVu Sans and DejaVu Sans
// Bold 2.37, read from the hmtx tables of the TTF files the PNG renderer bundles (npm `dejavu-fonts-ttf`),
// so label boxes measured here are the boxes resvg draws.
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
  295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
  500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
  392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
// Mean advance of DejaVu Sans's Latin-1 / Latin Extended glyphs, for characters outside ASCII.
const OTHER_REGULAR = 632;
const OTHER_BOLD = 707;
/** hhea ascender and descender of DejaVu Sans, in em. */
const ASCENT = 0.928;
const DESCENT = 0.236;

/** An axis-aligned box in pixels: `x0 ≤ x1`, `y0 ≤ y1`. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Width in pixels of `text` set in DejaVu Sans at `fontSize`: the sum of the glyph advances (no kerning,
 * which resvg applies only to a few pairs). Wide East Asian characters count 1 em, other non-ASCII ones the
 * font's mean Latin advance.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 32;
    if (c >= 32 && c < 127) units += table[c - 32];
    else if (c >= 0x2e80) units += 1000;
    else units += bold ? OTHER_BOLD : OTHER_REGULAR;
  }
  return (units / 1000) * fontSize;
}

/** The box a (non-rotated) {@link TextShape} covers: its advance width by the font's ascent + descent. */
export function textBox(shape: TextShape): Box {
  const w = textWidth(shape.text, shape.fontSize, shape.bold);
  const x0 = shape.anchor === 'start' ? shape.x : shape.anchor === 'end' ? shape.x - w : shape.x - w / 2;
  const h = (ASCENT + DESCENT) * shape.fontSize;
  const y0 = shape.baseline === 'middle' ? shape.y - h / 2 : shape.y - ASCENT * shape.fontSize;
  return { x0, y0, x1: x0 + w, y1: y0 + h };
}

/** Whether two boxes share interior area (touching edges do not count). */
export function boxesIntersect(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
