import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BackendInfo, selectBackend } from '@wordloom/backend';
import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';
import { scatterPlot } from '@wordloom/viz';
import { renderReport } from './report/render-report.js';
import { writeFigureFiles } from './stages/figure-files.js';
import { runLanguageModelStage } from './stages/language-model-stage.js';
import { runMapsStage } from './stages/maps-stage.js';
import { runMnistStage } from './stages/mnist-stage.js';
import { runSearchStage } from './stages/search-stage.js';
import { runSvdStage } from './stages/svd-stage.js';
import { runWordVectorsStage } from './stages/word-vectors-stage.js';
import { SILENT_REPORTER, type TourReporter } from './tour-reporter.js';
import type { TourResult } from './tour-result.js';
import { DEFAULT_SIZES, type TourSizes } from './tour-sizes.js';
import { WEB_DATA_FILE, type WebDataManifest } from './web-data.js';

/** Options of {@link runTour}. */
export interface TourOptions {
  /** Output folder (created). @default 'out' */
  out?: string;
  /** Overrides of {@link DEFAULT_SIZES}. @default {} */
  sizes?: Partial<TourSizes>;
  /** Seed of every random choice. @default 1 */
  seed?: number;
  /** The backend already selected; without it, `selectBackend()` picks one. @default automatic */
  backend?: BackendInfo;
  /** Progress sink. @default silent */
  reporter?: TourReporter;
  /** Stops between (and inside) stages; files already written stay complete. @default none */
  signal?: AbortSignal;
}

const NUMERIC_SIZES = Object.keys(DEFAULT_SIZES).filter((k) => k !== 'corpus') as Array<
  Exclude<keyof TourSizes, 'corpus'>
>;

/** Fills and checks the sizes (every count a positive integer). */
export function resolveSizes(sizes: Partial<TourSizes> = {}): TourSizes {
  const resolved = { ...DEFAULT_SIZES, ...sizes };
  for (const key of NUMERIC_SIZES) assertInteger(resolved[key], `sizes.${key}`, 'runTour', 1);
  if (resolved.mapWords < 5)
    throw new InvalidArgumentError('sizes.mapWords', 'runTour', 'at least 5', resolved.mapWords);
  if (resolved.mapDigits < 5)
    throw new InvalidArgumentError('sizes.mapDigits', 'runTour', 'at least 5', resolved.mapDigits);
  return resolved;
}

/**
 * The tour: the chapter in order on embedded data — BM25/tf-idf search, skip-gram, SVD and GloVe word
 * vectors, t-SNE maps, the MNIST LSTM, the Alice language model against an n-gram baseline — writing
 * vectors, figures, models, `summary.json`, `web-data.json` (for `wordloom serve`) and a self-contained
 * `report.html` into `out`.
 */
export async function runTour(options: TourOptions = {}): Promise<TourResult> {
  const out = resolve(options.out ?? 'out');
  const sizes = resolveSizes(options.sizes);
  const seed = assertInteger(options.seed ?? 1, 'seed', 'runTour', 0, 2 ** 31);
  const reporter = options.reporter ?? SILENT_REPORTER;
  const { signal } = options;
  for (const dir of ['search', 'vectors', 'figures', 'models', 'web'])
    await mkdir(join(out, dir), { recursive: true });
  const backend = options.backend ?? (await selectBackend());
  const startedAt = new Date().toISOString();
  const seconds: Record<string, number> = {};
  const tourStart = performance.now();
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    signal?.throwIfAborted();
    reporter.log(`— ${name}`);
    const t0 = performance.now();
    const value = await run();
    seconds[name] = (performance.now() - t0) / 1000;
    return value;
  };

  const search = await timed('search', () =>
    runSearchStage(out, sizes.corpus, sizes.searchTop, reporter, signal),
  );
  const { result: wordVectors, skipGramVectors } = await timed('word vectors', () =>
    runWordVectorsStage(out, sizes, seed, reporter, signal),
  );
  const svd = await timed('svd', async () => {
    const result = await runSvdStage();
    const figure = await writeFigureFiles(
      out,
      'svd-three-sentences',
      'Words of three sentences at the first two columns of U (Fig 4-8)',
      scatterPlot({
        points: result.coordinates,
        labels: result.words,
        title: 'SVD word vectors of “I like Machine Learning. I like TensorFlow. I prefer Python.”',
        width: 720,
        height: 560,
        // The chapter's plt.xlim/ylim: every word and label inside the frame.
        xDomain: [-0.75, 0.75],
        yDomain: [-0.75, 0.75],
      }),
    );
    return { ...result, figure };
  });
  const maps = await timed('t-SNE maps', () =>
    runMapsStage(out, skipGramVectors, sizes, seed, reporter, signal),
  );
  const mnist = await timed('MNIST LSTM', () => runMnistStage(out, sizes, seed, reporter, signal));
  const languageModel = await timed('language model', () =>
    runLanguageModelStage(out, sizes, seed, reporter, signal),
  );

  const manifest: WebDataManifest = {
    format: 'wordloom-web-data',
    version: 1,
    projector: { vectors: wordVectors.projectorFile, map: maps.mapFile, corpus: sizes.corpus },
    search: { index: search.files.index, paragraphs: search.files.paragraphs, corpus: search.corpus },
    languageModel: { checkpoint: languageModel.checkpoint, prompt: languageModel.prompt },
    mnist: { checkpoint: mnist.checkpoint, testAccuracy: mnist.testAccuracy },
    sizes: {},
  };
  // A checkpoint's weights file is named per generation: ask the checkpoint which one is current.
  const { checkpointFiles } = await import('@wordloom/rnn/node');
  const weightsOf = async (folder: string) =>
    `${folder}/${(await checkpointFiles(join(out, folder))).weights}`;
  for (const file of [
    wordVectors.projectorFile,
    maps.mapFile,
    search.files.index,
    search.files.paragraphs,
    `${languageModel.checkpoint}/checkpoint.json`,
    await weightsOf(languageModel.checkpoint),
    `${mnist.checkpoint}/checkpoint.json`,
    await weightsOf(mnist.checkpoint),
  ])
    manifest.sizes[file] = (await stat(join(out, file))).size;
  await writeFileAtomic(join(out, WEB_DATA_FILE), (append) =>
    append(`${JSON.stringify(manifest, null, 1)}\n`),
  );

  seconds.total = (performance.now() - tourStart) / 1000;
  const result: TourResult = {
    startedAt,
    backend,
    node: process.versions.node,
    sizes,
    seed,
    seconds,
    search,
    wordVectors,
    svd,
    maps,
    mnist,
    languageModel,
  };
  await writeFileAtomic(join(out, 'summary.json'), (append) =>
    append(`${JSON.stringify(result, null, 1)}\n`),
  );
  const html = await renderReport(out, result);
  await writeFileAtomic(join(out, 'report.html'), (append) => append(html));
  return result;
}
