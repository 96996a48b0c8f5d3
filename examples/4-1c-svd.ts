// Listing 4-1c: word vectors from the SVD of the co-occurrence matrix of three sentences.
// Run: pnpm example 4-1c-svd   (see examples/README.md)
import { buildCooccurrence, svdEmbeddings } from '@wordloom/embeddings';
import { scatterPlot } from '@wordloom/viz';
import { writeFigure } from '@wordloom/viz/node';

const corpus = ['I like Machine Learning.', 'I like  TensorFlow.', 'I prefer Python.'];
// The listing's tokenisation: whitespace, and a trailing '.' becomes its own token.
const docs = corpus.map((doc) =>
  doc
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((x) => (x.split('.').length === 2 ? [x.split('.')[0], '.'] : x.split('.'))),
);
const matrix = await buildCooccurrence(docs, { window: 1 });
console.log('co_occurence_matrix follows:');
console.log(matrix.words.join(' '));
for (const row of matrix.toDense()) console.log(`[${row.map((x) => `${x}.`).join(' ')}]`);

// X = U S Vᵀ; each word is plotted at (U[i,0], U[i,1]) as in Fig 4-8.
const { vectors, singularValues } = svdEmbeddings(matrix, { dim: matrix.size });
console.log('singular values:', Array.from(singularValues, (s) => s.toFixed(3)).join(' '));
const points = matrix.words.map((_, i) => [
  vectors.vectors[i * vectors.dim],
  vectors.vectors[i * vectors.dim + 1],
]);
for (const [i, w] of matrix.words.entries())
  console.log(w.padEnd(11), points[i].map((v) => v.toFixed(3)).join(' '));
const file = process.argv[2] ?? '4-1c-svd.svg';
await writeFigure(
  scatterPlot({ points, labels: matrix.words, title: 'Word-Embeddings Plot (Fig 4-8)' }),
  file,
);
console.log(`plot: ${file}`);
