import { extname } from 'node:path';
import type { Command } from 'commander';
import { action } from '../context.js';
import { choiceFlag, FlagError, outputFileFlag, requiredIntegerFlag, requiredNumberFlag } from '../flags.js';

/** The chapter figures (the same list as @wordloom/viz's CHAPTER_FIGURES, kept here so `--help` loads nothing). */
export const FIGURE_IDS = ['4-2', '4-4', '4-6', '4-8', '4-9', '4-10'] as const;

const WHAT: Record<(typeof FIGURE_IDS)[number], string> = {
  '4-2': 'tf transforms',
  '4-4': 'CBOW word map',
  '4-6': 'skip-gram word map',
  '4-8': 'SVD word vectors',
  '4-9': 'GloVe weighting',
  '4-10': 'GloVe king/queen/man/woman',
};

interface FigureFlags {
  out?: string;
  width: string;
  height: string;
  fontSize: string;
  dpi: string;
  scale: string;
  epochs: string;
  iterations: string;
  vectors?: string;
  corpus: string;
}

/** `wordloom plot figure <id>`: the chapter's figures, to SVG or PNG, computed from the chapter's data. */
export function registerPlot(program: Command): void {
  const plot = program.command('plot').description("draw the chapter's figures as SVG or PNG");
  plot
    .command('figure')
    .description(
      `draw a chapter figure: ${FIGURE_IDS.map((id) => `${id} (${WHAT[id]})`).join(', ')}; word maps are computed first (4-4 and 4-6 train the chapter's networks)`,
    )
    .argument('<id>', `figure number: ${FIGURE_IDS.join(', ')}`)
    .option('--out <file>', 'the .svg or .png file to write (default: figure-<id>.svg)')
    .option('--width <px>', 'width in pixels (CSS pixels, 96 per inch)', '640')
    .option('--height <px>', 'height in pixels', '480')
    .option('--font-size <px>', 'base font size in pixels', '12')
    .option('--dpi <dpi>', 'PNG resolution: the PNG has dpi / 96 pixels per figure pixel', '96')
    .option('--scale <factor>', 'extra PNG pixel density, multiplying --dpi', '1')
    .option('--epochs <count>', "4-4, 4-6: epochs of the chapter's CBOW / skip-gram network", '100')
    .option('--iterations <count>', '4-4, 4-6, 4-10: t-SNE steps', '1000')
    .option(
      '--vectors <file>',
      "4-10: GloVe / word2vec vectors (the chapter's glove.6B.300d.txt); default: GloVe trained on --corpus",
    )
    .option(
      '--corpus <name>',
      '4-10 without --vectors: embedded corpus to train the stand-in GloVe on',
      'bible-kjv',
    )
    .action(
      action(async (ctx, id: string, flags: FigureFlags) => {
        const figureId = choiceFlag(id, '<id>', FIGURE_IDS);
        const width = requiredIntegerFlag(flags.width, '--width', { min: 64, max: 16384 });
        const height = requiredIntegerFlag(flags.height, '--height', { min: 64, max: 16384 });
        const fontSize = requiredNumberFlag(flags.fontSize, '--font-size', { min: 4, max: 512 });
        const dpi = requiredNumberFlag(flags.dpi, '--dpi', { min: 1, max: 9600 });
        const scale = requiredNumberFlag(flags.scale, '--scale', { min: 0, exclusiveMin: true, max: 64 });
        const epochs = requiredIntegerFlag(flags.epochs, '--epochs', { min: 1, max: 100_000 });
        const iterations = requiredIntegerFlag(flags.iterations, '--iterations', { min: 1, max: 1_000_000 });
        const outName = flags.out ?? `figure-${figureId}.svg`;
        const ext = extname(outName).toLowerCase();
        if (ext !== '.svg' && ext !== '.png')
          throw new FlagError('--out', `${JSON.stringify(outName)} does not end in .svg or .png`);
        const out = await outputFileFlag(outName, '--out');
        const { MAX_PNG_PIXELS, pngDimensions } = await import('@wordloom/viz/node');
        // The pixel cap before any work: a 16384² figure at --scale 16 would need 275 GB.
        let pixels: { width: number; height: number } = { width, height };
        if (ext === '.png') {
          try {
            pixels = pngDimensions(width, height, { scale, dpi }, 'wordloom plot figure');
          } catch (error) {
            const factor = (scale * dpi) / 96;
            const [w, h] = [Math.round(width * factor), Math.round(height * factor)];
            throw new FlagError(
              '--scale',
              `a ${width} × ${height} figure at --dpi ${dpi} and --scale ${scale} would be a ${w} × ${h} PNG = ${(w * h).toLocaleString('en-US')} pixels, over the limit of ${MAX_PNG_PIXELS.toLocaleString('en-US')} pixels (lower --width, --height, --dpi or --scale)`,
              { cause: error },
            );
          }
        }
        const data = await figureData(ctx, figureId, {
          epochs,
          iterations,
          vectors: flags.vectors,
          corpus: flags.corpus,
        });
        const { chapterFigure } = await import('@wordloom/viz');
        const { writeFigure } = await import('@wordloom/viz/node');
        await writeFigure(chapterFigure(figureId, { width, height, fontSize, data: data?.data }), out, {
          scale,
          dpi,
        });
        ctx.print(
          `wrote Fig ${figureId} to ${out} (${pixels.width}×${pixels.height})${data ? `: ${data.note}` : ''}`,
          {
            figure: figureId,
            out,
            width,
            height,
            fontSize,
            dpi,
            scale,
            ...(ext === '.png' ? { pixels } : {}),
            ...(data ? { source: data.note, words: data.data.labels.length } : {}),
          },
        );
      }),
    );
}

