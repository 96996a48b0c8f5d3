import { join } from 'node:path';
import type { Figure } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';

/** An image the report embeds: SVG and PNG files relative to the output folder. */
export interface FigureFiles {
  title: string;
  svg: string;
  png: string;
}

/** Writes `figure` as `figures/<name>.svg` and `.png` (atomically). */
export async function writeFigureFiles(
  out: string,
  name: string,
  title: string,
  figure: Figure,
): Promise<FigureFiles> {
  const files = { title, svg: `figures/${name}.svg`, png: `figures/${name}.png` };
  await writeFigure(figure, join(out, files.svg));
  await writeFigure(figure, join(out, files.png), { scale: 1.5 });
  return files;
}
