import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { crc32, InvalidArgumentError, UnavailableError } from '@wordloom/core';
import type { FitResult, LanguageModel, TrainingState } from '@wordloom/rnn';
import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import {
  choiceFlag,
  divergedAsLrError,
  FlagError,
  integerFlag,
  numberFlag,
  outputDirFlag,
} from '../flags.js';

/** The token every word outside the vocabulary becomes (the n-gram model's `<unk>` too). */
export const UNKNOWN_TOKEN = '<unk>';

const TOKENIZERS = ['chapter', 'whitespace', 'words'] as const;
const LEVELS = ['word', 'char'] as const;
const MODES = ['window', 'full'] as const;
const CELLS = ['lstm', 'gru', 'rnn'] as const;

/** What decides the data and the model: saved in the checkpoint, fixed on `--resume`. */
interface Settings {
  corpus: string;
  tokenizer: (typeof TOKENIZERS)[number] | null;
  level: (typeof LEVELS)[number];
  mode: (typeof MODES)[number];
  cell: (typeof CELLS)[number];
  layers: number;
  units: number;
  embeddingSize: number;
  sequenceLength: number;
  batch: number;
  lr: number;
  dropout: number;
  recurrentDropout: number;
  validation: number;
  minCount: number;
  seed: number;
}

/** Settings flags: their names (the first is the canonical one, then aliases) and defaults. */
const SETTING_FLAGS: Record<Exclude<keyof Settings, 'seed' | 'tokenizer' | 'sequenceLength'>, string> = {
  corpus: '--corpus',
  level: '--level',
  mode: '--mode',
  cell: '--cell',
  layers: '--layers',
  units: '--units',
  embeddingSize: '--embedding-size',
  batch: '--batch',
  lr: '--lr',
  dropout: '--dropout',
  recurrentDropout: '--recurrent-dropout',
  validation: '--validation',
  minCount: '--min-count',
};

interface TrainFlags {
  corpus?: string;
  tokenizer?: string;
  level?: string;
  mode?: string;
  cell?: string;
  layers?: string;
  units?: string;
  hidden?: string;
  embeddingSize?: string;
  sequenceLength?: string;
  window?: string;
  batch?: string;
  epochs?: string;
  steps?: string;
  lr?: string;
  dropout?: string;
  recurrentDropout?: string;
  validation?: string;
  patience?: string;
  minCount?: string;
  ngramOrder?: string;
  save?: string;
  resume?: string;
}

interface CompleteFlags {
  model: string;
  prompt: string;
  words: string;
  temperature: string;
  topK: string;
}

/** One epoch as printed (a JSON line under `--json`). */
interface EpochRow {
  epoch: number;
  seconds: number;
  trainLoss: number;
  validationPerplexity: number | null;
}

/** Training facts kept in the checkpoint's meta so that `--resume` continues exactly. */
interface LmMeta {
  command: 'lm train';
  settings: Settings;
  /** CRC-32 of the training and held-out token ids: the same corpus and split on resume. */
  dataCrc: number;
  epochs: number;
  steps: number | null;
  patience: number | null;
  history: EpochRow[];
  best: { epoch: number; validationPerplexity: number } | null;
  /** Epochs since the best one (early stopping). */
  wait: number;
  stoppedEarly: boolean;
  /** The epoch in progress: its batches' loss sum and count, and their seconds (an interrupted epoch). */
  partial: { epoch: number; lossSum: number; batches: number; seconds: number } | null;
}

/**
 * The corpus text: `alice` is Alice's Adventures in Wonderland, `gutenberg` the 18 NLTK Gutenberg
 * books, any other `wordloom datasets` name (e.g. `chapter-alice`, the chapter's Listing 4-5 passage),
 * else a text file.
 */
