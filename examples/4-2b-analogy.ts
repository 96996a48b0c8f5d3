// Listing 4-2b: pseudo_king = queen − woman + man, and its cosine similarity with king.
import { loadVectors } from '@wordloom/embeddings/node';

const file = process.argv[2] ?? 'out/vectors/glove.txt';
const vectors = await loadVectors(file);
const missing = ['king', 'queen', 'man', 'woman'].filter((w) => !vectors.has(w));
if (missing.length > 0) {
  console.error(`${file} has no vector for ${missing.join(', ')}`);
  process.exit(1);
}
const [king, queen, man, woman] = ['king', 'queen', 'man', 'woman'].map((w) => vectors.vector(w));
const pseudoKing = queen.map((q, i) => q - woman[i] + man[i]);
const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
let dot = 0;
for (let i = 0; i < vectors.dim; i++) dot += pseudoKing[i] * king[i];
console.log('Cosine Similarity', (dot / (norm(pseudoKing) * norm(king))).toFixed(6));
// The same question as a search over the whole vocabulary (3CosAdd, inputs excluded).
const nearest = vectors.mostSimilar({ positive: ['queen', 'man'], negative: ['woman'], topN: 3 });
console.log('queen − woman + man ≈', nearest.map((s) => `${s.word} (${s.similarity.toFixed(3)})`).join(', '));
