import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertInteger,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  UnavailableError,
} from '@wordloom/core';
import { listCorpora, loadCorpus } from '@wordloom/datasets';
import { LanguageModel, tokenizeWords } from '@wordloom/rnn';
import { loadCheckpoint, saveCheckpoint } from '@wordloom/rnn/node';
import { NgramLanguageModel } from '@wordloom/text-vsm';
import type { Command } from 'commander';
import { action } from '../context.js';

interface TrainFlags {
  corpus: string;
  window: string;
  layers: string;
  hidden: string;
  steps: string;
  batch: string;
  lr: string;
  cell: string;
  mode: string;
  save: string;
}

interface CompleteFlags {
  model: string;
  prompt: string;
  words: string;
  temperature: string;
  topK: string;
}

/** The corpus text: `alice` is the chapter's Listing 4-5 passage, else a corpus name or a file. */
async function corpusText(name: string): Promise<string> {
  if (name === 'alice') return loadCorpus('chapter-alice');
  if (listCorpora().some((c) => c.name === name)) return loadCorpus(name);
  try {
    return await readFile(name, 'utf8');
  } catch {
    throw new UnavailableError(
      name,
      `Corpus '${name}' is neither 'alice', a corpus name (wordloom datasets) nor a readable file`,
    );
  }
}

/**
 * `wordloom lm train | complete`: Listing 4-4 — a word-level 2-layer LSTM language model on the Alice
 * passage (or any corpus / text file), next-word accuracy and perplexity against an n-gram baseline,
 * then sentence completion from a saved model.
 */
