import { assertInteger, Random } from '@wordloom/core';
import { type Batchable, type Subset, selectItems, sizeOf } from './select.js';

/** Seed option shared by the batching helpers. */
export interface SeedOptions {
  /**
   * Seed of the shuffle: the same seed gives the same order on every platform (sfc32 from
   * `@wordloom/core`'s `Random`). Use e.g. `seed + epoch` for a new order each epoch.
   * @default 0
   */
  seed?: number;
}

/** A seeded random permutation of `0 … count-1` (Fisher–Yates). */
export function shuffledIndices(count: number, options: SeedOptions = {}): Uint32Array {
  assertInteger(count, 'count', 'shuffledIndices', 0, 0xffffffff);
  const seed = assertInteger(options.seed ?? 0, 'seed', 'shuffledIndices', -(2 ** 31), 2 ** 32 - 1);
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return new Random(seed).shuffle(indices);
}

/**
 * A seeded shuffled copy of `data` (an array, an MnistSet, or a count → shuffled indices).
 * Deterministic: the same seed gives the same order.
 */
export function shuffle<D extends Batchable<unknown>>(data: D, options: SeedOptions = {}): Subset<D> {
  const indices = shuffledIndices(sizeOf(data, 'shuffle'), options);
  return selectItems(data, indices) as Subset<D>;
}
