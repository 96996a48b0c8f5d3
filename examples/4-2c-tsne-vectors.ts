// Listing 4-2c: a 2-D t-SNE map of king, queen, man, woman and the first 100 words of a vector file (Fig 4-10).
import { selectBackend } from '@wordloom/backend';
import { loadVectors } from '@wordloom/embeddings/node';
import { scatterPlot, tsne } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';

await selectBackend();
const file = process.argv[2] ?? 'out/vectors/glove.txt';
const vectors = await loadVectors(file);
const chosen = ['king', 'queen', 'man', 'woman'].filter((w) => vectors.has(w));
const words = [...chosen, ...vectors.words.slice(0, 100).filter((w) => !chosen.includes(w))];
const rows = words.map((w) => vectors.vector(w));
const map = await tsne(rows, { perplexity: 20, seed: 1 });
const out = process.argv[3] ?? '4-2c-tsne.svg';
await writeFigure(
  scatterPlot({
    points: map.embedding,
    labels: words,
    title: '2D TSNE vector plot (Fig 4-10)',
    width: 900,
    height: 800,
  }),
  out,
);
const at = (i: number) =>
  Array.from(map.embedding.data.subarray(2 * i, 2 * i + 2), (v) => v.toFixed(1)).join(', ');
for (let i = 0; i < chosen.length; i++) console.log(words[i].padEnd(6), at(i));
console.log(`plot: ${out}`);