export function registerLm(program: Command): void {
  const lm = program
    .command('lm')
    .description('word-level RNN language model: train on a corpus, complete sentences (Listing 4-4)');
  lm.command('train')
    .description('train a word-level LSTM language model and save it')
    .requiredOption('--save <dir>', 'directory for the checkpoint (weights, vocabulary, optimizer state)')
    .option('--corpus <name|file>', "'alice' (the chapter’s passage), a corpus name, or a text file", 'alice')
    .option('--window <n>', 'words of context (window mode)', '3')
    .option('--layers <n>', 'stacked recurrent layers', '2')
    .option('--hidden <n>', 'units per layer', '512')
    .option('--steps <n>', 'optimizer steps (mini-batches)', '500')
    .option('--batch <n>', 'mini-batch size (full mode: parallel streams)', '32')
    .option('--lr <rate>', 'Adam learning rate', '0.001')
    .option('--cell <type>', 'lstm, gru or rnn', 'lstm')
    .option(
      '--mode <mode>',
      "'window' (predict from the last n words) or 'full' (from the whole history)",
      'window',
    )
    .action(
      action(async (ctx, flags: TrainFlags) => {
        const fn = 'wordloom lm train';
        const window = assertInteger(Number(flags.window), '--window', fn, 1, 1000);
        const layers = assertInteger(Number(flags.layers), '--layers', fn, 1, 16);
        const units = assertInteger(Number(flags.hidden), '--hidden', fn, 1, 4096);
        const steps = assertInteger(Number(flags.steps), '--steps', fn, 1, 10_000_000);
        const batchSize = assertInteger(Number(flags.batch), '--batch', fn, 1, 100_000);
        const learningRate = assertNumber(Number(flags.lr), '--lr', fn, { min: 0, exclusiveMin: true });
        const cell = assertOneOf(flags.cell, ['lstm', 'gru', 'rnn'] as const, '--cell', fn);
        const mode = assertOneOf(flags.mode, ['window', 'full'] as const, '--mode', fn);
        const backend = await ctx.useBackend();
        const tokens = tokenizeWords(await corpusText(flags.corpus));
        if (tokens.length <= window)
          throw new InvalidArgumentError(
            '--corpus',
            fn,
            `a text of more than ${window} words`,
            tokens.length,
          );
        const model = LanguageModel.fromTokens(tokens, { window, layers, units, cell, mode, seed: ctx.seed });
        const optimizer = tf.train.adam(learningRate);
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        const bar = ctx.progress('lm train', steps);
        let done = 0;
        try {
          const start = performance.now();
          const result = await model.fit(tokens, {
            steps,
            batchSize,
            optimizer,
            seed: ctx.seed,
            signal: controller.signal,
            onBatchEnd: ({ loss }) => bar.update(++done, `loss ${loss.toFixed(4)}`),
          });
          bar.stop();
          const seconds = (performance.now() - start) / 1000;
          const evaluation = model.evaluate(tokens);
          // The chapter's traditional baseline: an n-gram model with the same context length.
          const ngram = NgramLanguageModel.fit([tokens], { order: window + 1 });
          let ngramCorrect = 0;
          for (let i = window; i < tokens.length; i++)
            if (ngram.nextWord(tokens.slice(i - window, i), 1)[0]?.word === tokens[i]) ngramCorrect++;
          const baseline = {
            order: window + 1,
            smoothing: ngram.smoothing,
            perplexity: round(ngram.perplexity([tokens]), 4),
            accuracy: round(ngramCorrect / (tokens.length - window), 5),
          };
          await saveCheckpoint(flags.save, {
            model,
            optimizer,
            state: result.state,
            meta: { command: 'lm train', corpus: flags.corpus },
          });
          const summary = {
            backend,
            corpus: flags.corpus,
            tokens: tokens.length,
            vocabulary: model.vocabulary.length,
            mode,
            cell,
            layers,
            hidden: units,
            window,
            steps: done,
            seconds: round(seconds, 2),
            trainLoss: round(evaluation.loss, 5),
            trainAccuracy: round(evaluation.accuracy, 5),
            perplexity: round(evaluation.perplexity, 4),
            ngram: baseline,
            interrupted: result.aborted,
            checkpoint: flags.save,
          };
          ctx.print(
            [
              `${layers}-layer ${cell.toUpperCase()} ${units}, ${mode} mode${mode === 'window' ? ` (${window} words)` : ''}, on '${flags.corpus}': ${tokens.length} words, vocabulary ${model.vocabulary.length}, backend ${backend.name}`,
              `${done} steps in ${summary.seconds} s: next-word training accuracy ${(100 * summary.trainAccuracy).toFixed(2)}%, perplexity ${summary.perplexity}`,
              `${baseline.order}-gram baseline (${baseline.smoothing}) on the same text: accuracy ${(100 * baseline.accuracy).toFixed(2)}%, perplexity ${baseline.perplexity}`,
              ...(result.aborted ? ['interrupted'] : []),
              `saved to ${flags.save}`,
            ],
            summary,
          );
        } finally {
          process.removeListener('SIGINT', onSigint);
          optimizer.dispose();
          model.dispose();
        }
      }),
    );
  lm.command('complete')
    .description('continue a prompt with a saved language model (greedy, or temperature / top-k sampling)')
    .requiredOption('--model <dir>', 'a directory written by `wordloom lm train`')
    .requiredOption('--prompt <text>', 'the words to continue (window mode: at least the window)')
    .option('--words <n>', 'words to generate', '28')
    .option('--temperature <t>', '0 = greedy arg-max; > 0 samples from softmax(logits / t) with --seed', '0')
    .option('--top-k <k>', 'sample only among the k most likely words (0 = all)', '0')
    .action(
      action(async (ctx, flags: CompleteFlags) => {
        const fn = 'wordloom lm complete';
        const words = assertInteger(Number(flags.words), '--words', fn, 0, 100_000);
        const temperature = assertNumber(Number(flags.temperature), '--temperature', fn, { min: 0 });
        const topK = assertInteger(Number(flags.topK), '--top-k', fn, 0);
        const backend = await ctx.useBackend();
        const { model, optimizer } = await loadCheckpoint(flags.model);
        optimizer?.dispose();
        try {
          if (!(model instanceof LanguageModel))
            throw new InvalidArgumentError(
              '--model',
              fn,
              'a language model checkpoint (wordloom lm train)',
              flags.model,
            );
          let generated: string[];
          try {
            generated = model.complete(flags.prompt, { words, temperature, topK, seed: ctx.seed });
          } catch (error) {
            if (InvalidArgumentError.isInstance(error) && error.argument === 'prompt')
              throw new InvalidArgumentError(
                '--prompt',
                fn,
                error.message.replace(/^Argument 'prompt' passed to 'complete' must be /, ''),
              );
            throw error;
          }
          const prompt = tokenizeWords(flags.prompt);
          const text = [...prompt, ...generated].join(' ');
          ctx.print(text, {
            backend,
            prompt: prompt.join(' '),
            words: generated,
            text,
            temperature,
            topK,
            seed: ctx.seed,
          });
        } finally {
          model.dispose();
        }
      }),
    );
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
