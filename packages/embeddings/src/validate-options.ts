import { InvalidArgumentError } from '@wordloom/core';

/**
 * Throws when `options` is not a plain object or names an option outside `known` (a misspelt option
 * must not be silently ignored, as Keras' `fit` refuses unknown keyword arguments).
 */
export function assertKnownOptions(options: unknown, known: readonly string[], functionName: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidArgumentError('options', functionName, 'an object of options', options);
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new InvalidArgumentError(
        key,
        functionName,
        `one of its options (${known.join(', ')}); there is no option '${key}'`,
      );
}
