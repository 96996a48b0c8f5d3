import { extname } from 'node:path';
import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';
import { loadMnist } from '@wordloom/datasets';
import { loadVectors } from '@wordloom/embeddings/node';
import { type DenseMatrix, matrixRows, pca, scatterPlot, trustworthiness, tsne } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';
import type { Command } from 'commander';
import { action } from '../context.js';

interface TsneFlags {
  input: string;
  n: string;
  pca: string;
  perplexity: string;
  iterations: string;
  method: string;
  out: string;
  coords?: string;
}

const METHODS = ['auto', 'exact', 'barnes-hut'] as const;

/**
 * `wordloom tsne`: a t-SNE map of the first n MNIST training images (coloured by digit) or of the words of
 * a word2vec / GloVe vector file (labelled), to SVG or PNG, with its KL divergence and trustworthiness@10.
 */
export function registerTsne(program: Command): void {
  program
    .command('tsne')
    .description('map MNIST digits or word vectors to 2-D with t-SNE and plot them (SVG or PNG)')
    .requiredOption(
      '--input <mnist|file>',
      "'mnist' (first n training images) or a word2vec / GloVe vector file",
    )
    .requiredOption('--out <file>', 'the plot to write: a .svg or .png file')
    .option('--n <count>', 'number of points (images, or the first words of the file)', '5000')
    .option('--pca <dims>', 'reduce to this many principal components first (0: no PCA)', '50')
    .option('--perplexity <p>', 'effective number of neighbours', '30')
    .option('--iterations <count>', 'gradient steps (250 of them with early exaggeration)', '1000')
    .option('--method <name>', 'auto, exact or barnes-hut', 'auto')
    .option('--coords <file>', 'also write the coordinates (and labels) as JSON')
    .action(
      action(async (ctx, flags: TsneFlags) => {
        const fn = 'wordloom tsne';
        const n = assertInteger(Number(flags.n), '--n', fn, 2, 1_000_000);
        const pcaDims = assertInteger(Number(flags.pca), '--pca', fn, 0, 10_000);
        const perplexity = assertNumber(Number(flags.perplexity), '--perplexity', fn, {
          min: 0,
          exclusiveMin: true,
        });
        const iterations = assertInteger(Number(flags.iterations), '--iterations', fn, 1, 1_000_000);
        const method = assertOneOf(flags.method, METHODS, '--method', fn);
        // Check the output names before a long run, not after it.
        if (!['.svg', '.png'].includes(extname(flags.out).toLowerCase()))
          throw new InvalidArgumentError('--out', fn, "a file name ending in '.svg' or '.png'", flags.out);
        if (flags.coords !== undefined && extname(flags.coords).toLowerCase() !== '.json')
          throw new InvalidArgumentError('--coords', fn, "a file name ending in '.json'", flags.coords);
        const backend = await ctx.useBackend();

        const loaded = await loadInput(flags.input, n);
        if (perplexity >= loaded.x.rows)
          throw new InvalidArgumentError(
            '--perplexity',
            fn,
            `less than the number of points (${loaded.x.rows})`,
            perplexity,
          );
        let x: DenseMatrix = loaded.x;
        let pcaSeconds = 0;
        if (pcaDims > 0 && pcaDims < x.cols) {
          const start = performance.now();
          const fitted = pca(x, { components: pcaDims });
          x = { data: Float64Array.from(await fitted.projected.data()), rows: x.rows, cols: pcaDims };
          fitted.dispose();
          pcaSeconds = (performance.now() - start) / 1000;
        }

        const progress = ctx.progress('t-SNE', iterations);
        const start = performance.now();
        const result = await tsne(x, {
          perplexity,
          iterations,
          method,
          seed: ctx.seed,
          onIteration: ({ iteration, kl }) => {
            if (iteration % 10 === 0 || iteration === iterations)
              progress.update(iteration, `KL ${kl.toFixed(4)}`);
          },
        });
        const seconds = (performance.now() - start) / 1000;
        progress.update(result.iterations, `KL ${result.kl.toFixed(4)}`);
        progress.stop();
        const k = Math.min(10, Math.ceil(x.rows / 2) - 1);
        const trust = k >= 1 ? await trustworthiness(x, result.embedding, { k }) : Number.NaN;

        const figure = scatterPlot({
          points: result.embedding,
          ...(loaded.classes
            ? { classes: loaded.classes, pointRadius: 2 }
            : { labels: loaded.labels, pointRadius: 2 }),
          title: `t-SNE of ${x.rows} ${loaded.what} (perplexity ${perplexity}, KL ${result.kl.toFixed(3)})`,
          width: 800,
          height: 800,
        });
        await writeFigure(figure, flags.out);
        if (flags.coords !== undefined) {
          const coords = {
            input: flags.input,
            perplexity,
            kl: result.kl,
            ...(loaded.classes ? { classes: [...loaded.classes] } : { labels: loaded.labels }),
            coordinates: matrixRows(result.embedding),
          };
          await writeFileAtomic(flags.coords, (append) => append(`${JSON.stringify(coords)}\n`));
        }
        ctx.print(
          [
            `t-SNE of ${x.rows} ${loaded.what}: ${result.method}, ${result.iterations} iterations in ${seconds.toFixed(2)} s on ${backend.name}`,
            `KL divergence ${result.kl.toFixed(4)}, trustworthiness@${k} ${trust.toFixed(4)}`,
            `wrote ${flags.out}${flags.coords ? ` and ${flags.coords}` : ''}`,
          ],
          {
            n: x.rows,
            seconds,
            kl: result.kl,
            trustworthiness10: trust,
            iterations: result.iterations,
            method: result.method,
            pcaSeconds,
            backend: backend.name,
            out: flags.out,
            coords: flags.coords ?? null,
          },
        );
      }),
    );
}

interface LoadedInput {
  x: DenseMatrix;
  what: string;
  classes?: Uint8Array;
  labels?: string[];
}

async function loadInput(input: string, n: number): Promise<LoadedInput> {
  if (input === 'mnist') {
    const set = await loadMnist({ split: 'train', limit: n });
    const cols = set.rows * set.cols;
    return {
      x: { data: set.images as Float32Array, rows: set.count, cols },
      what: 'MNIST digits',
      classes: set.labels.subarray(0, set.count),
    };
  }
  // word2vec text/binary or GloVe, read by @wordloom/embeddings (format detected from the header).
  const vectors = await loadVectors(input, { limit: n });
  return {
    x: { data: vectors.vectors, rows: vectors.size, cols: vectors.dim },
    what: 'words',
    labels: [...vectors.words],
  };
}
