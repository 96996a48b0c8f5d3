import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { ENGLISH_STOP_WORDS } from './stop-words.js';
import { createTokenizer, tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('lowercases and extracts Unicode words keeping inner apostrophes', () => {
    expect(tokenize("Don't stop—the café's 2 dogs!")).toEqual([
      "don't",
      'stop',
      'the',
      "café's",
      '2',
      'dogs',
    ]);
    expect(tokenize('Ελληνικά και Русский, naïve')).toEqual(['ελληνικά', 'και', 'русский', 'naïve']);
    expect(tokenize("rock 'n' roll")).toEqual(['rock', 'n', 'roll']);
  });

  it('honours every option', () => {
    expect(tokenize('The Dog', { lowercase: false })).toEqual(['The', 'Dog']);
    expect(tokenize("don't", { keepApostrophes: false })).toEqual(['don', 't']);
    expect(tokenize('The dog and a cat', { stopWords: ENGLISH_STOP_WORDS })).toEqual(['dog', 'cat']);
    expect(tokenize('a bb ccc', { minLength: 2 })).toEqual(['bb', 'ccc']);
    expect(tokenize('  pre-tokenized   TEXT,  kept\tas is ', { mode: 'whitespace' })).toEqual([
      'pre-tokenized',
      'text,',
      'kept',
      'as',
      'is',
    ]);
  });

  it('returns no tokens for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ... !!! ')).toEqual([]);
    expect(tokenize('   ', { mode: 'whitespace' })).toEqual([]);
  });

  it('rejects bad options and input with typed errors', () => {
    expect(() => createTokenizer({ mode: 'regex' as never })).toThrow(/Argument 'mode'/);
    expect(() => createTokenizer({ minLength: 0 })).toThrow(InvalidArgumentError);
    expect(() => tokenize(42 as never)).toThrow(/Argument 'text' passed to 'tokenize' must be a string/);
  });
});
