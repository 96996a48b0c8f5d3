import { describe, expect, it } from 'vitest';
import { assertInteger, assertNonEmptyString, assertNumber, assertOneOf } from './validate.js';

describe('validation helpers', () => {
  it('return valid values unchanged', () => {
    expect(assertInteger(5, 'n', 'f', 1, 10)).toBe(5);
    expect(assertNumber(0.5, 'lr', 'f', { min: 0, exclusiveMin: true })).toBe(0.5);
    expect(assertNonEmptyString('cat', 'word', 'f')).toBe('cat');
    expect(assertOneOf('l2', ['l1', 'l2'] as const, 'norm', 'f')).toBe('l2');
  });

  it('reject bad values with the argument named', () => {
    expect(() => assertInteger(0, 'topN', 'mostSimilar', 1)).toThrow(
      "Argument 'topN' passed to 'mostSimilar' must be an integer in [1, 9007199254740991], got 0",
    );
    expect(() => assertNumber(Number.NaN, 'lr', 'train')).toThrow(
      /'lr' passed to 'train' must be a finite number/,
    );
    expect(() => assertNumber(0, 'lr', 'train', { min: 0, exclusiveMin: true })).toThrow(/> 0/);
    expect(() => assertNonEmptyString('', 'word', 'vector')).toThrow(/must be a non-empty string, got ""/);
    expect(() => assertOneOf('l3', ['l1', 'l2'], 'norm', 'tfidf')).toThrow(
      /must be one of 'l1', 'l2', got "l3"/,
    );
  });
});
