import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { availableThreads } from '@wordloom/core';
import type { Command } from 'commander';
import { action } from '../context.js';
import {
  choiceFlag,
  FlagError,
  integerFlag,
  outputFileFlag,
  requiredIntegerFlag,
  requiredNumberFlag,
} from '../flags.js';

interface TsneFlags {
  input: string;
  n: string;
  pca: string;
  perplexity: string;
  iterations: string;
  method: string;
  neighbors: string;
  metric?: string;
  init?: string;
  words?: string;
  out: string;
  coords?: string;
  width: string;
  height: string;
  fontSize: string;
  dpi: string;
  scale: string;
  threads?: string;
}

const METHODS = ['auto', 'exact', 'barnes-hut', 'fft'] as const;
const NEIGHBORS = ['auto', 'exact', 'approximate'] as const;
const METRICS = ['euclidean', 'cosine'] as const;
const INITS = ['pca', 'random'] as const;

/**
 * `wordloom tsne`: a t-SNE map of the first n MNIST training images (coloured by digit) or of the words of
 * a word2vec / GloVe vector file (labelled; all of them, the first n, or those of a `--words` list), to SVG
 * or PNG, with its KL divergence and trustworthiness@10.
 */
export function registerTsne(program: Command): void {
  let seedSource: string | undefined;
  program
    .command('tsne')
    .description('map MNIST digits or word vectors to 2-D with t-SNE and plot them (SVG or PNG)')
    .requiredOption(
      '--input <mnist|file>',
      "'mnist' (first n training images) or a word2vec / GloVe vector file",
    )
    .requiredOption('--out <file>', 'the plot to write: a .svg or .png file')
    .option('--n <count>', 'number of points (images, or the first words of the file)', '5000')
    .option(
      '--words <file>',
      'map these words of the vector file (one per line or space-separated) instead of the first n',
    )
    .option('--pca <dims>', 'reduce to this many principal components first (0: no PCA)', '50')
    .option('--perplexity <p>', 'effective number of neighbours', '30')
    .option('--iterations <count>', 'gradient steps (250 of them with early exaggeration)', '1000')
    .option(
      '--method <name>',
      `gradient: ${METHODS.join(', ')} (auto: exact up to 200 points, barnes-hut, fft from 10,000 points)`,
      'auto',
    )
    .option(
      '--neighbors <how>',
      `nearest-neighbour search: ${NEIGHBORS.join(', ')} (auto: exact up to 100,000 points with WebAssembly SIMD, else approximate NN-descent from 50,000, 5,000 on the cpu backend)`,
      'auto',
    )
    .option(
      '--metric <name>',
      'input distance: euclidean or cosine (default: euclidean for mnist, cosine for words)',
    )
    .option(
      '--init <name>',
      'initial layout: pca or random (default: pca; random when --seed is given, so the seed takes effect)',
    )
    .option(
      '--threads <n>',
      'threads of the Barnes-Hut and FFT gradients and the exact neighbour search (default: the cores; each count repeats itself, 1 is the single-thread result)',
    )
    .option('--coords <file>', 'also write the coordinates (and labels) as JSON')
    .option('--width <px>', 'plot width in pixels', '800')
    .option('--height <px>', 'plot height in pixels', '800')
    .option('--font-size <px>', 'base font size in pixels', '12')
    .option('--dpi <dpi>', 'PNG resolution (dpi / 96 pixels per plot pixel)', '96')
    .option('--scale <factor>', 'extra PNG pixel density, multiplying --dpi', '1')
    .hook('preAction', (_, command) => {
      seedSource = command.getOptionValueSourceWithGlobals('seed');
    })
    .action(
      action(async (ctx, flags: TsneFlags) => {
        const n = requiredIntegerFlag(flags.n, '--n', { min: 2, max: 1_000_000 });
        const pcaDims = requiredIntegerFlag(flags.pca, '--pca', { min: 0, max: 10_000 });
        const perplexity = requiredNumberFlag(flags.perplexity, '--perplexity', {
          min: 0,
          exclusiveMin: true,
        });
        const iterations = requiredIntegerFlag(flags.iterations, '--iterations', { min: 1, max: 1_000_000 });
        const method = choiceFlag(flags.method, '--method', METHODS);
        const neighbors = choiceFlag(flags.neighbors, '--neighbors', NEIGHBORS);
        const isMnist = flags.input === 'mnist';
        const metric = choiceFlag(flags.metric ?? (isMnist ? 'euclidean' : 'cosine'), '--metric', METRICS);
        const init = choiceFlag(flags.init ?? (seedSource === 'cli' ? 'random' : 'pca'), '--init', INITS);
        const width = requiredIntegerFlag(flags.width, '--width', { min: 64, max: 16384 });
        const height = requiredIntegerFlag(flags.height, '--height', { min: 64, max: 16384 });
        const fontSize = requiredNumberFlag(flags.fontSize, '--font-size', { min: 4, max: 512 });
        const dpi = requiredNumberFlag(flags.dpi, '--dpi', { min: 1, max: 9600 });
        const scale = requiredNumberFlag(flags.scale, '--scale', { min: 0, exclusiveMin: true, max: 64 });
        const threads = integerFlag(flags.threads, '--threads', { min: 1, max: 256 });
        if (isMnist && flags.words !== undefined)
          throw new FlagError('--words', "selects words of a vector file; --input is 'mnist'");
        // Check the output names and paths before a long run, not after it.
        const outExt = extname(flags.out).toLowerCase();
        if (outExt !== '.svg' && outExt !== '.png')
          throw new FlagError('--out', `${JSON.stringify(flags.out)} does not end in .svg or .png`);
        const out = await outputFileFlag(flags.out, '--out');
        if (flags.coords !== undefined && extname(flags.coords).toLowerCase() !== '.json')
          throw new FlagError('--coords', `${JSON.stringify(flags.coords)} does not end in .json`);
        const coordsFile =
          flags.coords === undefined ? undefined : await outputFileFlag(flags.coords, '--coords');
        const { MAX_PNG_PIXELS, pngDimensions, writeFigure } = await import('@wordloom/viz/node');
        if (outExt === '.png') {
          try {
            pngDimensions(width, height, { scale, dpi }, 'wordloom tsne');
          } catch (error) {
            throw new FlagError(
              '--scale',
              `a ${width} × ${height} plot at --dpi ${dpi} and --scale ${scale} is over the limit of ${MAX_PNG_PIXELS.toLocaleString('en-US')} PNG pixels`,
              { cause: error },
            );
          }
        }
        const wordList = flags.words === undefined ? undefined : await readWordList(flags.words);
        const backend = await ctx.useBackend();
        const { matrixRows, pca, scatterPlot, trustworthiness, tsne } = await import('@wordloom/viz');

        const loaded = await loadInput(flags.input, n, wordList);
        if (perplexity >= loaded.x.rows)
          throw new FlagError(
            '--perplexity',
            `${perplexity} is not less than the number of points (${loaded.x.rows})`,
          );
        let x: import('@wordloom/viz').DenseMatrix = loaded.x;
        let pcaSeconds = 0;
        // PCA keeps Euclidean geometry; cosine maps of word vectors use the vectors themselves.
        if (metric === 'euclidean' && pcaDims > 0 && pcaDims < x.cols) {
          const start = performance.now();
          const fitted = pca(x, { components: pcaDims });
          x = { data: Float64Array.from(await fitted.projected.data()), rows: x.rows, cols: pcaDims };
          fitted.dispose();
          pcaSeconds = (performance.now() - start) / 1000;
        }

        const progress = ctx.progress('t-SNE', iterations);
        const start = performance.now();
        let result: import('@wordloom/viz').TsneResult;
        try {
          result = await tsne(x, {
            perplexity,
            iterations,
            method,
            neighbors,
            metric,
            init,
            seed: ctx.seed,
            signal: ctx.signal,
            ...(threads !== undefined ? { threads } : {}),
            onIteration: ({ iteration, kl }) => {
              if (iteration % 10 === 0 || iteration === iterations)
                progress.update(iteration, `KL ${kl.toFixed(4)}`);
            },
          });
          progress.update(result.iterations, `KL ${result.kl.toFixed(4)}`);
        } finally {
          progress.stop();
        }
        const seconds = (performance.now() - start) / 1000;
        const k = Math.min(10, Math.ceil(x.rows / 2) - 1);
        // Exact trustworthiness costs n² distances: above 20,000 points, estimate it from 5,000 of them.
        const trustSample = x.rows > 20_000 ? 5_000 : undefined;
        const trust =
          k >= 1
            ? await trustworthiness(x, result.embedding, {
                k,
                ...(trustSample ? { sample: trustSample, seed: 1 } : {}),
              })
            : Number.NaN;

        const figure = scatterPlot({
          points: result.embedding,
          ...(loaded.classes
            ? {
                classes: loaded.classes,
                pointRadius: x.rows > 10_000 ? 1 : 2,
                opacity: x.rows > 10_000 ? 0.5 : 0.8,
              }
            : { labels: loaded.labels, pointRadius: 2 }),
          aspect: 'equal',
          title: `t-SNE of ${x.rows} ${loaded.what} (perplexity ${perplexity}, ${metric}, KL ${result.kl.toFixed(3)})`,
          width,
          height,
          fontSize,
        });
        await writeFigure(figure, out, { scale, dpi });
        if (coordsFile !== undefined) {
          const { writeFileAtomic } = await import('@wordloom/core/node');
          const coords = {
            input: flags.input,
            perplexity,
            metric,
            kl: result.kl,
            ...(loaded.classes ? { classes: [...loaded.classes] } : { labels: loaded.labels }),
            coordinates: matrixRows(result.embedding),
          };
          await writeFileAtomic(coordsFile, (append) => append(`${JSON.stringify(coords)}\n`));
        }
        ctx.print(
          [
            `t-SNE of ${x.rows} ${loaded.what}: ${result.method} (${result.neighbors} neighbours), ${metric}, init ${init}, ${result.iterations} iterations (${result.stopReason}) in ${seconds.toFixed(2)} s on ${backend.name}`,
            `KL divergence ${result.kl.toFixed(4)}, trustworthiness@${k} ${trust.toFixed(4)}${trustSample ? ` (estimated on ${trustSample.toLocaleString('en-US')} points)` : ''}`,
            ...(loaded.missing && loaded.missing.length > 0
              ? [`not in the vocabulary (left out): ${loaded.missing.join(', ')}`]
              : []),
            `wrote ${out}${coordsFile ? ` and ${coordsFile}` : ''}`,
          ],
          {
            n: x.rows,
            seconds,
            kl: result.kl,
            trustworthiness10: trust,
            iterations: result.iterations,
            stopReason: result.stopReason,
            method: result.method,
            neighbors: result.neighbors,
            trustworthinessSample: trustSample ?? null,
            metric,
            init,
            seed: ctx.seed,
            // What tsne() used: its default is the machine's cores.
            threads: threads ?? availableThreads(),
            pcaSeconds,
            backend: backend.name,
            out,
            coords: coordsFile ?? null,
            ...(loaded.missing ? { missing: loaded.missing } : {}),
          },
        );
      }),
    );
}

