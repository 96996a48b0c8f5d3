import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Figure } from '../plots/figure.js';
import { linePlot } from '../plots/line-plot.js';
import { textBox } from '../plots/text-metrics.js';
import { decodePng } from '../test-support/decode-png.js';
import { MAX_PNG_PIXELS, pngDimensions, renderPng } from './render-png.js';
import { writeFigure } from './write-figure.js';

/** Width and height from a PNG's IHDR chunk (after the 8-byte signature and the chunk length/type). */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(new TextDecoder().decode(bytes.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const figure = linePlot({
  width: 320,
  height: 200,
  series: [{ name: 'loss', y: [3, 2, 1.5, 1.2] }],
  title: 'Loss',
});
const dir = mkdtempSync(join(tmpdir(), 'viz-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderPng', () => {
  it('decodes to the requested size, and scale multiplies it', () => {
    expect(pngSize(renderPng(figure))).toEqual({ width: 320, height: 200 });
    expect(pngSize(renderPng(figure, { scale: 2 }))).toEqual({ width: 640, height: 400 });
  });

  it('writes .png and .svg files atomically and rejects other extensions', async () => {
    await writeFigure(figure, join(dir, 'loss.png'));
    await writeFigure(figure, join(dir, 'loss.svg'));
    expect(pngSize(readFileSync(join(dir, 'loss.png')))).toEqual({ width: 320, height: 200 });
    expect(readFileSync(join(dir, 'loss.svg'), 'utf8')).toMatch(/^<svg /);
    await expect(writeFigure(figure, join(dir, 'loss.jpg'))).rejects.toThrow(
      /'path' passed to 'writeFigure'/,
    );
    expect(readdirSync(dir).sort()).toEqual(['loss.png', 'loss.svg']);
  });

  it('refuses, before rendering, a PNG above the pixel cap and says the limit', () => {
    expect(() => pngDimensions(16384, 16384, { scale: 16 })).toThrow(
      /'scale' passed to 'pngDimensions' must be a PNG of at most 67,108,864 pixels .*, got "262144 × 262144/,
    );
    const huge: Figure = { width: 16384, height: 16384, background: '#fff', shapes: [] };
    const started = performance.now();
    expect(() => renderPng(huge, { scale: 16 })).toThrow(/at most 67,108,864 pixels/);
    expect(performance.now() - started).toBeLessThan(100);
    expect(MAX_PNG_PIXELS).toBe(2 ** 26);
    expect(pngDimensions(640, 480, { dpi: 300 })).toEqual({ width: 2000, height: 1500, dpi: 300 });
    expect(() => pngDimensions(640, 480, { dpi: 0 })).toThrow(/'dpi'/);
  });

  it('scales by dpi / 96 and records the resolution in a pHYs chunk', () => {
    const png = renderPng(figure, { dpi: 192 });
    expect(pngSize(png)).toEqual({ width: 640, height: 400 });
    const at = Buffer.from(png).indexOf('pHYs');
    expect(at).toBe(37); // right after IHDR
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(at + 4)).toBe(Math.round(192 / 0.0254));
    expect(png[at + 12]).toBe(1);
    expect(decodePng(png).width).toBe(640); // still a valid PNG (CRCs are not checked by zlib; IDAT is)
  });

  it('draws text with the bundled font, without any system font', () => {
    // Text only: every dark pixel comes from a glyph, and they sit inside the label's measured box.
    const label = {
      type: 'text' as const,
      x: 20,
      y: 40,
      text: 'king queen',
      fontSize: 24,
      fill: '#000000',
      anchor: 'start' as const,
      baseline: 'alphabetic' as const,
    };
    const textOnly: Figure = { width: 200, height: 60, background: '#ffffff', shapes: [label] };
    const image = decodePng(renderPng(textOnly));
    const box = textBox(label);
    let inBox = 0;
    let outside = 0;
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) {
        const dark = image.data[(y * image.width + x) * 4] < 128;
        if (!dark) continue;
        if (x >= box.x0 - 1 && x <= box.x1 + 1 && y >= box.y0 - 1 && y <= box.y1 + 1) inBox++;
        else outside++;
      }
    expect(inBox).toBeGreaterThan(150);
    expect(outside).toBe(0);
    // The glyphs span the measured width: ink in the first and the last tenth of the box.
    const column = (x0: number, x1: number) => {
      let ink = 0;
      for (let y = 0; y < image.height; y++)
        for (let x = Math.floor(x0); x < x1; x++) if (image.data[(y * image.width + x) * 4] < 128) ink++;
      return ink;
    };
    const w = box.x1 - box.x0;
    expect(column(box.x0, box.x0 + w / 10)).toBeGreaterThan(0);
    expect(column(box.x1 - w / 10, box.x1)).toBeGreaterThan(0);
  });
});
