import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { assertNumber, crc32, InvalidArgumentError } from '@wordloom/core';
import type { Figure } from '../plots/figure.js';
import { renderSvg } from '../render/svg.js';

/**
 * Most pixels a PNG may have (`width × height × scale²`, scale including `dpi / 96`): 2²⁶ ≈ 67 million,
 * 256 MiB of RGBA — a 8192 × 8192 image, or a 640 × 480 figure at 1,200 dpi.
 */
export const MAX_PNG_PIXELS = 2 ** 26;

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixel density multiplier: the PNG is `scale × dpi / 96 ×` the figure's size. @default 1 */
  scale?: number;
  /**
   * Print resolution: figure sizes are CSS pixels (96 per inch), so the PNG has `dpi / 96` pixels per
   * figure pixel and records the resolution in a `pHYs` chunk (a 640 × 480 figure at 300 dpi prints
   * 6.67 × 5 in). @default 96
   */
  dpi?: number;
  /**
   * Font family of all text. The PNG renderer loads only the bundled DejaVu Sans (regular and bold, from
   * npm `dejavu-fonts-ttf`) and {@link PngOptions.fontFiles}, never the machine's fonts, so the same figure
   * gives the same pixels everywhere. @default 'DejaVu Sans'
   */
  fontFamily?: string;
  /** Extra TrueType / OpenType font files to load (for a `fontFamily` other than DejaVu Sans). @default [] */
  fontFiles?: string[];
}

const require = createRequire(import.meta.url);
/** The bundled font files: DejaVu Sans 2.37 regular and bold. */
export const BUNDLED_FONT_FILES: readonly string[] = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/**
 * Rasterises a {@link Figure} to PNG bytes with resvg (`@resvg/resvg-js`, a prebuilt Rust binary: no
 * native build, nothing downloaded), with the bundled fonts only. Node only — in the browser use
 * `renderCanvas`. Refuses, before allocating, an image above {@link MAX_PNG_PIXELS}.
 */
export function renderPng(figure: Figure, options: PngOptions = {}): Uint8Array {
  const { width, dpi } = pngDimensions(figure.width, figure.height, options, 'renderPng');
  const fontFamily = options.fontFamily ?? 'DejaVu Sans';
  const svg = renderSvg(figure, { fontFamily });
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: {
      loadSystemFonts: false,
      fontFiles: [...BUNDLED_FONT_FILES, ...(options.fontFiles ?? [])],
      defaultFontFamily: fontFamily,
      sansSerifFamily: fontFamily,
    },
    background: figure.background,
  });
  return withResolution(new Uint8Array(resvg.render().asPng()), dpi);
}

/**
 * The pixel size of the PNG of a `figureWidth × figureHeight` figure with `options`
 * (`round(side × scale × dpi / 96)`), checking `scale`, `dpi` and the {@link MAX_PNG_PIXELS} cap — call it
 * before long work to fail fast.
 */
export function pngDimensions(
  figureWidth: number,
  figureHeight: number,
  options: Pick<PngOptions, 'scale' | 'dpi'> = {},
  functionName = 'pngDimensions',
): { width: number; height: number; dpi: number } {
  const scale = assertNumber(options.scale ?? 1, 'scale', functionName, {
    min: 0,
    exclusiveMin: true,
    max: 64,
  });
  const dpi = assertNumber(options.dpi ?? 96, 'dpi', functionName, { min: 1, max: 9600 });
  const factor = (scale * dpi) / 96;
  const width = Math.max(1, Math.round(figureWidth * factor));
  const height = Math.max(1, Math.round(figureHeight * factor));
  if (width * height > MAX_PNG_PIXELS)
    throw new InvalidArgumentError(
      'scale',
      functionName,
      `a PNG of at most ${MAX_PNG_PIXELS.toLocaleString('en-US')} pixels (width × height × (scale × dpi / 96)²)`,
      `${width} × ${height} = ${(width * height).toLocaleString('en-US')} pixels`,
    );
  return { width, height, dpi };
}

/** Inserts a `pHYs` chunk (pixels per metre) right after IHDR, as PNG 1.2 §4.2.4.2 allows. */
function withResolution(png: Uint8Array, dpi: number): Uint8Array {
  const ppm = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // 'pHYs'
  view.setUint32(8, ppm);
  view.setUint32(12, ppm);
  chunk[16] = 1; // unit: metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  const ihdrEnd = 8 + 8 + 13 + 4;
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, ihdrEnd), 0);
  out.set(chunk, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.length);
  return out;
}
