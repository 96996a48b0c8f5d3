import { InvalidArgumentError } from '@wordloom/core';
import type { KeyedVectors } from '@wordloom/embeddings';

/** Distance the neighbours are ranked by, in the original (not the projected) space. */
export type Metric = 'cosine' | 'euclidean';

/** One neighbour: cosine similarity (higher is nearer) or euclidean distance (lower is nearer). */
export interface Neighbour {
  word: string;
  index: number;
  score: number;
}

/**
 * The `topN` nearest words to `word` in the original space, the word itself excluded. Cosine is
 * {@link KeyedVectors.mostSimilar} (gensim's `most_similar`, so the page agrees with the library to the
 * last digit); euclidean ranks by ‖v − w‖₂ ascending, as the Embedding Projector does.
 */
export function nearestNeighbours(
  vectors: KeyedVectors,
  word: string,
  metric: Metric,
  topN: number,
): Neighbour[] {
  if (metric === 'cosine')
    return vectors
      .mostSimilar({ positive: [word], topN })
      .map((s) => ({ word: s.word, index: vectors.indexOf(s.word), score: s.similarity }));
  if (metric !== 'euclidean')
    throw new InvalidArgumentError('metric', 'nearestNeighbours', "'cosine' or 'euclidean'", metric);
  const q = vectors.indexOf(word, 'nearestNeighbours');
  const { dim, size } = vectors;
  const data = vectors.vectors;
  const distances = new Float64Array(size);
  for (let r = 0; r < size; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const d = data[r * dim + k] - data[q * dim + k];
      s += d * d;
    }
    distances[r] = Math.sqrt(s);
  }
  // Keep the best topN with a bounded insertion list: O(size · topN) worst case, no full sort.
  const best: number[] = [];
  for (let r = 0; r < size; r++) {
    if (r === q || vectors.words[r] === word) continue;
    if (best.length === topN && distances[r] >= distances[best[topN - 1]]) continue;
    let at = best.length;
    while (at > 0 && distances[best[at - 1]] > distances[r]) at--;
    best.splice(at, 0, r);
    if (best.length > topN) best.pop();
  }
  return best.map((r) => ({ word: vectors.words[r], index: r, score: distances[r] }));
}
