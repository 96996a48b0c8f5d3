import { join } from 'node:path';
import { loadCorpusSentences } from '@wordloom/datasets';
import { buildCooccurrence, KeyedVectors, type SimilarWord } from '@wordloom/embeddings';
import { saveWord2VecFormat, trainGlove, trainWord2Vec } from '@wordloom/embeddings/node';
import type { TourReporter } from '../tour-reporter.js';
import type { TourSizes } from '../tour-sizes.js';

/** Words whose nearest neighbours the tour lists. */
export const NEIGHBOUR_WORDS: readonly string[] = ['king', 'love', 'sea', 'father', 'horse', 'alice'];

/** Analogies "a is to b as c is to ?" (3CosAdd, b − a + c). */
export const ANALOGIES: ReadonlyArray<readonly [string, string, string]> = [
  ['man', 'king', 'woman'],
  ['he', 'his', 'she'],
  ['father', 'son', 'mother'],
];

/** Neighbours and analogies of one vector set; words outside its vocabulary are listed as missing. */
export interface VectorQueries {
  neighbours: Array<{ word: string; similar: SimilarWord[] | null }>;
  analogies: Array<{ a: string; b: string; c: string; answers: SimilarWord[] | null }>;
}

/** One trained vector set. */
export interface VectorSetResult extends VectorQueries {
  vocabulary: number;
  dim: number;
  epochs: number;
  seconds: number;
  /** Loss (skip-gram: mean NS loss; GloVe: the chapter's weighted cost) per epoch. */
  lossPerEpoch: number[];
  /** word2vec text file, relative to the output folder. */
  file: string;
}

/** What the word-vector stage produced. */
export interface WordVectorsStageResult {
  corpus: string;
  tokens: number;
  sentences: number;
  skipGram: VectorSetResult;
  glove: VectorSetResult & { cooccurrences: number; window: number };
  /** Most frequent skip-gram vectors for the page, word2vec binary. */
  projectorFile: string;
  projectorWords: number;
}

/** Nearest neighbours of {@link NEIGHBOUR_WORDS} and the {@link ANALOGIES}, skipping unknown words. */
export function queryVectors(vectors: KeyedVectors, topN = 5): VectorQueries {
  return {
    neighbours: NEIGHBOUR_WORDS.map((word) => ({
      word,
      similar: vectors.has(word) ? vectors.mostSimilar({ positive: [word], topN }) : null,
    })),
    analogies: ANALOGIES.map(([a, b, c]) => ({
      a,
      b,
      c,
      answers: [a, b, c].every((w) => vectors.has(w)) ? vectors.analogy(a, b, c, 3) : null,
    })),
  };
}

/** The first `n` (most frequent) vectors of a set. */
export function headVectors(vectors: KeyedVectors, n: number): KeyedVectors {
  const k = Math.min(n, vectors.size);
  return new KeyedVectors(
    vectors.words.slice(0, k),
    vectors.vectors.slice(0, k * vectors.dim),
    vectors.dim,
    vectors.counts?.slice(0, k),
  );
}

/**
 * Skip-gram with negative sampling (the production engine, chapter section 单词嵌入的跳格模型) and GloVe
 * (section 手套, weighting h(x) = (x/x_max)^α) on the corpus's sentences; neighbours and analogies;
 * vectors saved in word2vec text format. Returns the skip-gram vectors too (the maps use them).
 */
export async function runWordVectorsStage(
  out: string,
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal?: AbortSignal,
): Promise<{ result: WordVectorsStageResult; skipGramVectors: KeyedVectors }> {
  const sentences = await loadCorpusSentences(sizes.corpus, { lowercase: true });
  const tokens = sentences.reduce((n, s) => n + s.length, 0);

  const w2vBar = reporter.progress('skip-gram', 1000);
  const w2v = await trainWord2Vec(sentences, {
    architecture: 'skipgram',
    dim: sizes.skipGramDim,
    epochs: sizes.skipGramEpochs,
    minCount: sizes.minCount,
    threads: sizes.threads,
    seed,
    signal,
    onProgress: (f) => w2vBar.update(Math.round(f * 1000)),
    onEpoch: (e) => w2vBar.update(Math.round((e.epoch / e.epochs) * 1000), `loss ${e.loss.toFixed(4)}`),
  });
  w2vBar.stop();
  const skipGramFile = 'vectors/skipgram.txt';
  await saveWord2VecFormat(join(out, skipGramFile), w2v.vectors);
  const projectorFile = 'vectors/projector.bin';
  const projector = headVectors(w2v.vectors, sizes.projectorWords);
  await saveWord2VecFormat(join(out, projectorFile), projector, { binary: true });
  reporter.log(
    `skip-gram: ${w2v.vocab} words × ${sizes.skipGramDim}, ${sizes.skipGramEpochs} epochs in ${w2v.seconds.toFixed(1)} s ` +
      `(${Math.round(w2v.wordsPerSecond).toLocaleString('en-US')} words/s)`,
  );

  const window = 5;
  const started = performance.now();
  reporter.log('glove: counting co-occurrences');
  const matrix = await buildCooccurrence(sentences, {
    window,
    weighting: 'harmonic',
    minCount: sizes.minCount,
  });
  const gloveBar = reporter.progress('glove', sizes.gloveEpochs);
  const glove = await trainGlove(matrix, {
    dim: sizes.gloveDim,
    epochs: sizes.gloveEpochs,
    threads: sizes.threads,
    seed,
    signal,
    onEpoch: (e) => gloveBar.update(e.epoch, `cost ${(e.entryCost ?? e.loss).toExponential(3)}`),
  });
  gloveBar.stop();
  const gloveSeconds = (performance.now() - started) / 1000;
  const gloveFile = 'vectors/glove.txt';
  await saveWord2VecFormat(join(out, gloveFile), glove.vectors);
  reporter.log(
    `glove: ${matrix.size} words, ${matrix.nonZeros.toLocaleString('en-US')} co-occurrences, ${gloveSeconds.toFixed(1)} s`,
  );

  return {
    skipGramVectors: w2v.vectors,
    result: {
      corpus: sizes.corpus,
      tokens,
      sentences: sentences.length,
      skipGram: {
        vocabulary: w2v.vocab,
        dim: sizes.skipGramDim,
        epochs: sizes.skipGramEpochs,
        seconds: w2v.seconds,
        lossPerEpoch: w2v.lossPerEpoch,
        file: skipGramFile,
        ...queryVectors(w2v.vectors),
      },
      glove: {
        vocabulary: matrix.size,
        dim: sizes.gloveDim,
        epochs: sizes.gloveEpochs,
        seconds: gloveSeconds,
        // glove.c's printed cost (½Σf·diff² per non-zero), comparable across corpora.
        lossPerEpoch: glove.entryCostPerEpoch,
        file: gloveFile,
        cooccurrences: matrix.nonZeros,
        window,
        ...queryVectors(glove.vectors),
      },
      projectorFile,
      projectorWords: projector.size,
    },
  };
}
