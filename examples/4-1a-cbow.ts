// Listing 4-1a: the chapter's continuous-bag-of-words network (128-d embeddings, Adam 0.001, 100 epochs
// of batches of 10) on its Deep Learning paragraph, then a t-SNE map of the learned vectors (Fig 4-4).
import { selectBackend } from '@wordloom/backend';
import { CHAPTER_DEEP_LEARNING } from '@wordloom/datasets';
import { trainBookCbow } from '@wordloom/embeddings';
import { scatterPlot, tsne } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';

const backend = await selectBackend();
// `repeatFirstBatch` reproduces the listing's loop, which never advances batch_index.
const result = trainBookCbow(CHAPTER_DEEP_LEARNING, {
  gradients: 'analytic',
  repeatFirstBatch: true,
  onEpoch: (epoch, loss) => {
    if ((epoch + 1) % 20 === 0) console.log(`epoch: ${epoch} loss: ${loss.toExponential(4)}`);
  },
});
const { vectors } = result;
console.log(`backend ${backend.name}: ${vectors.size} words × ${vectors.dim}`);
console.log('printed loss of the last epoch:', result.printedLossPerEpoch.at(-1));
console.log(
  'nearest to "deep":',
  vectors
    .mostSimilar({ positive: ['deep'], topN: 3 })
    .map((s) => s.word)
    .join(', '),
);

const map = await tsne({ data: vectors.vectors, rows: vectors.size, cols: vectors.dim }, { perplexity: 10 });
const file = process.argv[2] ?? '4-1a-cbow.svg';
await writeFigure(
  scatterPlot({
    points: map.embedding,
    labels: vectors.words,
    title: 'CBOW word embeddings (Fig 4-4)',
    width: 900,
    height: 800,
  }),
  file,
);
console.log(`plot: ${file}`);
