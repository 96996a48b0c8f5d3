import { assertNumber } from '@wordloom/core';
import { type Batchable, type Subset, selectItems, sizeOf } from './select.js';
import { type SeedOptions, shuffledIndices } from './shuffle.js';

/** Options of {@link trainValidationSplit}. */
export interface TrainValidationSplitOptions extends SeedOptions {
  /**
   * Fraction of the examples held out for validation, in [0, 1]; the count is rounded to the nearest
   * integer.
   * @default 0.1
   */
  validationFraction?: number;
  /**
   * Shuffle (seeded) before splitting. With `false` the validation set is the last examples, like
   * Keras's `validationSplit`.
   * @default true
   */
  shuffle?: boolean;
}

/**
 * Splits `data` (an array, an MnistSet, or a count → indices) into disjoint training and validation
 * subsets that together hold every example once. Deterministic for a given seed.
 */
export function trainValidationSplit<D extends Batchable<unknown>>(
  data: D,
  options: TrainValidationSplitOptions = {},
): { train: Subset<D>; validation: Subset<D> } {
  const { validationFraction = 0.1, shuffle = true } = options;
  assertNumber(validationFraction, 'validationFraction', 'trainValidationSplit', { min: 0, max: 1 });
  const count = sizeOf(data, 'trainValidationSplit');
  let order: Uint32Array;
  if (shuffle) order = shuffledIndices(count, options);
  else {
    order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
  }
  const trainCount = count - Math.round(count * validationFraction);
  return {
    train: selectItems(data, order.subarray(0, trainCount)) as Subset<D>,
    validation: selectItems(data, order.slice(trainCount)) as Subset<D>,
  };
}
