import { join } from 'node:path';
import { writeFileAtomic } from '@wordloom/core/node';
import { CHAPTER_DEEP_LEARNING, CHAPTER_DEEP_LEARNING_SKIP_GRAM, loadMnist } from '@wordloom/datasets';
import { KeyedVectors, trainBookCbow, trainBookSkipGram } from '@wordloom/embeddings';
import {
  ANALOGY_WORDS,
  type ChapterFigureId,
  chapterFigure,
  type DenseMatrix,
  scatterPlot,
  type TsneResult,
  tsne,
  type WordMapData,
} from '@wordloom/viz';
import type { TourReporter } from '../tour-reporter.js';
import type { TourSizes } from '../tour-sizes.js';
import { type FigureFiles, writeFigureFiles } from './figure-files.js';

/** The 2-D word map the web page's projector draws. */
export interface ProjectorMap {
  words: string[];
  x: number[];
  y: number[];
}

/** One of the chapter's figures as the tour drew it, or why it could not. */
export interface ChapterFigureResult {
  id: ChapterFigureId;
  /** What the figure shows and which data it was drawn from (the stand-in, when not the chapter's). */
  caption: string;
  figure: FigureFiles | null;
  /** Why `figure` is null. */
  missing?: string;
}

/** One t-SNE run of the stage. */
export interface MapRun {
  points: number;
  kl: number;
  iterations: number;
  method: string;
  seconds: number;
  figure: FigureFiles;
}

/** What the t-SNE stage produced. */
export interface MapsStageResult {
  words: MapRun;
  digits: MapRun;
  /** Figs 4-2, 4-4, 4-6, 4-9 and 4-10 (4-8 comes from the SVD stage), in the chapter's order. */
  chapter: ChapterFigureResult[];
  /** The word map for the page, relative to the output folder. */
  mapFile: string;
}

/** What the word-map helpers need besides their data. */
export interface MapRunOptions {
  seed: number;
  /** t-SNE steps. @default 1000 */
  iterations?: number;
  signal?: AbortSignal;
  /** t-SNE progress, every 25 steps. */
  onIteration?: (iteration: number, kl: number) => void;
}

/** The chapter's CBOW / skip-gram embedding size, epochs, learning rate and batch (Listings 4-1a/b). */
export const BOOK_EPOCHS = 100;

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const perplexityFor = (points: number) => Math.min(30, Math.floor((points - 1) / 3));

/** t-SNE of word vectors by cosine distance (their neighbours are by cosine), as the chapter's `TSNE(n_components=2)`. */
async function mapWords(vectors: KeyedVectors, options: MapRunOptions): Promise<TsneResult> {
  const n = vectors.size;
  const x: DenseMatrix = { data: vectors.vectors.subarray(0, n * vectors.dim), rows: n, cols: vectors.dim };
  return tsne(x, {
    iterations: options.iterations ?? 1000,
    perplexity: perplexityFor(n),
    metric: 'cosine',
    seed: options.seed,
    signal: options.signal,
    onIteration: (p) => {
      if (p.iteration % 25 === 0) options.onIteration?.(p.iteration, p.kl);
    },
  });
}

/**
 * Figs 4-4 and 4-6: the chapter's CBOW (Listing 4-1a) or skip-gram (Listing 4-1b) network trained on its
 * deep-learning paragraph (128-dimensional embeddings, Adam 0.001, batches of 10, walking all batches
 * rather than repeating the first), then t-SNE of the input embedding matrix W by cosine distance.
 */
export async function bookWordMap(
  id: '4-4' | '4-6',
  options: MapRunOptions & { epochs?: number; onEpoch?: (epoch: number, loss: number) => void },
): Promise<{ data: WordMapData; run: TsneResult; loss: number; epochs: number }> {
  const epochs = options.epochs ?? BOOK_EPOCHS;
  const train = id === '4-4' ? trainBookCbow : trainBookSkipGram;
  const corpus = id === '4-4' ? CHAPTER_DEEP_LEARNING : CHAPTER_DEEP_LEARNING_SKIP_GRAM;
  const trained = train(corpus, {
    epochs,
    gradients: 'analytic',
    seed: options.seed,
    signal: options.signal,
    onEpoch: options.onEpoch,
  });
  const run = await mapWords(trained.vectors, options);
  return {
    data: {
      points: run.embedding,
      labels: trained.vectors.words,
      source: `${id === '4-4' ? 'CBOW' : 'skip-gram'}, the chapter's paragraph, ${epochs} epochs`,
    },
    run,
    loss: trained.lossPerEpoch[trained.lossPerEpoch.length - 1],
    epochs,
  };
}