type Ctx = Parameters<Parameters<typeof action>[0]>[0];

/** The computed data of the word-map figures (none for 4-2 and 4-9, which are formulas). */
async function figureData(
  ctx: Ctx,
  id: (typeof FIGURE_IDS)[number],
  options: { epochs: number; iterations: number; vectors?: string; corpus: string },
): Promise<{ data: import('@wordloom/viz').WordMapData; note: string } | undefined> {
  if (id === '4-2' || id === '4-9') {
    if (options.vectors !== undefined)
      throw new FlagError('--vectors', `only Fig 4-10 reads vectors, not Fig ${id}`);
    return undefined;
  }
  const backend = await ctx.useBackend();
  if (id === '4-8') {
    const { runSvdStage } = await import('../../tour/stages/svd-stage.js');
    const svd = await runSvdStage();
    return {
      data: { points: svd.coordinates, labels: svd.words, source: 'Listing 4-1c' },
      note: `the SVD of the co-occurrence matrix of Listing 4-1c's three sentences (${backend.name})`,
    };
  }
  const maps = await import('../../tour/stages/maps-stage.js');
  const tsneBar = () => {
    const bar = ctx.progress('t-SNE', options.iterations);
    return {
      bar,
      onIteration: (iteration: number, kl: number) => bar.update(iteration, `KL ${kl.toFixed(3)}`),
    };
  };
  if (id === '4-4' || id === '4-6') {
    const training = ctx.progress(id === '4-4' ? 'CBOW' : 'skip-gram', options.epochs);
    let t: ReturnType<typeof tsneBar> | undefined;
    try {
      const map = await maps.bookWordMap(id, {
        seed: ctx.seed,
        signal: ctx.signal,
        epochs: options.epochs,
        iterations: options.iterations,
        onEpoch: (epoch, loss) => {
          training.update(epoch, `loss ${loss.toFixed(4)}`);
          if (epoch === options.epochs) {
            training.stop();
            t = tsneBar();
          }
        },
        onIteration: (iteration, kl) => t?.onIteration(iteration, kl),
      });
      return {
        data: map.data,
        note: `${map.data.labels.length} words, ${map.epochs} epochs (final loss ${map.loss.toFixed(4)}), t-SNE ${map.run.method} KL ${map.run.kl.toFixed(3)} on ${backend.name}`,
      };
    } finally {
      training.stop();
      t?.bar.stop();
    }
  }
  // Fig 4-10: the chapter's GloVe file when given, else GloVe trained on an embedded corpus.
  const { loadVectors } = await import('@wordloom/embeddings/node');
  let vectors: import('@wordloom/embeddings').KeyedVectors;
  let source: string;
  if (options.vectors !== undefined) {
    // The four words are among the most frequent 50,000 of any English GloVe file (frequency-ordered).
    vectors = await loadVectors(options.vectors, { limit: 50_000 }).catch((error: unknown) => {
      throw new FlagError('--vectors', `cannot read ${options.vectors}: ${(error as Error).message}`, {
        cause: error,
      });
    });
    source = options.vectors;
  } else {
    vectors = await standInGlove(ctx, options.corpus);
    source = `stand-in: GloVe trained on ${options.corpus}`;
  }
  const missing = ['king', 'queen', 'man', 'woman'].filter((w) => !vectors.has(w));
  if (missing.length > 0)
    throw new FlagError(
      options.vectors ? '--vectors' : '--corpus',
      `has no vector for ${missing.join(', ')} (Fig 4-10 needs king, queen, man and woman)`,
    );
  const t = tsneBar();
  try {
    const { data, run } = await maps.gloveAnalogyMap(vectors, source, {
      seed: ctx.seed,
      signal: ctx.signal,
      iterations: options.iterations,
      onIteration: t.onIteration,
    });
    return { data, note: `${source}; t-SNE ${run.method} KL ${run.kl.toFixed(3)} on ${backend.name}` };
  } finally {
    t.bar.stop();
  }
}

/** GloVe vectors (dim 100, 10 epochs, window 5, min count 5) on an embedded corpus: Fig 4-10's stand-in. */
async function standInGlove(ctx: Ctx, corpus: string): Promise<import('@wordloom/embeddings').KeyedVectors> {
  const { listCorpora, loadCorpusSentences } = await import('@wordloom/datasets');
  const names = listCorpora().map((c) => c.name);
  if (!names.includes(corpus))
    throw new FlagError(
      '--corpus',
      `unknown corpus ${JSON.stringify(corpus)} (expected one of ${names.join(', ')})`,
    );
  const { buildCooccurrence } = await import('@wordloom/embeddings');
  const { trainGlove } = await import('@wordloom/embeddings/node');
  const sentences = await loadCorpusSentences(corpus, { lowercase: true });
  ctx.signal.throwIfAborted();
  const matrix = await buildCooccurrence(sentences, { window: 5, weighting: 'harmonic', minCount: 5 });
  const epochs = 10;
  const bar = ctx.progress(`GloVe on ${corpus}`, epochs);
  try {
    const glove = await trainGlove(matrix, {
      dim: 100,
      epochs,
      threads: 2,
      seed: ctx.seed,
      signal: ctx.signal,
      onEpoch: (e) => bar.update(e.epoch, `cost ${e.loss.toExponential(3)}`),
    });
    return glove.vectors;
  } finally {
    bar.stop();
  }
}
