import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadCorpus, tokenizeWords as tokenizeBookWords } from '@wordloom/datasets';
import { LanguageModel, tokenizeWords } from '@wordloom/rnn';
import { saveCheckpoint } from '@wordloom/rnn/node';
import { NgramLanguageModel } from '@wordloom/text-vsm';
import { linePlot } from '@wordloom/viz';
import type { TourReporter } from '../tour-reporter.js';
import type { TourSizes } from '../tour-sizes.js';
import { type FigureFiles, writeFigureFiles } from './figure-files.js';

/** Listing 4-4's prompt. */
export const COMPLETION_PROMPT = 'i only wish';

/** Held-out perplexity of an LSTM and a Kneser–Ney n-gram on one split of Alice in Wonderland. */
export interface HeldOutResult {
  corpus: string;
  /** The first 90% of the book's tokens. */
  trainTokens: number;
  /** The last 10%, never trained on. */
  validationTokens: number;
  /** Training words plus `<unk>`. */
  vocabulary: number;
  /** Held-out tokens outside the vocabulary (scored as `<unk>` by both models). */
  unknownRate: number;
  layers: number;
  units: number;
  embeddingSize: number;
  sequenceLength: number;
  epochs: number;
  seconds: number;
  /** Held-out perplexity of the LSTM after each epoch. */
  perplexityPerEpoch: number[];
  /** The best of them (the epoch early stopping would keep). */
  perplexity: number;
  ngram: { order: number; smoothing: string; perplexity: number };
}

/** What the language-model stage measured. */
export interface LanguageModelStageResult {
  tokens: number;
  vocabulary: number;
  window: number;
  layers: number;
  units: number;
  epochs: number;
  seconds: number;
  loss: number;
  perplexity: number;
  accuracy: number;
  lossPerEpoch: number[];
  prompt: string;
  /** Greedy completion (Listing 4-4), the prompt's words then the predicted ones. */
  completion: string;
  /** A completion sampled from the model's distribution (temperature 1, seeded). */
  sampled: string;
  /** The chapter's traditional baseline with the same context (a 4-gram, interpolated Kneser–Ney). */
  ngram: { order: number; smoothing: string; perplexity: number; accuracy: number; completion: string };
  figure: FigureFiles;
  checkpoint: string;
  /** Perplexity on text neither model saw: the last 10% of Alice in Wonderland. */
  heldOut: HeldOutResult;
}

/**
 * Held-out evaluation the passage cannot give: a 2-layer LSTM (full mode, 32-step truncated BPTT) and a
 * Kneser–Ney 5-gram are fit on the first 90% of Alice in Wonderland's lower-cased words and scored on
 * the last 10%; the vocabulary is the training part's words plus `<unk>`.
 */
