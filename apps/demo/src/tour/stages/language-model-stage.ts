import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadCorpus } from '@wordloom/datasets';
import { LanguageModel, tokenizeWords } from '@wordloom/rnn';
import { saveCheckpoint } from '@wordloom/rnn/node';
import { NgramLanguageModel } from '@wordloom/text-vsm';
import { linePlot } from '@wordloom/viz';
import type { TourReporter } from '../tour-reporter.js';
import type { TourSizes } from '../tour-sizes.js';
import { type FigureFiles, writeFigureFiles } from './figure-files.js';

/** Listing 4-4's prompt. */
export const COMPLETION_PROMPT = 'i only wish';

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
    reporter.log(
      `Alice LM: ${tokens.length} tokens, ${model.vocabulary.length} words, ${seconds.toFixed(1)} s, accuracy ${(100 * evaluation.accuracy).toFixed(1)}%, perplexity ${evaluation.perplexity.toFixed(3)}`,
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
    };
  } finally {
    bar.stop();
    optimizer.dispose();
    model.dispose();
  }
}
