import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linePlot } from '../plots/line-plot.js';
import { renderPng } from './render-png.js';
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
});
