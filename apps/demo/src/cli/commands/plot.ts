import { assertInteger, assertNumber, InvalidArgumentError } from '@wordloom/core';
import { CHAPTER_FIGURES, chapterFigure } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';
import type { Command } from 'commander';
import { action } from '../context.js';

interface FigureFlags {
  out?: string;
  width: string;
  height: string;
  scale: string;
}

/** `wordloom plot figure 4-2|4-9`: the chapter's line figures, to SVG or PNG. */
export function registerPlot(program: Command): void {
  const plot = program.command('plot').description("draw the chapter's figures as SVG or PNG");
  plot
    .command('figure')
    .description(
      `draw a chapter figure: ${CHAPTER_FIGURES.join(' or ')} (4-2: tf transforms, 4-9: GloVe weighting)`,
    )
    .argument('<id>', `figure number: ${CHAPTER_FIGURES.join(', ')}`)
    .option('--out <file>', 'the .svg or .png file to write (default: figure-<id>.svg)')
    .option('--width <px>', 'width in pixels', '640')
    .option('--height <px>', 'height in pixels', '480')
    .option('--scale <factor>', 'PNG pixel density', '1')
    .action(
      action(async (ctx, id: string, flags: FigureFlags) => {
        const fn = 'wordloom plot figure';
        if (!(CHAPTER_FIGURES as readonly string[]).includes(id))
          throw new InvalidArgumentError('id', fn, `one of ${CHAPTER_FIGURES.join(', ')}`, id);
        const width = assertInteger(Number(flags.width), '--width', fn, 64, 16384);
        const height = assertInteger(Number(flags.height), '--height', fn, 64, 16384);
        const scale = assertNumber(Number(flags.scale), '--scale', fn, {
          min: 0,
          exclusiveMin: true,
          max: 16,
        });
        const out = flags.out ?? `figure-${id}.svg`;
        await writeFigure(chapterFigure(id, { width, height }), out, { scale });
        ctx.print(`wrote Fig ${id} to ${out} (${width}×${height})`, {
          figure: id,
          out,
          width,
          height,
          scale,
        });
      }),
    );
}