interface LoadedInput {
  x: import('@wordloom/viz').DenseMatrix;
  what: string;
  classes?: Uint8Array;
  labels?: string[];
  /** Words of `--words` that the vector file lacks. */
  missing?: string[];
}

/** A word list: words separated by whitespace (one per line or several per line), duplicates dropped. */
async function readWordList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FlagError('--words', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, {
      cause: error,
    });
  }
  const words = [...new Set(text.split(/\s+/).filter(Boolean))];
  if (words.length < 2)
    throw new FlagError('--words', `${file} lists ${words.length} word(s) (expected at least 2)`);
  return words;
}

async function loadInput(input: string, n: number, wordList: string[] | undefined): Promise<LoadedInput> {
  if (input === 'mnist') {
    const { loadMnist } = await import('@wordloom/datasets');
    const set = await loadMnist({ split: 'train', limit: n });
    const cols = set.rows * set.cols;
    return {
      x: { data: set.images as Float32Array, rows: set.count, cols },
      what: 'MNIST digits',
      classes: set.labels.subarray(0, set.count),
    };
  }
  // word2vec text/binary or GloVe, read by @wordloom/embeddings (format detected from the header).
  const { loadVectors } = await import('@wordloom/embeddings/node');
  const vectors = await loadVectors(input, wordList ? {} : { limit: n }).catch((error: unknown) => {
    throw new FlagError('--input', `cannot read ${input}: ${(error as Error).message}`, { cause: error });
  });
  if (!wordList)
    return {
      x: { data: vectors.vectors, rows: vectors.size, cols: vectors.dim },
      what: 'words',
      labels: [...vectors.words],
    };
  const found = wordList.filter((w) => vectors.has(w));
  const missing = wordList.filter((w) => !vectors.has(w));
  if (found.length < 2)
    throw new FlagError(
      '--words',
      `only ${found.length} of its ${wordList.length} words are in ${input} (expected at least 2)`,
    );
  const data = new Float32Array(found.length * vectors.dim);
  for (const [i, w] of found.entries()) data.set(vectors.vector(w), i * vectors.dim);
  return { x: { data, rows: found.length, cols: vectors.dim }, what: 'words', labels: found, missing };
}