async function runHeldOut(
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal?: AbortSignal,
): Promise<HeldOutResult> {
  const corpus = 'carroll-alice';
  const tokens = tokenizeBookWords(await loadCorpus(corpus));
  const cut = tokens.length - Math.round(tokens.length * 0.1);
  const counts = new Map<string, number>();
  for (let i = 0; i < cut; i++) counts.set(tokens[i], (counts.get(tokens[i]) ?? 0) + 1);
  const vocabulary = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  vocabulary.push('<unk>');
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const ids = Int32Array.from(tokens, (t) => index.get(t) ?? vocabulary.length - 1);
  const train = ids.subarray(0, cut);
  const validation = ids.subarray(cut);
  let unknown = 0;
  for (const id of validation) if (id === vocabulary.length - 1) unknown++;
  const config = { layers: 2, units: sizes.lmUnits, embeddingSize: 64, sequenceLength: 32 };
  const model = new LanguageModel({ vocabulary, mode: 'full', cell: 'lstm', seed, ...config });
  const optimizer = tf.train.adam(0.002);
  const bar = reporter.progress('Alice held-out language model', sizes.lmHeldOutEpochs);
  const perplexityPerEpoch: number[] = [];
  const started = performance.now();
  try {
    await model.fit(train, {
      epochs: sizes.lmHeldOutEpochs,
      batchSize: 32,
      optimizer,
      seed,
      signal,
      onEpochEnd: (info) => {
        const perplexity = model.evaluate(validation).perplexity;
        perplexityPerEpoch.push(perplexity);
        bar.update(info.epoch, `held-out perplexity ${perplexity.toFixed(1)}`);
      },
    });
    bar.stop();
    signal?.throwIfAborted();
    const seconds = (performance.now() - started) / 1000;
    const words = (part: Int32Array) => Array.from(part, (id) => vocabulary[id]);
    const ngram = NgramLanguageModel.fit([words(train)], { order: 5 });
    return {
      corpus,
      trainTokens: train.length,
      validationTokens: validation.length,
      vocabulary: vocabulary.length,
      unknownRate: unknown / validation.length,
      ...config,
      epochs: sizes.lmHeldOutEpochs,
      seconds,
      perplexityPerEpoch,
      perplexity: Math.min(...perplexityPerEpoch),
      ngram: { order: 5, smoothing: ngram.smoothing, perplexity: ngram.perplexity([words(validation)]) },
    };
  } finally {
    bar.stop();
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Listing 4-4: a 2-layer LSTM predicts the next word of the chapter's Alice passage (Listing 4-5) from
 * the previous 3, then completes "i only wish" with 28 words; an n-gram model with the same context is
 * the baseline (perplexity and next-word accuracy, both on the passage itself, as the chapter reports).
 */
export async function runLanguageModelStage(
  out: string,
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal?: AbortSignal,
): Promise<LanguageModelStageResult> {
  const tokens = tokenizeWords(await loadCorpus('chapter-alice'));
  const window = 3;
  const layers = 2;
  const model = LanguageModel.fromTokens(tokens, {
    window,
    layers,
    units: sizes.lmUnits,
    // One-hot input, as Listing 4-4 (W_xh is the embedding).
    embeddingSize: 0,
    cell: 'lstm',
    seed,
  });
  const optimizer = tf.train.adam(0.01);
  const bar = reporter.progress('Alice language model', sizes.lmEpochs);
  const started = performance.now();
  try {
    const result = await model.fit(tokens, {
      epochs: sizes.lmEpochs,
      batchSize: 32,
      optimizer,
      seed,
      signal,
      onEpochEnd: (info) => bar.update(info.epoch, `loss ${info.loss.toFixed(4)}`),
    });
    bar.stop();
    signal?.throwIfAborted();
    const seconds = (performance.now() - started) / 1000;
    const evaluation = model.evaluate(tokens);
    const prompt = tokenizeWords(COMPLETION_PROMPT);
    const completion = [...prompt, ...model.complete(prompt, { words: sizes.completionWords })].join(' ');
    const sampled = [
      ...prompt,
      ...model.complete(prompt, { words: sizes.completionWords, temperature: 1, seed }),
    ].join(' ');

    const ngram = NgramLanguageModel.fit([tokens], { order: window + 1 });
    let correct = 0;
    for (let i = window; i < tokens.length; i++)
      if (ngram.nextWord(tokens.slice(i - window, i), 1)[0]?.word === tokens[i]) correct++;
    const ngramWords = [...prompt];
    for (let i = 0; i < sizes.completionWords; i++) {
      const next = ngram.nextWord(ngramWords.slice(-window), 1)[0]?.word;
      if (next === undefined) break;
      ngramWords.push(next);
    }

    const checkpoint = 'models/alice-lm';
    await saveCheckpoint(join(out, checkpoint), { model, meta: { corpus: 'chapter-alice' } });
    const lossPerEpoch = result.history.map((h) => h.loss);
    const figure = await writeFigureFiles(
      out,
      'lm-loss',
      'Alice language model: training loss per epoch',
      linePlot({
        series: [{ name: 'mean batch loss', y: lossPerEpoch, x: lossPerEpoch.map((_, i) => i + 1) }],
        title: `2-layer LSTM (${sizes.lmUnits} units) on the Alice passage`,
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
      }),
    );
    const heldOut = await runHeldOut(sizes, seed, reporter, signal);
    reporter.log(
      `Alice held-out perplexity (last 10% of the book, ${heldOut.validationTokens} tokens): LSTM ${heldOut.perplexity.toFixed(1)}, ${heldOut.ngram.order}-gram ${heldOut.ngram.perplexity.toFixed(1)}`,
    );
    reporter.log(
      `Alice LM: ${tokens.length} tokens, ${model.vocabulary.length} words, ${seconds.toFixed(1)} s, training accuracy ${(100 * evaluation.accuracy).toFixed(1)}%, training perplexity ${evaluation.perplexity.toFixed(3)}`,
    );
    return {
      tokens: tokens.length,
      vocabulary: model.vocabulary.length,
      window,
      layers,
      units: sizes.lmUnits,
      epochs: sizes.lmEpochs,
      seconds,
      loss: evaluation.loss,
      perplexity: evaluation.perplexity,
      accuracy: evaluation.accuracy,
      lossPerEpoch,
      prompt: COMPLETION_PROMPT,
      completion,
      sampled,
      ngram: {
        order: window + 1,
        smoothing: ngram.smoothing,
        perplexity: ngram.perplexity([tokens]),
        accuracy: correct / (tokens.length - window),
        completion: ngramWords.join(' '),
      },
      figure,
      checkpoint,
      heldOut,
    };
  } finally {
    bar.stop();
    optimizer.dispose();
    model.dispose();
  }
}
