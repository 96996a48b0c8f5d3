import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertNumber, assertOneOf } from '@wordloom/core';
import { loadMnist } from '@wordloom/datasets';
import { type EpochInfo, SequenceClassifier, type SequenceDataset, type TrainingState } from '@wordloom/rnn';
import { fileSystemIO, saveCheckpoint } from '@wordloom/rnn/node';
import type { Command } from 'commander';
import { action } from '../context.js';

interface MnistFlags {
  cell: string;
  epochs: string;
  batch: string;
  hidden: string;
  lr: string;
  trainLimit?: string;
  save?: string;
  format: string;
}

/**
 * `wordloom mnist`: Listing 4-3 — an LSTM (or GRU / simple RNN) reads each MNIST digit row by row
 * (28 steps × 28 pixels) and classifies it from its last hidden state; per epoch the time, the training
 * loss and the accuracy on the full 10,000-image test set.
 */
export function registerMnist(program: Command): void {
  program
    .command('mnist')
    .description('train the chapter’s row-by-row LSTM MNIST classifier (Listing 4-3) and test it each epoch')
    .option('--cell <type>', 'lstm, gru or rnn', 'lstm')
    .option('--epochs <n>', 'passes over the training set', '2')
    .option('--batch <n>', 'mini-batch size', '128')
    .option('--hidden <n>', 'hidden units', '128')
    .option('--lr <rate>', 'Adam learning rate', '0.001')
    .option('--train-limit <n>', 'train on the first n of the 60,000 images')
    .option('--save <dir>', 'write the model to this directory after every epoch (see --format)')
    .option(
      '--format <format>',
      'what --save writes: checkpoint (weights, config, optimizer state; resumable) or layers (the TF.js ' +
        'Layers format, model.json + weights.bin, read by tf.loadLayersModel; a GRU then uses the reset-before ' +
        'form, the one tfjs-layers has)',
      'checkpoint',
    )
    .action(
      action(async (ctx, flags: MnistFlags) => {
        const fn = 'wordloom mnist';
        const cell = assertOneOf(flags.cell, ['lstm', 'gru', 'rnn'] as const, '--cell', fn);
        const format = assertOneOf(flags.format, ['checkpoint', 'layers'] as const, '--format', fn);
        const epochs = assertInteger(Number(flags.epochs), '--epochs', fn, 1, 1000);
        const batchSize = assertInteger(Number(flags.batch), '--batch', fn, 1, 60_000);
        const units = assertInteger(Number(flags.hidden), '--hidden', fn, 1, 4096);
        const learningRate = assertNumber(Number(flags.lr), '--lr', fn, { min: 0, exclusiveMin: true });
        const limit =
          flags.trainLimit === undefined
            ? undefined
            : assertInteger(Number(flags.trainLimit), '--train-limit', fn, 1, 60_000);
        const backend = await ctx.useBackend();

        const toSet = (s: Awaited<ReturnType<typeof loadMnist>>): SequenceDataset => ({
          inputs: s.images,
          labels: s.labels,
          count: s.count,
          steps: s.rows,
          features: s.cols,
        });
        const train = toSet(await loadMnist({ split: 'train', limit, dtype: 'uint8' }));
        const test = toSet(await loadMnist({ split: 'test', dtype: 'uint8' }));
        const model = new SequenceClassifier({
          inputSize: 28,
          classes: 10,
          cell,
          units,
          seed: ctx.seed,
          // tfjs-layers has only the reset-before GRU (it throws on resetAfter: true).
          ...(format === 'layers' ? { resetAfter: false } : {}),
        });
        const save = async (state: TrainingState | null) => {
          if (!flags.save) return;
          if (format === 'layers') {
            // Loaded only here: tfjs-layers is needed for this format alone.
            const { toLayersModel } = await import('@wordloom/rnn/layers');
            const layers = toLayersModel(model, { steps: 28 });
            try {
              await layers.save(fileSystemIO(flags.save));
            } finally {
              layers.dispose();
            }
          } else
            await saveCheckpoint(flags.save, {
              model,
              optimizer,
              state,
              meta: { command: 'mnist', history: epochRows },
            });
        };
        const optimizer = tf.train.adam(learningRate);
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        const epochRows: Array<{
          epoch: number;
          seconds: number;
          trainLoss: number;
          trainAccuracy: number;
          testAccuracy: number;
        }> = [];
        const batches = Math.ceil(train.count / batchSize);
        let bar = ctx.progress('epoch 1', batches);
        try {
          const result = await model.fit(train, {
            epochs,
            batchSize,
            optimizer,
            seed: ctx.seed,
            signal: controller.signal,
            onBatchEnd: ({ batch, loss }) => bar.update(batch + 1, `loss ${loss.toFixed(4)}`),
            onEpochEnd: async (info: EpochInfo, state) => {
              bar.stop();
              const { accuracy } = model.evaluate(test);
              const row = {
                epoch: info.epoch,
                seconds: round(info.seconds, 2),
                trainLoss: round(info.loss, 5),
                trainAccuracy: round(info.accuracy, 5),
                testAccuracy: round(accuracy, 5),
              };
              epochRows.push(row);
              ctx.log(
                `epoch ${row.epoch}: ${row.seconds} s, train loss ${row.trainLoss}, test accuracy ${row.testAccuracy}`,
              );
              await save(state);
              if (info.epoch < epochs) bar = ctx.progress(`epoch ${info.epoch + 1}`, batches);
            },
          });
          bar.stop();
          if (result.aborted) await save(result.state);
          ctx.print(
            [
              `MNIST rows → ${cell.toUpperCase()} ${units} → softmax 10, batch ${batchSize}, Adam ${learningRate}, ${train.count} training images, backend ${backend.name}`,
              ...epochRows.map(
                (r) =>
                  `epoch ${r.epoch}: ${r.seconds} s, train loss ${r.trainLoss}, test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (10,000 images)`,
              ),
              ...(result.aborted ? ['interrupted'] : []),
              ...(flags.save
                ? [`${format === 'layers' ? 'TF.js Layers model' : 'checkpoint'}: ${flags.save}`]
                : []),
            ],
            {
              backend,
              cell,
              hidden: units,
              batch: batchSize,
              learningRate,
              trainImages: train.count,
              testImages: test.count,
              epochs: epochRows,
              interrupted: result.aborted,
              checkpoint: flags.save && format === 'checkpoint' ? flags.save : null,
              layersModel: flags.save && format === 'layers' ? flags.save : null,
            },
          );
        } finally {
          process.removeListener('SIGINT', onSigint);
          optimizer.dispose();
          model.dispose();
        }
      }),
    );
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
