import { assertInteger } from '@wordloom/core';
import { type Batchable, type Subset, selectItems, sizeOf } from './select.js';
import { type SeedOptions, shuffledIndices } from './shuffle.js';

/** Options of {@link batches}. */
export interface BatchesOptions extends SeedOptions {
  /**
   * Drop the last batch when it is smaller than `size` (keeps every batch the same shape).
   * @default false
   */
  dropLast?: boolean;
  /**
   * Visit the examples in a seeded random order (see `seed`) rather than in order.
   * @default false
   */
  shuffle?: boolean;
}

/**
 * Mini-batches of `size` examples from `data` (an array, an MnistSet, or a count → index batches),
 * in order or in a seeded shuffled order. Lazy: each batch is gathered when the loop asks for it.
 */
export function* batches<D extends Batchable<unknown>>(
  data: D,
  size: number,
  options: BatchesOptions = {},
): Generator<Subset<D>, void, undefined> {
  assertInteger(size, 'size', 'batches', 1);
  const { dropLast = false, shuffle = false } = options;
  const count = sizeOf(data, 'batches');
  const order = shuffle ? shuffledIndices(count, options) : undefined;
  const end = dropLast ? count - (count % size) : count;
  for (let start = 0; start < end; start += size) {
    const stop = Math.min(start + size, count);
    let indices: Uint32Array;
    if (order) indices = order.slice(start, stop);
    else {
      indices = new Uint32Array(stop - start);
      for (let k = 0; k < indices.length; k++) indices[k] = start + k;
    }
    yield selectItems(data, indices) as Subset<D>;
  }
}

/** Number of batches {@link batches} yields for `count` examples. */
export function batchCount(count: number, size: number, options: { dropLast?: boolean } = {}): number {
  assertInteger(count, 'count', 'batchCount', 0);
  assertInteger(size, 'size', 'batchCount', 1);
  return options.dropLast ? Math.floor(count / size) : Math.ceil(count / size);
}
