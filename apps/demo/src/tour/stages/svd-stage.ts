import { CHAPTER_THREE_SENTENCES } from '@wordloom/datasets';
import { buildCooccurrence, svdEmbeddings } from '@wordloom/embeddings';

/** Listing 4-1c's tokenisation: split on whitespace; a trailing '.' becomes its own token. */
export function listingTokens(doc: string): string[] {
  return doc
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((x) => (x.split('.').length === 2 ? [x.split('.')[0], '.'] : x.split('.')));
}

/** The co-occurrence matrix of the chapter's three sentences and its SVD word vectors. */
export interface SvdStageResult {
  sentences: readonly string[];
  words: string[];
  /** The 8×8 adjacent-word co-occurrence counts (Listing 4-1c prints the same matrix, rows permuted). */
  matrix: number[][];
  singularValues: number[];
  /** The first two columns of U: the points of Fig 4-8. */
  coordinates: Array<[number, number]>;
}

/** Listing 4-1c: co-occurrence counts of adjacent words in three sentences, then X = UΣVᵀ; words at U[:, :2]. */
export async function runSvdStage(): Promise<SvdStageResult> {
  const matrix = await buildCooccurrence(CHAPTER_THREE_SENTENCES.map(listingTokens), { window: 1 });
  const { vectors, singularValues } = svdEmbeddings(matrix, { dim: matrix.size, seed: 1 });
  const d = vectors.dim;
  return {
    sentences: CHAPTER_THREE_SENTENCES,
    words: [...matrix.words],
    matrix: matrix.toDense(),
    singularValues: [...singularValues],
    coordinates: matrix.words.map((_, i) => [vectors.vectors[i * d], vectors.vectors[i * d + 1]]),
  };
}