/**
 * Fig 4-10's data (Listing 4-2c): king, queen, man and woman plus the 100 most frequent other words of
 * `vectors` (the listing takes 100 keys of its dictionary), mapped by t-SNE with cosine distance. Throws
 * naming the word when one of the four is not in the vocabulary.
 */
export async function gloveAnalogyMap(
  vectors: KeyedVectors,
  source: string,
  options: MapRunOptions,
): Promise<{ data: WordMapData; run: TsneResult }> {
  const chosen: string[] = [...ANALOGY_WORDS];
  for (const w of ANALOGY_WORDS) vectors.indexOf(w, 'Fig 4-10');
  for (const w of vectors.words) {
    if (chosen.length >= ANALOGY_WORDS.length + 100) break;
    if (!(ANALOGY_WORDS as readonly string[]).includes(w)) chosen.push(w);
  }
  const dim = vectors.dim;
  const data = new Float32Array(chosen.length * dim);
  for (const [i, w] of chosen.entries()) data.set(vectors.vector(w), i * dim);
  const run = await mapWords(new KeyedVectors(chosen, data, dim), options);
  return { data: { points: run.embedding, labels: chosen, source }, run };
}

/**
 * t-SNE maps: the most frequent skip-gram words (labelled) and MNIST test digits (raw pixels, coloured by
 * class), plus the chapter's figures 4-2, 4-4, 4-6, 4-9 and 4-10 — SVG and PNG — and the word map as
 * JSON for the projector. `glove` is the tour's GloVe vectors (the stand-in for the chapter's
 * glove.6B.300d of Fig 4-10).
 */
export async function runMapsStage(
  out: string,
  vectors: KeyedVectors,
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal?: AbortSignal,
  glove?: KeyedVectors,
): Promise<MapsStageResult> {
  const n = Math.min(sizes.mapWords, vectors.size);
  let bar = reporter.progress('t-SNE: words', sizes.tsneIterations);
  let started = performance.now();
  const head = new KeyedVectors(
    vectors.words.slice(0, n),
    vectors.vectors.slice(0, n * vectors.dim),
    vectors.dim,
  );
  const mapOptions = (label: string): MapRunOptions => ({
    seed,
    signal,
    iterations: sizes.tsneIterations,
    onIteration: (iteration, kl) => bar.update(iteration, `${label} KL ${kl.toFixed(3)}`),
  });
  let wordRun: TsneResult;
  try {
    wordRun = await mapWords(head, mapOptions(''));
  } finally {
    bar.stop();
  }
  const wordSeconds = (performance.now() - started) / 1000;
  const e = wordRun.embedding.data;
  const map: ProjectorMap = {
    words: head.words.slice(),
    x: Array.from({ length: n }, (_, i) => round(e[2 * i])),
    y: Array.from({ length: n }, (_, i) => round(e[2 * i + 1])),
  };
  const mapFile = 'web/projector-map.json';
  await writeFileAtomic(join(out, mapFile), (append) => append(JSON.stringify(map)));
  const wordFigure = await writeFigureFiles(
    out,
    'words-tsne',
    `t-SNE (cosine) of the ${n} most frequent skip-gram words of ${sizes.corpus}; labels that would overlap are left out`,
    scatterPlot({
      points: wordRun.embedding,
      labels: map.words,
      width: 1400,
      height: 1100,
      pointRadius: 2,
      fontSize: 10,
      aspect: 'equal',
      title: `t-SNE of the ${n} most frequent words (skip-gram, ${sizes.corpus})`,
    }),
  );

  const digits = await loadMnist({ split: 'test', limit: sizes.mapDigits });
  bar = reporter.progress('t-SNE: digits', sizes.tsneIterations);
  started = performance.now();
  let digitRun: TsneResult;
  try {
    digitRun = await tsne(
      { data: digits.images as Float32Array, rows: digits.count, cols: digits.rows * digits.cols },
      {
        iterations: sizes.tsneIterations,
        perplexity: perplexityFor(digits.count),
        seed,
        signal,
        onIteration: (p) => {
          if (p.iteration % 25 === 0) bar.update(p.iteration, `KL ${p.kl.toFixed(3)}`);
        },
      },
    );
  } finally {
    bar.stop();
  }
  const digitSeconds = (performance.now() - started) / 1000;
  const digitFigure = await writeFigureFiles(
    out,
    'digits-tsne',
    `t-SNE of ${digits.count} MNIST test digits (raw pixels, equal aspect)`,
    scatterPlot({
      points: digitRun.embedding,
      classes: Array.from(digits.labels),
      width: 900,
      height: 760,
      pointRadius: 2.5,
      aspect: 'equal',
      title: `t-SNE of ${digits.count} MNIST test digits (raw pixels)`,
    }),
  );
  reporter.log(
    `t-SNE: ${n} words in ${wordSeconds.toFixed(1)} s (${wordRun.method}), ${digits.count} digits in ${digitSeconds.toFixed(1)} s (${digitRun.method})`,
  );

  const chapter = await drawChapterFigures(out, sizes, seed, reporter, signal, glove);
  const summary = (r: TsneResult, points: number, seconds: number, figure: FigureFiles): MapRun => ({
    points,
    kl: r.kl,
    iterations: r.iterations,
    method: r.method,
    seconds,
    figure,
  });
  return {
    words: summary(wordRun, n, wordSeconds, wordFigure),
    digits: summary(digitRun, digits.count, digitSeconds, digitFigure),
    chapter,
    mapFile,
  };
}