async function corpusText(name: string): Promise<string> {
  const { listCorpora, loadCorpus } = await import('@wordloom/datasets');
  if (name === 'alice') return loadCorpus('carroll-alice');
  if (listCorpora().some((c) => c.name === name)) return loadCorpus(name);
  try {
    return await readFile(name, 'utf8');
  } catch (error) {
    throw new UnavailableError(
      name,
      `--corpus: '${name}' is neither 'alice', 'gutenberg', a corpus name (wordloom datasets) nor a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
}

/**
 * Tokens of a text. Word level: `chapter` = Listing 4-4's lower-case + split on white space
 * (punctuation stays on the words), `whitespace` = split on white space, case kept (text already
 * tokenized), `words` = lower-cased words with inner apostrophes/hyphens, punctuation dropped.
 * Character level: the lower-cased characters (code points), every run of white space one space.
 */
async function tokenize(text: string, level: Settings['level'], tokenizer: Settings['tokenizer']) {
  if (level === 'char') return Array.from(text.toLowerCase().replace(/\s+/gu, ' ').trim());
  if (tokenizer === 'chapter') return (await import('@wordloom/rnn')).tokenizeWords(text);
  if (tokenizer === 'whitespace') return text.split(/\s+/u).filter((t) => t.length > 0);
  return (await import('@wordloom/datasets')).tokenizeWords(text);
}

/** A token stream split for held-out evaluation, with its vocabulary and ids. */
export interface LmData {
  tokens: number;
  vocabulary: string[];
  train: Int32Array;
  validation: Int32Array;
  /** Held-out tokens outside the vocabulary (read as `<unk>`). */
  unknownValidation: number;
}

/**
 * Holds out the LAST `fraction` of the token stream (contiguous, as Keras' `validation_split`); the
 * vocabulary is every token of the training part seen at least `minCount` times, by descending
 * frequency (ties by first occurrence), plus `<unk>`, which every other token becomes.
 */
export function splitTokens(tokens: readonly string[], fraction: number, minCount: number): LmData {
  const held = Math.round(tokens.length * fraction);
  const cut = tokens.length - held;
  const counts = new Map<string, number>();
  for (let i = 0; i < cut; i++) counts.set(tokens[i], (counts.get(tokens[i]) ?? 0) + 1);
  const vocabulary = [...counts.entries()]
    .filter(([w, c]) => c >= minCount && w !== UNKNOWN_TOKEN)
    .sort((a, b) => b[1] - a[1])
    .map(([w]) => w);
  vocabulary.push(UNKNOWN_TOKEN);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const unk = vocabulary.length - 1;
  const ids = Int32Array.from(tokens, (t) => index.get(t) ?? unk);
  let unknownValidation = 0;
  for (let i = cut; i < ids.length; i++) if (ids[i] === unk) unknownValidation++;
  return {
    tokens: tokens.length,
    vocabulary,
    train: ids.subarray(0, cut),
    validation: ids.subarray(cut),
    unknownValidation,
  };
}

/** Refuses an explicitly given flag whose value differs from the checkpoint being resumed. */
function sameAsCheckpoint(flag: string, given: unknown, saved: unknown): void {
  if (given !== undefined && given !== saved)
    throw new FlagError(flag, `${given} differs from the checkpoint being resumed (${saved}); drop the flag`);
}

function parseSettings(flags: TrainFlags, seed: number): { given: Partial<Settings>; settings: Settings } {
  if (flags.units !== undefined && flags.hidden !== undefined)
    throw new FlagError('--hidden', 'is an alias of --units; give only one');
  if (flags.sequenceLength !== undefined && flags.window !== undefined)
    throw new FlagError('--window', 'is an alias of --sequence-length; give only one');
  const level = flags.level === undefined ? undefined : choiceFlag(flags.level, '--level', LEVELS);
  const tokenizer =
    flags.tokenizer === undefined ? undefined : choiceFlag(flags.tokenizer, '--tokenizer', TOKENIZERS);
  if (level === 'char' && tokenizer !== undefined)
    throw new FlagError('--tokenizer', 'applies to --level word only (characters need no tokenizer)');
  const mode = flags.mode === undefined ? undefined : choiceFlag(flags.mode, '--mode', MODES);
  const sequenceLength = integerFlag(
    flags.sequenceLength ?? flags.window,
    flags.window === undefined ? '--sequence-length' : '--window',
    { min: 1, max: 10_000 },
  );
  const given: Partial<Settings> = {
    corpus: flags.corpus,
    tokenizer,
    level,
    mode,
    cell: flags.cell === undefined ? undefined : choiceFlag(flags.cell, '--cell', CELLS),
    layers: integerFlag(flags.layers, '--layers', { min: 1, max: 16 }),
    units: integerFlag(flags.units ?? flags.hidden, flags.hidden === undefined ? '--units' : '--hidden', {
      min: 1,
      max: 4096,
    }),
    embeddingSize: integerFlag(flags.embeddingSize, '--embedding-size', { min: 0, max: 4096 }),
    sequenceLength,
    batch: integerFlag(flags.batch, '--batch', { min: 1, max: 100_000 }),
    lr: numberFlag(flags.lr, '--lr', { min: 0, exclusiveMin: true }),
    dropout: numberFlag(flags.dropout, '--dropout', { min: 0, max: 0.95 }),
    recurrentDropout: numberFlag(flags.recurrentDropout, '--recurrent-dropout', { min: 0, max: 0.95 }),
    validation: numberFlag(flags.validation, '--validation', { min: 0, max: 0.5 }),
    minCount: integerFlag(flags.minCount, '--min-count', { min: 1 }),
  };
  const finalLevel = level ?? 'word';
  const finalMode = mode ?? 'full';
  const settings: Settings = {
    corpus: given.corpus ?? 'alice',
    tokenizer: finalLevel === 'char' ? null : (tokenizer ?? 'words'),
    level: finalLevel,
    mode: finalMode,
    cell: given.cell ?? 'lstm',
    layers: given.layers ?? 2,
    units: given.units ?? 256,
    embeddingSize: given.embeddingSize ?? 128,
    // Window mode: Listing 4-4's 3 words of context; full mode: 32-step truncated BPTT.
    sequenceLength: sequenceLength ?? (finalMode === 'window' ? 3 : 32),
    batch: given.batch ?? 32,
    lr: given.lr ?? 0.001,
    dropout: given.dropout ?? 0,
    recurrentDropout: given.recurrentDropout ?? 0,
    validation: given.validation ?? 0.1,
    minCount: given.minCount ?? 1,
    seed,
  };
  return { given, settings };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function train(ctx: CliContext, flags: TrainFlags): Promise<void> {
  const fn = 'wordloom lm train';
  // Installs the Ctrl-C handlers now, before any slow work.
  const interrupted = ctx.signal;
  const parsed = parseSettings(flags, ctx.seed);
  const epochsFlag = integerFlag(flags.epochs, '--epochs', { min: 1, max: 100_000 });
  const stepsFlag = integerFlag(flags.steps, '--steps', { min: 1, max: 100_000_000 });
  if (epochsFlag !== undefined && stepsFlag !== undefined)
    throw new FlagError('--steps', 'stops after a number of batches; give --epochs or --steps, not both');
  const patienceFlag = integerFlag(flags.patience, '--patience', { min: 1, max: 100_000 });
  const ngramOrder = integerFlag(flags.ngramOrder, '--ngram-order', { min: 1, max: 16 }) ?? 5;
  const resumeDir = flags.resume;
  // Probed before any work: a mistyped --save must not cost a training run.
  const save =
    flags.save !== undefined
      ? await outputDirFlag(flags.save, '--save')
      : resumeDir !== undefined
        ? await outputDirFlag(resumeDir, '--resume')
        : undefined;

  const backend = await ctx.useBackend();
  const tf = await import('@tensorflow/tfjs-core');
  const { LanguageModel, TrainingDivergedError } = await import('@wordloom/rnn');
  const { loadCheckpoint, saveCheckpoint } = await import('@wordloom/rnn/node');

  let model: LanguageModel | undefined;
  let optimizer: tf.Optimizer | undefined;
  let bestWeights: tf.Tensor[] | null = null;
  const bar: { current: ReturnType<CliContext['progress']> | null } = { current: null };
  try {
    let settings: Settings;
    let meta: LmMeta;
    let initialState: TrainingState | undefined;
    if (resumeDir !== undefined) {
      const loaded = await loadCheckpoint(resumeDir);
      model = loaded.model as LanguageModel;
      optimizer = loaded.optimizer ?? undefined;
      const m = loaded.meta as Partial<LmMeta>;
      if (!(loaded.model instanceof LanguageModel) || m.command !== 'lm train' || !m.settings)
        throw new FlagError('--resume', `${resumeDir} is not a checkpoint written by wordloom lm train`);
      if (!loaded.optimizer || !loaded.state)
        throw new FlagError('--resume', `${resumeDir} holds no optimizer or training state to continue from`);
      meta = m as LmMeta;
      settings = meta.settings;
      const given = parsed.given;
      for (const key of Object.keys(SETTING_FLAGS) as Array<keyof typeof SETTING_FLAGS>)
        sameAsCheckpoint(SETTING_FLAGS[key], given[key], settings[key]);
      sameAsCheckpoint('--tokenizer', given.tokenizer, settings.tokenizer);
      sameAsCheckpoint('--sequence-length', given.sequenceLength, settings.sequenceLength);
      if (process.argv.includes('--seed')) sameAsCheckpoint('--seed', ctx.seed, settings.seed);
      sameAsCheckpoint('--patience', patienceFlag, meta.patience ?? undefined);
      initialState = loaded.state;
      if (epochsFlag !== undefined || stepsFlag !== undefined) {
        meta.epochs = epochsFlag ?? meta.epochs;
        meta.steps = stepsFlag ?? null;
      }
      if (meta.best) {
        // The best epoch's weights, kept beside the checkpoint, are what training ends with.
        const best = await loadCheckpoint(join(resumeDir, 'best'));
        bestWeights = best.model.variables.map((v) => tf.clone(v));
        best.model.dispose();
        best.optimizer?.dispose();
      }
    } else {
      settings = parsed.settings;
      meta = {
        command: 'lm train',
        settings,
        dataCrc: 0,
        epochs: epochsFlag ?? 10,
        steps: stepsFlag ?? null,
        patience: patienceFlag ?? null,
        history: [],
        best: null,
        wait: 0,
        stoppedEarly: false,
        partial: null,
      };
      if (meta.patience !== null && settings.validation === 0)
        throw new FlagError('--patience', 'watches the held-out perplexity; it needs --validation > 0');
    }

    const data = splitTokens(
      await tokenize(await corpusText(settings.corpus), settings.level, settings.tokenizer),
      settings.validation,
      settings.minCount,
    );
    const validate = settings.validation > 0;
    if (validate && data.validation.length < 2)
      throw new FlagError(
        '--validation',
        `holds out ${data.validation.length} token(s) of ${data.tokens}; the corpus is too small`,
      );
    const context = settings.mode === 'window' ? settings.sequenceLength : 1;
    if (data.train.length <= context)
      throw new InvalidArgumentError(
        '--corpus',
        fn,
        `more than ${context} training tokens`,
        `${data.train.length} tokens`,
      );
    if (data.vocabulary.length < 2)
      throw new FlagError('--min-count', `${settings.minCount} leaves no word in the vocabulary`);
    const ids = new Int32Array(data.train.length + data.validation.length);
    ids.set(data.train);
    ids.set(data.validation, data.train.length);
    const crc = crc32(new Uint8Array(ids.buffer));
    if (resumeDir !== undefined) {
      if (
        crc !== meta.dataCrc ||
        (model as LanguageModel).vocabulary.join('\n') !== data.vocabulary.join('\n')
      )
        throw new FlagError(
          '--resume',
          `the corpus '${settings.corpus}' is not the one the checkpoint was trained on (its tokens or vocabulary differ)`,
        );
    } else {
      meta.dataCrc = crc;
      model = new LanguageModel({
        vocabulary: data.vocabulary,
        mode: settings.mode,
        window: settings.mode === 'window' ? settings.sequenceLength : 3,
        sequenceLength: settings.sequenceLength,
        cell: settings.cell,
        layers: settings.layers,
        units: settings.units,
        embeddingSize: settings.embeddingSize,
        level: settings.level,
        dropout: settings.dropout,
        recurrentDropout: settings.recurrentDropout,
        unknownToken: UNKNOWN_TOKEN,
        seed: settings.seed,
      });
      optimizer = tf.train.adam(settings.lr);
    }
    const lm = model as LanguageModel;
    const opt = optimizer as tf.Optimizer;
    const snapshot = () => {
      if (bestWeights) tf.dispose(bestWeights);
      bestWeights = lm.variables.map((v) => tf.clone(v));
    };
    const checkpoint = (state: TrainingState | null) =>
      save
        ? saveCheckpoint(save, {
            model: lm,
            optimizer: opt,
            state,
            meta: meta as unknown as Record<string, unknown>,
          })
        : Promise.resolve();

    ctx.log(
      `${settings.layers}-layer ${settings.cell.toUpperCase()} ${settings.units}, ${settings.mode} mode (${settings.sequenceLength} ${settings.level === 'char' ? 'characters' : 'words'}), on '${settings.corpus}': ${data.train.length} training + ${data.validation.length} held-out tokens, vocabulary ${data.vocabulary.length} (with ${UNKNOWN_TOKEN}), backend ${backend.name}${resumeDir ? `; resuming ${resumeDir} at epoch ${(initialState as TrainingState).epoch + 1}, batch ${(initialState as TrainingState).batch}` : ''}`,
    );
    const stopper = new AbortController();
    let clock = performance.now();
    let result: FitResult;
    try {
      result = await lm.fit(data.train, {
        epochs: meta.epochs,
        steps: meta.steps ?? undefined,
        batchSize: settings.batch,
        optimizer: opt,
        seed: settings.seed,
        initialState,
        // Held out by the CLI so that the vocabulary comes from the training part only.
        ...(validate ? { validationData: data.validation } : {}),
        signal: AbortSignal.any([interrupted, stopper.signal]),
        onBatchEnd: ({ epoch, batch, batches, loss }) => {
          if (meta.partial?.epoch !== epoch) meta.partial = { epoch, lossSum: 0, batches: 0, seconds: 0 };
          const now = performance.now();
          meta.partial.lossSum += loss;
          meta.partial.batches++;
          meta.partial.seconds += (now - clock) / 1000;
          clock = now;
          bar.current ??= ctx.progress(`epoch ${epoch + 1}`, batches);
          bar.current.update(batch + 1, `loss ${loss.toFixed(4)}`);
        },
        onEpochEnd: async (info, state) => {
          bar.current?.stop();
          bar.current = null;
          const partial = meta.partial;
          const validationPerplexity = info.validationPerplexity ?? null;
          const row: EpochRow = {
            epoch: info.epoch,
            seconds: round(partial?.seconds ?? info.seconds, 3),
            trainLoss: round(partial ? partial.lossSum / partial.batches : info.loss, 5),
            validationPerplexity: validationPerplexity === null ? null : round(validationPerplexity, 4),
          };
          meta.partial = null;
          meta.history.push(row);
          if (ctx.json) process.stdout.write(`${JSON.stringify(row)}\n`);
          else
            ctx.log(
              `epoch ${row.epoch}: ${row.seconds} s, train loss ${row.trainLoss}${row.validationPerplexity === null ? '' : `, held-out perplexity ${row.validationPerplexity}`}`,
            );
          if (validationPerplexity !== null) {
            if (!meta.best || validationPerplexity < meta.best.validationPerplexity) {
              meta.best = { epoch: info.epoch, validationPerplexity };
              meta.wait = 0;
              snapshot();
              if (save) await saveCheckpoint(join(save, 'best'), { model: lm, meta: { epoch: info.epoch } });
            } else if (meta.patience !== null && ++meta.wait >= meta.patience) {
              meta.stoppedEarly = true;
              stopper.abort();
            }
          }
          await checkpoint(state);
          clock = performance.now();
        },
      });
    } catch (error) {
      throw divergedAsLrError(error, flags.lr ?? settings.lr, TrainingDivergedError);
    }
    bar.current?.stop();

    if (interrupted.aborted && !meta.stoppedEarly) {
      // Stopped by Ctrl-C after a batch: keep what the batch loop saw so a resume reports it too.
      await checkpoint(result.state);
      const where = `epoch ${result.state.epoch + 1}, batch ${result.state.batch}`;
      ctx.print(
        save
          ? `interrupted at ${where}; checkpoint saved in ${save} (continue with: wordloom lm train --resume ${save})`
          : `interrupted at ${where}; nothing saved (no --save)`,
        { interrupted: true, state: result.state, checkpoint: save ?? null },
      );
      process.exitCode = 130;
      return;
    }

    if (bestWeights) {
      const restored = bestWeights;
      lm.variables.forEach((v, i) => {
        v.assign(restored[i]);
      });
    }
    const words = (part: Int32Array) => Array.from(part, (id) => data.vocabulary[id]);
    const { NgramLanguageModel } = await import('@wordloom/text-vsm');
    // The traditional baseline on the same split and vocabulary, fit on the training part only.
    const ngram = NgramLanguageModel.fit([words(data.train)], { order: ngramOrder });
    const heldOut = validate ? data.validation : data.train;
    const lstmPerplexity = validate
      ? (meta.best as NonNullable<LmMeta['best']>).validationPerplexity
      : lm.evaluate(data.train).perplexity;
    const ngramPerplexity = ngram.perplexity([words(heldOut)]);
    await checkpoint(result.state);
    const summary = {
      backend,
      corpus: settings.corpus,
      level: settings.level,
      tokenizer: settings.tokenizer,
      mode: settings.mode,
      cell: settings.cell,
      layers: settings.layers,
      units: settings.units,
      embeddingSize: settings.embeddingSize,
      sequenceLength: settings.sequenceLength,
      batch: settings.batch,
      learningRate: settings.lr,
      tokens: data.tokens,
      trainTokens: data.train.length,
      validationTokens: data.validation.length,
      vocabulary: data.vocabulary.length,
      minCount: settings.minCount,
      unknownValidationRate: validate ? round(data.unknownValidation / data.validation.length, 5) : null,
      epochs: meta.history,
      bestEpoch: meta.best?.epoch ?? null,
      stoppedEarly: meta.stoppedEarly,
      validationPerplexity: validate ? round(lstmPerplexity, 4) : null,
      ngramOrder,
      ngramValidationPerplexity: validate ? round(ngramPerplexity, 4) : null,
      trainPerplexity: validate ? null : round(lstmPerplexity, 4),
      ngramTrainPerplexity: validate ? null : round(ngramPerplexity, 4),
      seed: settings.seed,
      checkpoint: save ?? null,
    };
    const on = validate
      ? `the held-out last ${100 * settings.validation}%`
      : 'the training text (no --validation)';
    ctx.print(
      [
        `${settings.layers}-layer ${settings.cell.toUpperCase()} ${settings.units} on '${settings.corpus}' (${data.tokens} tokens, vocabulary ${data.vocabulary.length}), backend ${backend.name}`,
        `perplexity on ${on}: ${settings.cell.toUpperCase()} ${round(lstmPerplexity, 2)}${meta.best ? ` (epoch ${meta.best.epoch}${meta.stoppedEarly ? ', stopped early' : ''})` : ''}, ${ngramOrder}-gram Kneser–Ney ${round(ngramPerplexity, 2)}`,
        ...(save ? [`saved to ${save}`] : []),
      ],
      summary,
    );
  } finally {
    bar.current?.stop();
    optimizer?.dispose();
    model?.dispose();
    if (bestWeights) tf.dispose(bestWeights);
  }
}

/**
 * `wordloom lm train | complete`: a recurrent language model (Listing 4-4's word-level 2-layer LSTM, or
 * character level, window or full-history mode) trained on a corpus with its last fraction held out;
 * held-out perplexity per epoch against a Kneser–Ney n-gram fit on the same training part and
 * vocabulary; Ctrl-C saves a resumable checkpoint; then sentence completion from a saved model.
 */
export function registerLm(program: Command): void {
  const lm = program
    .command('lm')
    .description(
      'RNN language model: train with held-out perplexity vs an n-gram, complete sentences (Listing 4-4)',
    );
  lm.command('train')
    .description(
      'train a language model; per epoch {"epoch","seconds","trainLoss","validationPerplexity"} (a JSON line under --json), then a summary with the n-gram baseline',
    )
    .option(
      '--corpus <name|file>',
      "'alice' (Alice in Wonderland), 'gutenberg' (18 books), a corpus name (e.g. chapter-alice, the chapter’s passage) or a text file (default alice)",
    )
    .option(
      '--tokenizer <name>',
      "word level: 'chapter' (lower-case, split on spaces, Listing 4-4), 'whitespace' (split on spaces, case kept) or 'words' (lower-cased words, no punctuation) (default words)",
    )
    .option('--level <level>', "'word' or 'char' (default word)")
    .option(
      '--mode <mode>',
      "'window' (predict from the last --sequence-length tokens) or 'full' (from the whole history, truncated BPTT) (default full)",
    )
    .option('--cell <type>', 'lstm, gru or rnn (default lstm)')
    .option('--layers <n>', 'stacked recurrent layers (default 2)')
    .option('--units <n>', 'units per layer (default 256)')
    .option('--hidden <n>', 'alias of --units')
    .option('--embedding-size <n>', 'learned embedding size, 0 = one-hot input (default 128)')
    .option(
      '--sequence-length <n>',
      'full mode: BPTT segment length (default 32); window mode: tokens of context (default 3)',
    )
    .option('--window <n>', 'alias of --sequence-length')
    .option('--batch <n>', 'mini-batch size (full mode: parallel streams) (default 32)')
    .option('--epochs <n>', 'passes over the training part (default 10)')
    .option('--steps <n>', 'stop after this many mini-batches instead of --epochs')
    .option('--lr <rate>', 'Adam learning rate (default 0.001)')
    .option('--dropout <p>', 'dropout on layer inputs and outputs (default 0)')
    .option('--recurrent-dropout <p>', 'variational dropout on h(t-1) (default 0)')
    .option('--validation <f>', 'hold out the LAST fraction f of the token stream, 0..0.5 (default 0.1)')
    .option('--patience <n>', 'stop after n epochs without a better held-out perplexity (default: never)')
    .option('--min-count <n>', 'vocabulary: training tokens seen at least n times, plus <unk> (default 1)')
    .option('--ngram-order <n>', 'order of the Kneser–Ney baseline (default 5)')
    .option(
      '--save <dir>',
      'checkpoint folder, written every epoch and on Ctrl-C (weights, optimizer, training state)',
    )
    .option(
      '--resume <dir>',
      'continue the training saved in <dir> (same data, split and vocabulary) exactly where it stopped',
    )
    .action(action(train));
  lm.command('complete')
    .description('continue a prompt with a saved language model (greedy, or temperature / top-k sampling)')
    .requiredOption('--model <dir>', 'a directory written by `wordloom lm train`')
    .requiredOption('--prompt <text>', 'the words to continue (window mode: at least the window)')
    .option('--words <n>', 'tokens to generate', '28')
    .option('--temperature <t>', '0 = greedy arg-max; > 0 samples from softmax(logits / t) with --seed', '0')
    .option('--top-k <k>', 'sample only among the k most likely tokens (0 = all)', '0')
    .action(action(complete));
}

async function complete(ctx: CliContext, flags: CompleteFlags): Promise<void> {
  const fn = 'wordloom lm complete';
  const words = integerFlag(flags.words, '--words', { min: 0, max: 100_000 }) as number;
  const temperature = numberFlag(flags.temperature, '--temperature', { min: 0 }) as number;
  const topK = integerFlag(flags.topK, '--top-k', { min: 0 }) as number;
  const backend = await ctx.useBackend();
  const { LanguageModel } = await import('@wordloom/rnn');
  const { loadCheckpoint } = await import('@wordloom/rnn/node');
  const { model, optimizer, meta } = await loadCheckpoint(flags.model);
  optimizer?.dispose();
  try {
    if (!(model instanceof LanguageModel))
      throw new InvalidArgumentError(
        '--model',
        fn,
        'a language model checkpoint (wordloom lm train)',
        flags.model,
      );
    const settings = (meta as Partial<LmMeta>).settings;
    const level = settings?.level ?? 'word';
    // Read the prompt as the model's training text was read.
    const prompt = await tokenize(flags.prompt, level, settings?.tokenizer ?? 'chapter');
    const known = new Set(model.vocabulary);
    const unknown = prompt.filter((t) => !known.has(t));
    if (unknown.length > 0 && known.has(UNKNOWN_TOKEN))
      ctx.log(
        `prompt tokens outside the vocabulary, read as ${UNKNOWN_TOKEN}: ${[...new Set(unknown)].join(' ')}`,
      );
    const input = known.has(UNKNOWN_TOKEN) ? prompt.map((t) => (known.has(t) ? t : UNKNOWN_TOKEN)) : prompt;
    let generated: string[];
    try {
      generated = model.complete(input, { words, temperature, topK, seed: ctx.seed });
    } catch (error) {
      if (InvalidArgumentError.isInstance(error) && error.argument === 'prompt')
        throw new InvalidArgumentError(
          '--prompt',
          fn,
          error.message.replace(/^Argument 'prompt' passed to 'complete' must be /, ''),
        );
      throw error;
    }
    const join = level === 'char' ? '' : ' ';
    const text = [...prompt, ...generated].join(join);
    ctx.print(text, {
      backend,
      prompt: prompt.join(join),
      words: generated,
      text,
      temperature,
      topK,
      seed: ctx.seed,
    });
  } finally {
    model.dispose();
  }
}
