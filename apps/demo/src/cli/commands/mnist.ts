import type * as tf from '@tensorflow/tfjs-core';
import type { SequenceClassifier, SequenceDataset, TrainingState } from '@wordloom/rnn';
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

const CELLS = ['lstm', 'gru', 'rnn'] as const;
const FORMATS = ['checkpoint', 'layers'] as const;

interface MnistFlags {
  cell?: string;
  epochs?: string;
  batch?: string;
  units?: string;
  hidden?: string;
  lr?: string;
  trainLimit?: string;
  validation?: string;
  save?: string;
  resume?: string;
  format?: string;
}

/** What decides the data and the model: saved in the checkpoint, fixed on `--resume`. */
interface Settings {
  cell: (typeof CELLS)[number];
  units: number;
  batch: number;
  lr: number;
  trainLimit: number | null;
  validation: number;
  seed: number;
}

const SETTING_FLAGS: Record<Exclude<keyof Settings, 'seed'>, string> = {
  cell: '--cell',
  units: '--units',
  batch: '--batch',
  lr: '--lr',
  trainLimit: '--train-limit',
  validation: '--validation',
};

interface EpochRow {
  epoch: number;
  seconds: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number | null;
  validationAccuracy: number | null;
  testAccuracy: number;
}

interface MnistMeta {
  command: 'mnist';
  settings: Settings;
  epochs: number;
  history: EpochRow[];
  /** The epoch in progress (an interrupted one): its batches' sums, so a resume reports the whole epoch. */
  partial: {
    epoch: number;
    lossSum: number;
    batches: number;
    correct: number;
    count: number;
    seconds: number;
  } | null;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The first `from`..`to` examples of a dataset, without copying. */
function slice(set: SequenceDataset, from: number, to: number): SequenceDataset {
  const per = set.steps * set.features;
  return {
    ...set,
    inputs: set.inputs.subarray(from * per, to * per),
    labels: (set.labels as Uint8Array).subarray(from, to),
    count: to - from,
  };
}

function sameAsCheckpoint(flag: string, given: unknown, saved: unknown): void {
  if (given !== undefined && given !== saved)
    throw new FlagError(flag, `${given} differs from the checkpoint being resumed (${saved}); drop the flag`);
}

async function run(ctx: CliContext, flags: MnistFlags): Promise<void> {
  // Installs the Ctrl-C handlers now, before any slow work.
  const interrupted = ctx.signal;
  if (flags.units !== undefined && flags.hidden !== undefined)
    throw new FlagError('--hidden', 'is an alias of --units; give only one');
  const given: Partial<Settings> = {
    cell: flags.cell === undefined ? undefined : choiceFlag(flags.cell, '--cell', CELLS),
    units: integerFlag(flags.units ?? flags.hidden, flags.hidden === undefined ? '--units' : '--hidden', {
      min: 1,
      max: 4096,
    }),
    batch: integerFlag(flags.batch, '--batch', { min: 1, max: 60_000 }),
    lr: numberFlag(flags.lr, '--lr', { min: 0, exclusiveMin: true }),
    trainLimit: integerFlag(flags.trainLimit, '--train-limit', { min: 1, max: 60_000 }),
    validation: numberFlag(flags.validation, '--validation', { min: 0, max: 0.5 }),
  };
  const format = choiceFlag(flags.format ?? 'checkpoint', '--format', FORMATS);
  const epochsFlag = integerFlag(flags.epochs, '--epochs', { min: 1, max: 1000 });
  if (flags.resume !== undefined && format === 'layers')
    throw new FlagError('--format', 'layers files hold no optimizer state; --resume continues a checkpoint');
  // Probed before any work: a mistyped --save must not cost a training run.
  const save =
    flags.save !== undefined
      ? await outputDirFlag(flags.save, '--save')
      : flags.resume !== undefined
        ? await outputDirFlag(flags.resume, '--resume')
        : undefined;

  const backend = await ctx.useBackend();
  const tf = await import('@tensorflow/tfjs-core');
  const { loadMnist } = await import('@wordloom/datasets');
  const { SequenceClassifier, TrainingDivergedError } = await import('@wordloom/rnn');
  const { fileSystemIO, loadCheckpoint, saveCheckpoint } = await import('@wordloom/rnn/node');

  let model: SequenceClassifier | undefined;
  let optimizer: tf.Optimizer | undefined;
  const bar: { current: ReturnType<CliContext['progress']> | null } = { current: null };
  try {
    let settings: Settings;
    let meta: MnistMeta;
    let initialState: TrainingState | undefined;
    if (flags.resume !== undefined) {
      const loaded = await loadCheckpoint(flags.resume);
      model = loaded.model as SequenceClassifier;
      optimizer = loaded.optimizer ?? undefined;
      const m = loaded.meta as Partial<MnistMeta>;
      if (!(loaded.model instanceof SequenceClassifier) || m.command !== 'mnist' || !m.settings)
        throw new FlagError('--resume', `${flags.resume} is not a checkpoint written by wordloom mnist`);
      if (!loaded.optimizer || !loaded.state)
        throw new FlagError(
          '--resume',
          `${flags.resume} holds no optimizer or training state to continue from`,
        );
      meta = m as MnistMeta;
      settings = meta.settings;
      for (const key of Object.keys(SETTING_FLAGS) as Array<keyof typeof SETTING_FLAGS>)
        sameAsCheckpoint(SETTING_FLAGS[key], given[key], settings[key]);
      if (process.argv.includes('--seed')) sameAsCheckpoint('--seed', ctx.seed, settings.seed);
      if (epochsFlag !== undefined) meta.epochs = epochsFlag;
      initialState = loaded.state;
    } else {
      settings = {
        cell: given.cell ?? 'lstm',
        units: given.units ?? 128,
        batch: given.batch ?? 128,
        lr: given.lr ?? 0.001,
        trainLimit: given.trainLimit ?? null,
        validation: given.validation ?? 0,
        seed: ctx.seed,
      };
      meta = { command: 'mnist', settings, epochs: epochsFlag ?? 2, history: [], partial: null };
    }

    const toSet = (s: Awaited<ReturnType<typeof loadMnist>>): SequenceDataset => ({
      inputs: s.images,
      labels: s.labels,
      count: s.count,
      steps: s.rows,
      features: s.cols,
    });
    const all = toSet(
      await loadMnist({ split: 'train', limit: settings.trainLimit ?? undefined, dtype: 'uint8' }),
    );
    const test = toSet(await loadMnist({ split: 'test', dtype: 'uint8' }));
    // Keras' validation_split: the LAST fraction of the training images, before any shuffling.
    const held = Math.round(all.count * settings.validation);
    if (settings.validation > 0 && (held < 1 || held >= all.count))
      throw new FlagError(
        '--validation',
        `${settings.validation} of ${all.count} training images leaves ${held} held out (expected at least 1, and 1 to train on)`,
      );
    const train = slice(all, 0, all.count - held);
    const validation = held > 0 ? slice(all, all.count - held, all.count) : null;
    if (!model) {
      model = new SequenceClassifier({
        inputSize: 28,
        classes: 10,
        cell: settings.cell,
        units: settings.units,
        seed: settings.seed,
        // tfjs-layers has only the reset-before GRU (it throws on resetAfter: true).
        ...(format === 'layers' ? { resetAfter: false } : {}),
      });
      optimizer = tf.train.adam(settings.lr);
    }
    const net = model;
    const opt = optimizer as tf.Optimizer;
    const write = async (state: TrainingState | null) => {
      if (!save) return;
      if (format === 'layers') {
        // Loaded only here: tfjs-layers is needed for this format alone.
        const { toLayersModel } = await import('@wordloom/rnn/layers');
        const layers = toLayersModel(net, { steps: 28 });
        try {
          await layers.save(fileSystemIO(save));
        } finally {
          layers.dispose();
        }
      } else
        await saveCheckpoint(save, {
          model: net,
          optimizer: opt,
          state,
          meta: meta as unknown as Record<string, unknown>,
        });
    };

    let clock = performance.now();
    let result: Awaited<ReturnType<SequenceClassifier['fit']>>;
    try {
      result = await net.fit(train, {
        epochs: meta.epochs,
        batchSize: settings.batch,
        optimizer: opt,
        seed: settings.seed,
        initialState,
        ...(validation ? { validationData: validation } : {}),
        signal: interrupted,
        onBatchEnd: ({ epoch, batch, batches, loss, accuracy }) => {
          if (meta.partial?.epoch !== epoch)
            meta.partial = { epoch, lossSum: 0, batches: 0, correct: 0, count: 0, seconds: 0 };
          const now = performance.now();
          // Batch accuracy × the batch's size (the last batch may be short).
          const size = Math.min(settings.batch, train.count - batch * settings.batch);
          meta.partial.lossSum += loss;
          meta.partial.batches++;
          meta.partial.correct += Math.round(accuracy * size);
          meta.partial.count += size;
          meta.partial.seconds += (now - clock) / 1000;
          clock = now;
          bar.current ??= ctx.progress(`epoch ${epoch + 1}`, batches);
          bar.current.update(batch + 1, `loss ${loss.toFixed(4)}`);
        },
        onEpochEnd: async (info, state) => {
          bar.current?.stop();
          bar.current = null;
          const p = meta.partial;
          const v =
            info.validationLoss === undefined
              ? null
              : { loss: info.validationLoss, accuracy: info.validationAccuracy as number };
          const row: EpochRow = {
            epoch: info.epoch,
            seconds: round(p?.seconds ?? info.seconds, 2),
            trainLoss: round(p ? p.lossSum / p.batches : info.loss, 5),
            trainAccuracy: round(p ? p.correct / p.count : info.accuracy, 5),
            validationLoss: v ? round(v.loss, 5) : null,
            validationAccuracy: v ? round(v.accuracy, 5) : null,
            testAccuracy: round(net.evaluate(test).accuracy, 5),
          };
          meta.partial = null;
          meta.history.push(row);
          ctx.log(
            `epoch ${row.epoch}: ${row.seconds} s, train loss ${row.trainLoss}${v ? `, validation accuracy ${row.validationAccuracy}` : ''}, test accuracy ${row.testAccuracy}`,
          );
          await write(state);
          clock = performance.now();
        },
      });
    } catch (error) {
      throw divergedAsLrError(error, flags.lr ?? settings.lr, TrainingDivergedError);
    }
    bar.current?.stop();
    if (result.aborted) {
      const where = `epoch ${result.state.epoch + 1}, batch ${result.state.batch}`;
      if (format === 'checkpoint') await write(result.state);
      ctx.print(
        !save
          ? `interrupted at ${where}; nothing saved (no --save)`
          : format === 'checkpoint'
            ? `interrupted at ${where}; checkpoint saved in ${save} (continue with: wordloom mnist --resume ${save})`
            : `interrupted at ${where}; ${save} holds the Layers model of the last complete epoch (not resumable)`,
        { interrupted: true, state: result.state, checkpoint: save && format === 'checkpoint' ? save : null },
      );
      process.exitCode = 130;
      return;
    }
    ctx.print(
      [
        `MNIST rows → ${settings.cell.toUpperCase()} ${settings.units} → softmax 10, batch ${settings.batch}, Adam ${settings.lr}, ${train.count} training images${validation ? ` + ${validation.count} held out` : ''}, backend ${backend.name}`,
        ...meta.history.map(
          (r) =>
            `epoch ${r.epoch}: ${r.seconds} s, train loss ${r.trainLoss}${r.validationAccuracy === null ? '' : `, validation accuracy ${(100 * r.validationAccuracy).toFixed(2)}%`}, test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (10,000 images)`,
        ),
        ...(save ? [`${format === 'layers' ? 'TF.js Layers model' : 'checkpoint'}: ${save}`] : []),
      ],
      {
        backend,
        cell: settings.cell,
        units: settings.units,
        batch: settings.batch,
        learningRate: settings.lr,
        trainImages: train.count,
        validationImages: validation?.count ?? 0,
        testImages: test.count,
        epochs: meta.history,
        interrupted: false,
        checkpoint: save && format === 'checkpoint' ? save : null,
        layersModel: save && format === 'layers' ? save : null,
      },
    );
  } finally {
    bar.current?.stop();
    optimizer?.dispose();
    model?.dispose();
  }
}

/**
 * `wordloom mnist`: Listing 4-3 — an LSTM (or GRU / simple RNN) reads each MNIST digit row by row
 * (28 steps × 28 pixels) and classifies it from its last hidden state; per epoch the time, the training
 * loss, the accuracy on the held-out last fraction of the training images (`--validation`) and on the
 * full 10,000-image test set. Ctrl-C saves a resumable checkpoint; `--resume` continues it exactly.
 */
export function registerMnist(program: Command): void {
  program
    .command('mnist')
    .description('train the chapter’s row-by-row LSTM MNIST classifier (Listing 4-3) and test it each epoch')
    .option('--cell <type>', 'lstm, gru or rnn (default lstm)')
    .option('--epochs <n>', 'passes over the training set (default 2)')
    .option('--batch <n>', 'mini-batch size (default 128)')
    .option('--units <n>', 'hidden units (default 128)')
    .option('--hidden <n>', 'alias of --units')
    .option('--lr <rate>', 'Adam learning rate (default 0.001)')
    .option('--train-limit <n>', 'train on the first n of the 60,000 images')
    .option('--validation <f>', 'hold out the LAST fraction f of the training images, 0..0.5 (default 0)')
    .option(
      '--save <dir>',
      'write the model to this directory after every epoch and on Ctrl-C (see --format)',
    )
    .option('--resume <dir>', 'continue the training saved in <dir> exactly where it stopped')
    .option(
      '--format <format>',
      'what --save writes: checkpoint (weights, config, optimizer state; resumable) or layers (the TF.js ' +
        'Layers format, model.json + weights.bin, read by tf.loadLayersModel; a GRU then uses the reset-before ' +
        'form, the one tfjs-layers has) (default checkpoint)',
    )
    .action(action(run));
}
