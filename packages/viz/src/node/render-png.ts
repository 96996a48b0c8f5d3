import { Resvg } from '@resvg/resvg-js';
import { assertNumber } from '@wordloom/core';
import type { Figure } from '../plots/figure.js';
import { renderSvg } from '../render/svg.js';

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixel density: the PNG is `scale ×` the figure's size. @default 1 */
  scale?: number;
  /** Font family for text; rendered with the system fonts. @default 'DejaVu Sans' */
  fontFamily?: string;
}

/**
 * Rasterises a {@link Figure} to PNG bytes with resvg (`@resvg/resvg-js`, a prebuilt Rust binary: no
 * native build, nothing downloaded). Node only — in the browser use `renderCanvas`.
 */
export function renderPng(figure: Figure, options: PngOptions = {}): Uint8Array {
  const scale = assertNumber(options.scale ?? 1, 'scale', 'renderPng', {
    min: 0,
    exclusiveMin: true,
    max: 16,
  });
  const fontFamily = options.fontFamily ?? 'DejaVu Sans';
  const svg = renderSvg(figure, { fontFamily });
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(figure.width * scale) },
    font: { loadSystemFonts: true, defaultFontFamily: fontFamily, sansSerifFamily: fontFamily },
    background: figure.background,
  });
  return new Uint8Array(resvg.render().asPng());
}
