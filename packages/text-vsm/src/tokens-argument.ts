import { InvalidArgumentError } from '@wordloom/core';

/**
 * Throws unless `value` is an array of strings (tokens); returns it. A string is refused with a message
 * saying to tokenize it: iterated as an array it would silently give one token per character.
 */
export function assertTokens(value: unknown, argument: string, fn: string): readonly string[] {
  if (typeof value === 'string') {
    throw new InvalidArgumentError(
      argument,
      fn,
      'an array of tokens, not a string (pass tokenize(text), or text.split(" ") for pre-tokenized text)',
      value,
    );
  }
  if (!Array.isArray(value)) throw new InvalidArgumentError(argument, fn, 'an array of string tokens', value);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string')
      throw new InvalidArgumentError(`${argument}[${i}]`, fn, 'a string token', value[i]);
  }
  return value;
}

/**
 * Throws unless `value` is an array of token arrays (one per document or sentence); returns it. A string,
 * or an array of strings, is refused with a message saying to tokenize each text.
 */
export function assertTokenArrays(
  value: unknown,
  argument: string,
  fn: string,
): readonly (readonly string[])[] {
  if (typeof value === 'string' || !Array.isArray(value)) {
    throw new InvalidArgumentError(
      argument,
      fn,
      'an array of token arrays (pass texts.map((text) => tokenize(text)))',
      value,
    );
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] === 'string') {
      throw new InvalidArgumentError(
        `${argument}[${i}]`,
        fn,
        'an array of tokens, not a string (pass texts.map((text) => tokenize(text)))',
        value[i],
      );
    }
    assertTokens(value[i], `${argument}[${i}]`, fn);
  }
  return value;
}
