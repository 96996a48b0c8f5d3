// Listing 4-4: a 2-layer LSTM predicts the next word of the Alice passage (Listing 4-5) from the previous
// three, then completes "i only wish" with 28 words.
import { selectBackend } from '@wordloom/backend';
import { loadCorpus } from '@wordloom/datasets';
import { LanguageModel, tokenizeWords } from '@wordloom/rnn';

const backend = await selectBackend();
const trainData = tokenizeWords(await loadCorpus('chapter-alice'));
// Listing 4-4 uses 512 units; 128 learn this passage as well in a fraction of the time.
const model = LanguageModel.fromTokens(trainData, {
  window: 3,
  layers: 2,
  units: Number(process.argv[2] ?? 128),
});
await model.fit(trainData, {
  epochs: 40,
  batchSize: 32,
  learningRate: 0.01,
  onEpochEnd: (info) => {
    if (info.epoch % 10 === 0)
      console.log(
        `Epoch= ${info.epoch}, Average Loss= ${info.loss.toFixed(6)}, Average Accuracy= ${(100 * info.accuracy).toFixed(2)}%`,
      );
  },
});
console.log(`Training Completed! (backend ${backend.name})`);
const sentence = 'i only wish';
console.log('Complete sentence follows!');
console.log(`${sentence} ${model.complete(sentence, { words: 28 }).join(' ')}`);
model.dispose();