/**
 * Epochs of the chapter's CBOW and skip-gram networks in the tour: 20 of the chapter's 100 (its tfjs
 * steps on batches of 10 take ~1.5 s per epoch here, so 100 would take minutes); 2 in a tour with fewer
 * than 1,000 t-SNE steps (the quick `--tiny` tour). `wordloom plot figure 4-4` runs all 100.
 */
export function tourBookEpochs(sizes: TourSizes): number {
  return sizes.tsneIterations >= 1000 ? 20 : 2;
}

async function drawChapterFigures(
  out: string,
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal: AbortSignal | undefined,
  glove: KeyedVectors | undefined,
): Promise<ChapterFigureResult[]> {
  const results: ChapterFigureResult[] = [];
  const draw = async (
    id: ChapterFigureId,
    caption: string,
    data?: WordMapData,
    size = { width: 720, height: 540 },
  ) =>
    results.push({
      id,
      caption,
      figure: await writeFigureFiles(
        out,
        `fig-${id}`,
        `Fig ${id}: ${caption}`,
        chapterFigure(id, { ...size, data }),
      ),
    });
  await draw(
    '4-2',
    'normalised term frequency against term frequency n (raw, √n, log(1 + n), BM25 with k = 1.2)',
  );
  const epochs = tourBookEpochs(sizes);
  for (const id of ['4-4', '4-6'] as const) {
    const bar = reporter.progress(`Fig ${id}: training`, epochs);
    let map: Awaited<ReturnType<typeof bookWordMap>>;
    try {
      map = await bookWordMap(id, {
        seed,
        signal,
        epochs,
        iterations: sizes.tsneIterations,
        onEpoch: (epoch, loss) => bar.update(epoch, `loss ${loss.toFixed(4)}`),
      });
    } finally {
      bar.stop();
    }
    const what = id === '4-4' ? 'CBOW (Listing 4-1a)' : 'skip-gram (Listing 4-1b)';
    await draw(
      id,
      `t-SNE (cosine, ${map.run.method}, KL ${map.run.kl.toFixed(3)}) of the ${map.data.labels.length} word vectors ${what} learns from the chapter's deep-learning paragraph in ${map.epochs} epochs (the chapter trains 100); final loss ${map.loss.toFixed(4)}`,
      map.data,
      { width: 900, height: 900 },
    );
  }
  await draw('4-9', 'GloVe weighting h(x) = (x / 100)^0.75 below x_max = 100, 1 above');
  const source = `GloVe trained by the tour on ${sizes.corpus}, a stand-in for the chapter's glove.6B.300d`;
  const missing = glove ? ANALOGY_WORDS.filter((w) => !glove.has(w)) : [...ANALOGY_WORDS];
  if (!glove || missing.length > 0)
    results.push({
      id: '4-10',
      caption: `t-SNE of king, queen, man and woman among 100 frequent words (${source})`,
      figure: null,
      missing: glove
        ? `not in the GloVe vocabulary of ${sizes.corpus}: ${missing.join(', ')}`
        : 'no GloVe vectors',
    });
  else {
    const { data, run } = await gloveAnalogyMap(glove, `stand-in: GloVe on ${sizes.corpus}`, {
      seed,
      signal,
      iterations: sizes.tsneIterations,
    });
    await draw(
      '4-10',
      `t-SNE (cosine, KL ${run.kl.toFixed(3)}) of king, queen, man and woman among the 100 most frequent other words; dashed: man → king and woman → queen (${source})`,
      data,
      { width: 800, height: 640 },
    );
  }
  return results;
}
