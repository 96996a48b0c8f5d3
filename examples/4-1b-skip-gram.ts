// Listing 4-1b: the chapter's skip-gram network on its Deep Learning paragraph, then a t-SNE map (Fig 4-6).
import { selectBackend } from '@wordloom/backend';
import { CHAPTER_DEEP_LEARNING_SKIP_GRAM } from '@wordloom/datasets';
import { trainBookSkipGram } from '@wordloom/embeddings';
import { scatterPlot, tsne } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';

const backend = await selectBackend();
const result = trainBookSkipGram(CHAPTER_DEEP_LEARNING_SKIP_GRAM, {
  gradients: 'analytic',
  repeatFirstBatch: true,
  onEpoch: (epoch, loss) => {
    if ((epoch + 1) % 20 === 0) console.log(`epoch: ${epoch} loss: ${loss.toFixed(6)}`);
  },
});
const { vectors } = result;
console.log(`backend ${backend.name}: ${vectors.size} words × ${vectors.dim}`);
console.log('printed loss of the last epoch:', result.printedLossPerEpoch.at(-1));
console.log(
  'nearest to "signals":',
  vectors
    .mostSimilar({ positive: ['signals'], topN: 3 })
    .map((s) => s.word)
    .join(', '),
);

const map = await tsne({ data: vectors.vectors, rows: vectors.size, cols: vectors.dim }, { perplexity: 10 });
const file = process.argv[2] ?? '4-1b-skip-gram.svg';
await writeFigure(
  scatterPlot({
    points: map.embedding,
    labels: vectors.words,
    title: 'Skip-gram word embeddings (Fig 4-6)',
    width: 900,
    height: 800,
  }),
  file,
);
console.log(`plot: ${file}`);
