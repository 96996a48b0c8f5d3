import { join } from 'node:path';
import { writeFileAtomic } from '@wordloom/core/node';
import { loadMnist } from '@wordloom/datasets';
import type { KeyedVectors } from '@wordloom/embeddings';
import { scatterPlot, tsne } from '@wordloom/viz';
import type { TourReporter } from '../tour-reporter.js';
import type { TourSizes } from '../tour-sizes.js';
import { type FigureFiles, writeFigureFiles } from './figure-files.js';

/** The 2-D word map the web page's projector draws. */
export interface ProjectorMap {
  words: string[];
  x: number[];
  y: number[];
}

/** What the t-SNE stage produced. */
export interface MapsStageResult {
  words: {
    points: number;
    kl: number;
    iterations: number;
    method: string;
    seconds: number;
    figure: FigureFiles;
  };
  digits: {
    points: number;
    kl: number;
    iterations: number;
    method: string;
    seconds: number;
    figure: FigureFiles;
  };
  /** The word map for the page, relative to the output folder. */
  mapFile: string;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * t-SNE maps (Figs 4-4, 4-6, 4-10): the most frequent skip-gram words, labelled, and MNIST test digits
 * from raw pixels, coloured by class; SVG and PNG, plus the word map as JSON for the projector.
 */
export async function runMapsStage(
  out: string,
  vectors: KeyedVectors,
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal?: AbortSignal,
): Promise<MapsStageResult> {
  const n = Math.min(sizes.mapWords, vectors.size);
  const d = vectors.dim;
  const perplexity = (points: number) => Math.min(30, Math.floor((points - 1) / 3));
  let bar = reporter.progress('t-SNE: words', sizes.tsneIterations);
  let started = performance.now();
  const wordRun = await tsne(
    { data: vectors.vectors.slice(0, n * d), rows: n, cols: d },
    {
      iterations: sizes.tsneIterations,
      perplexity: perplexity(n),
      seed,
      signal,
      onIteration: (p) => {
        if (p.iteration % 25 === 0) bar.update(p.iteration, `KL ${p.kl.toFixed(3)}`);
      },
    },
  );
  bar.stop();
  const wordSeconds = (performance.now() - started) / 1000;
  const e = wordRun.embedding.data;
  const map: ProjectorMap = {
    words: vectors.words.slice(0, n),
    x: Array.from({ length: n }, (_, i) => round(e[2 * i])),
    y: Array.from({ length: n }, (_, i) => round(e[2 * i + 1])),
  };
  const mapFile = 'web/projector-map.json';
  await writeFileAtomic(join(out, mapFile), (append) => append(JSON.stringify(map)));
  const wordFigure = await writeFigureFiles(
    out,
    'words-tsne',
    `t-SNE of the ${n} most frequent skip-gram words`,
    scatterPlot({
      points: wordRun.embedding,
      labels: map.words,
      width: 1400,
      height: 1100,
      pointRadius: 2,
      fontSize: 10,
      title: `t-SNE of the ${n} most frequent words (skip-gram, ${sizes.corpus})`,
    }),
  );

  const digits = await loadMnist({ split: 'test', limit: sizes.mapDigits });
  bar = reporter.progress('t-SNE: digits', sizes.tsneIterations);
  started = performance.now();
  const digitRun = await tsne(
    { data: digits.images as Float32Array, rows: digits.count, cols: digits.rows * digits.cols },
    {
      iterations: sizes.tsneIterations,
      perplexity: perplexity(digits.count),
      seed,
      signal,
      onIteration: (p) => {
        if (p.iteration % 25 === 0) bar.update(p.iteration, `KL ${p.kl.toFixed(3)}`);
      },
    },
  );
  bar.stop();
  const digitSeconds = (performance.now() - started) / 1000;
  const digitFigure = await writeFigureFiles(
    out,
    'digits-tsne',
    `t-SNE of ${digits.count} MNIST test digits`,
    scatterPlot({
      points: digitRun.embedding,
      classes: Array.from(digits.labels),
      width: 900,
      height: 760,
      pointRadius: 2.5,
      title: `t-SNE of ${digits.count} MNIST test digits (raw pixels)`,
    }),
  );
  reporter.log(
    `t-SNE: ${n} words in ${wordSeconds.toFixed(1)} s (${wordRun.method}), ${digits.count} digits in ${digitSeconds.toFixed(1)} s (${digitRun.method})`,
  );
  const summary = (r: typeof wordRun, points: number, seconds: number, figure: FigureFiles) => ({
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
    mapFile,
  };
}
