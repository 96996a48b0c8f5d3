import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { UnavailableError } from './unavailable-error.js';
import { WordloomError } from './wordloom-error.js';

describe('WordloomError', () => {
  it('is recognised across package copies through its registered symbol', () => {
    // An error from another copy of @wordloom/core carries the same Symbol.for marker, not our prototype.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('wordloom.error')]: true });
    expect(foreign instanceof WordloomError).toBe(false);
    expect(WordloomError.isInstance(foreign)).toBe(true);
    expect(WordloomError.isInstance(new Error('plain'))).toBe(false);
    expect(WordloomError.isInstance(null)).toBe(false);
  });

  it('names the argument, the function, what was expected and what came', () => {
    const e = new InvalidArgumentError('topN', 'mostSimilar', 'a positive integer', -3);
    expect(e.message).toBe("Argument 'topN' passed to 'mostSimilar' must be a positive integer, got -3");
    expect(e.argument).toBe('topN');
    expect(WordloomError.isInstance(e)).toBe(true);
    expect(InvalidArgumentError.isInstance(e)).toBe(true);
    expect(UnavailableError.isInstance(e)).toBe(false);
  });

  it('keeps the subclass name and cause', () => {
    const cause = new Error('ENOENT');
    const e = new UnavailableError('@tensorflow/tfjs-node', 'not installed', { cause });
    expect(e.name).toBe('UnavailableError');
    expect(e.cause).toBe(cause);
    expect(e.missing).toBe('@tensorflow/tfjs-node');
  });
});
