import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist, type MnistSet } from '@wordloom/datasets';
import { SequenceClassifier, type SequenceDataset } from '@wordloom/rnn';
import { saveCheckpoint } from '@wordloom/rnn/node';
import { linePlot } from '@wordloom/viz';
import type { TourReporter } from '../tour-reporter.js';
import type { TourSizes } from '../tour-sizes.js';
import { type FigureFiles, writeFigureFiles } from './figure-files.js';

/** What the MNIST LSTM stage measured. */
export interface MnistStageResult {
  trainImages: number;
  testImages: number;
  units: number;
  epochs: number;
  batchSize: number;
  seconds: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Loss of every training batch. */
  batchLosses: number[];
  figure: FigureFiles;
  /** Checkpoint folder, relative to the output folder. */
  checkpoint: string;
}

function asSequences(set: MnistSet): SequenceDataset {
  return { inputs: set.images, labels: set.labels, count: set.count, steps: set.rows, features: set.cols };
}

/**
 * Listing 4-3: each MNIST digit read row by row (28 steps of 28 pixels) by an LSTM whose last hidden
 * state feeds a 10-way softmax; Adam 1e-3, batches of 128, on a training subset sized to the time
 * budget; accuracy on the test images; the model saved as a checkpoint for the page's drawing pad.
 */
export async function runMnistStage(
  out: string,
  sizes: TourSizes,
  seed: number,
  reporter: TourReporter,
  signal?: AbortSignal,
): Promise<MnistStageResult> {
  const train = asSequences(await loadMnist({ split: 'train', limit: sizes.mnistTrain, dtype: 'uint8' }));
  const test = asSequences(await loadMnist({ split: 'test', limit: sizes.mnistTest, dtype: 'uint8' }));
  const batchSize = 128;
  const model = new SequenceClassifier({
    inputSize: 28,
    classes: 10,
    cell: 'lstm',
    units: sizes.mnistUnits,
    seed,
  });
  const optimizer = tf.train.adam(0.001);
  const batches = Math.ceil(train.count / batchSize) * sizes.mnistEpochs;
  const bar = reporter.progress('LSTM on MNIST rows', batches);
  const batchLosses: number[] = [];
  const started = performance.now();
  try {
    const result = await model.fit(train, {
      epochs: sizes.mnistEpochs,
      batchSize,
      optimizer,
      seed,
      signal,
      onBatchEnd: ({ loss, accuracy }) => {
        batchLosses.push(loss);
        bar.update(batchLosses.length, `loss ${loss.toFixed(4)} acc ${accuracy.toFixed(3)}`);
      },
    });
    bar.stop();
    signal?.throwIfAborted();
    const seconds = (performance.now() - started) / 1000;
    const last = result.history[result.history.length - 1];
    const evaluation = model.evaluate(test);
    const checkpoint = 'models/mnist-lstm';
    await saveCheckpoint(join(out, checkpoint), {
      model,
      meta: { trainImages: train.count, testAccuracy: evaluation.accuracy },
    });
    const figure = await writeFigureFiles(
      out,
      'mnist-loss',
      'LSTM training loss per batch',
      linePlot({
        series: [{ name: 'batch loss', y: batchLosses }],
        title: `LSTM (${sizes.mnistUnits} units) on MNIST rows: training loss`,
        xLabel: 'batch',
        yLabel: 'cross-entropy',
      }),
    );
    reporter.log(
      `MNIST LSTM: ${train.count} images in ${seconds.toFixed(1)} s, test accuracy ${(100 * evaluation.accuracy).toFixed(2)}% on ${test.count}`,
    );
    return {
      trainImages: train.count,
      testImages: test.count,
      units: sizes.mnistUnits,
      epochs: sizes.mnistEpochs,
      batchSize,
      seconds,
      trainLoss: last.loss,
      trainAccuracy: last.accuracy,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      batchLosses,
      figure,
      checkpoint,
    };
  } finally {
    bar.stop();
    optimizer.dispose();
    model.dispose();
  }
}
