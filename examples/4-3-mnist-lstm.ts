// Listing 4-3: MNIST digits read row by row (28 steps × 28 pixels) by an LSTM of 128 units; Adam 0.001,
// batches of 128. Arguments: training images (default 6,400) and epochs (default 1).
import { selectBackend } from '@wordloom/backend';
import { loadMnist } from '@wordloom/datasets';
import { SequenceClassifier } from '@wordloom/rnn';

const trainImages = Number(process.argv[2] ?? 6400);
const epochs = Number(process.argv[3] ?? 1);
const backend = await selectBackend();
const asSequences = (set: Awaited<ReturnType<typeof loadMnist>>) => ({
  inputs: set.images,
  labels: set.labels,
  count: set.count,
  steps: set.rows,
  features: set.cols,
});
const train = asSequences(await loadMnist({ split: 'train', limit: trainImages, dtype: 'uint8' }));
const test = asSequences(await loadMnist({ split: 'test', limit: 500, dtype: 'uint8' }));
const model = new SequenceClassifier({ inputSize: 28, classes: 10, cell: 'lstm', units: 128 });
await model.fit(train, {
  epochs,
  batchSize: 128,
  learningRate: 0.001,
  onBatchEnd: ({ epoch, batch, loss, accuracy }) => {
    if ((batch + 1) % 10 === 0)
      console.log(
        `Epoch: ${epoch + 1},step:${batch + 1}, Minibatch Loss= ${loss.toFixed(6)}, Training Accuracy= ${accuracy.toFixed(5)}`,
      );
  },
});
console.log('Optimization Finished!');
console.log(`Testing Accuracy: ${model.evaluate(test).accuracy} (500 test images, backend ${backend.name})`);
model.dispose();
