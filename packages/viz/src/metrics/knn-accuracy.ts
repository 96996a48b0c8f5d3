import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { nearestNeighbours } from '../tsne/knn.js';

/** Options of {@link knnAccuracy}. */
export interface KnnAccuracyOptions {
  /** Neighbours that vote. @default 5 */
  k?: number;
}

/**
 * Leave-one-out k-nearest-neighbour classification accuracy of an embedding: each point is labelled by the
 * majority label of its k nearest other points (a tie goes to the tied label whose member is nearest), and
 * the result is the fraction labelled correctly. Near 1 when classes form separate clusters in the map.
 */
export async function knnAccuracy(
  embedded: MatrixInput,
  labels: ArrayLike<number | string>,
  options: KnnAccuracyOptions = {},
): Promise<number> {
  const fn = 'knnAccuracy';
  const y = toDenseMatrix(embedded, 'embedded', fn);
  const n = y.rows;
  if (labels.length !== n)
    throw new InvalidArgumentError('labels', fn, `one label per row (${n})`, labels.length);
  const k = options.k ?? 5;
  assertInteger(k, 'k', fn, 1, n - 1);
  const { indices } = await nearestNeighbours(y, k);
  let correct = 0;
  const votes = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    votes.clear();
    let most = 0;
    for (let c = 0; c < k; c++) {
      const label = labels[indices[i * k + c]];
      const v = (votes.get(label) ?? 0) + 1;
      votes.set(label, v);
      if (v > most) most = v;
    }
    // Neighbours come nearest first: the first label with the most votes wins ties.
    let best: number | string = labels[indices[i * k]];
    for (let c = 0; c < k; c++) {
      const label = labels[indices[i * k + c]];
      if (votes.get(label) === most) {
        best = label;
        break;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct / n;
}
