// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20).
import {
  buildCooccurrence,
  type CooccurrenceMatrix,
  KeyedVectors,
  svdEmbeddings,
} from '@wordloom/embeddings';

const kv: KeyedVectors = new KeyedVectors(['a', 'b'], new Float32Array([1, 0, 0, 1]), 2);
const odd: string = kv.doesntMatch(['a', 'b']);
const best: string = kv.analogy('a', 'b', 'a')[0].word;
const pending: Promise<CooccurrenceMatrix> = buildCooccurrence([['a', 'b']], { window: 1 });
pending.then((counts) => {
  const dim: number = svdEmbeddings(counts, { dim: 1 }).vectors.dim;
  return dim;
});

// @ts-expect-error the vectors are a Float32Array
new KeyedVectors(['a'], [1, 2], 2);

export { best, odd };
