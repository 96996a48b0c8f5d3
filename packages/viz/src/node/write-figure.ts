import { extname } from 'node:path';
import { InvalidArgumentError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';
import type { Figure } from '../plots/figure.js';
import { renderSvg } from '../render/svg.js';
import { type PngOptions, renderPng } from './render-png.js';

/**
 * Writes a {@link Figure} to `path` as SVG (`.svg`) or PNG (`.png`), atomically (temp file, then rename:
 * never a partial image).
 */
export async function writeFigure(figure: Figure, path: string, options: PngOptions = {}): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.svg' && ext !== '.png')
    throw new InvalidArgumentError('path', 'writeFigure', "a file name ending in '.svg' or '.png'", path);
  const bytes =
    ext === '.svg' ? renderSvg(figure, { fontFamily: options.fontFamily }) : renderPng(figure, options);
  await writeFileAtomic(path, (append) => append(bytes));
}
