import { InvalidArgumentError } from '@wordloom/core';
import { isMnistSet, type MnistSet, selectMnist } from '../mnist/mnist-set.js';

/**
 * What the batching helpers take: an array of examples, an {@link MnistSet}, or a count `n` (then they
 * work on the indices `0 … n-1` and hand back `Uint32Array`s of indices, to gather from your own data).
 */
export type Batchable<T> = readonly T[] | MnistSet | number;

/** The type of a subset of a {@link Batchable}: an array, an MnistSet, or indices. */
export type Subset<D> = D extends number
  ? Uint32Array
  : D extends MnistSet
    ? MnistSet
    : D extends readonly (infer T)[]
      ? T[]
      : never;

/** Number of examples in `data`. */
export function sizeOf<T>(data: Batchable<T>, functionName: string): number {
  if (typeof data === 'number') {
    if (!Number.isInteger(data) || data < 0 || data > 0xffffffff) {
      throw new InvalidArgumentError(
        'data',
        functionName,
        'an array, an MnistSet or a count in [0, 2^32)',
        data,
      );
    }
    return data;
  }
  if (Array.isArray(data)) return data.length;
  if (isMnistSet(data)) return data.count;
  throw new InvalidArgumentError('data', functionName, 'an array, an MnistSet or a count', data);
}

/** The examples of `data` at `indices`, in that order. */
export function selectItems<T>(
  data: Batchable<T>,
  indices: Uint32Array,
): readonly T[] | MnistSet | Uint32Array {
  if (typeof data === 'number') return indices;
  if (Array.isArray(data)) {
    const out = new Array<T>(indices.length);
    for (let k = 0; k < indices.length; k++) out[k] = (data as readonly T[])[indices[k]];
    return out;
  }
  return selectMnist(data as MnistSet, indices);
}
