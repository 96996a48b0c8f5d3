import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { Bm25 } from './bm25/bm25.js';
import { countVectors, oneHotVectors } from './count-vectorizer.js';
import { NgramLanguageModel } from './ngram/ngram-language-model.js';
import { Vocabulary } from './vocabulary.js';

// A string where a token array belongs would otherwise be iterated character by character, silently.
describe('strings where token arrays belong are refused, saying what to pass', () => {
  const docs = [
    ['the', 'cat', 'sat'],
    ['the', 'dog', 'ran'],
  ];
  const tokenHint = /must be an array of tokens, not a string \(pass tokenize\(text\)/;
  const listHint = /pass texts\.map\(\(text\) => tokenize\(text\)\)/;

  it('Bm25', () => {
    const bm = Bm25.fit(docs);
    expect(() => bm.scores('cat dog' as never)).toThrow(InvalidArgumentError);
    expect(() => bm.scores('cat dog' as never)).toThrow(/Argument 'query' passed to 'Bm25.scores'/);
    expect(() => bm.scores('cat dog' as never)).toThrow(tokenHint);
    expect(() => bm.scores([1, 2] as never)).toThrow(
      /Argument 'query\[0\]' passed to 'Bm25.scores' must be a string token/,
    );
    expect(() => Bm25.fit(['the cat sat'] as never)).toThrow(
      /Argument 'documents\[0\]' passed to 'Bm25.fit'/,
    );
    expect(() => Bm25.fit('the cat sat' as never)).toThrow(listHint);
  });

  it('NgramLanguageModel', () => {
    expect(() => NgramLanguageModel.fit('alice was' as never)).toThrow(
      /Argument 'sentences' passed to 'NgramLanguageModel.fit'/,
    );
    expect(() => NgramLanguageModel.fit(['alice was beginning'] as never)).toThrow(
      /Argument 'sentences\[0\]'.*not a string/,
    );
    const lm = NgramLanguageModel.fit(docs, { order: 2 });
    expect(() => lm.nextWord('the' as never)).toThrow(
      /Argument 'context' passed to 'NgramLanguageModel.nextWord'.*not a string/,
    );
    expect(() => lm.probability('cat', 'the' as never)).toThrow(/Argument 'context'/);
    expect(() => lm.probability(['cat'] as never)).toThrow(
      /Argument 'word' passed to 'NgramLanguageModel.probability'/,
    );
    expect(() => lm.distribution('the' as never)).toThrow(tokenHint);
    expect(() => lm.perplexity(['the cat sat'] as never)).toThrow(
      /Argument 'sentences\[0\]' passed to 'NgramLanguageModel.perplexity'/,
    );
    expect(lm.nextWord(['the'], 1)).toHaveLength(1);
  });

  it('Vocabulary, countVectors, oneHotVectors', () => {
    expect(() => Vocabulary.build(['the cat'] as never)).toThrow(
      /Argument 'documents\[0\]' passed to 'Vocabulary.build'/,
    );
    const v = Vocabulary.build(docs);
    expect(() => v.encode('cat' as never)).toThrow(
      /Argument 'tokens' passed to 'Vocabulary.encode'.*not a string/,
    );
    expect(() => countVectors(['the cat'] as never, v)).toThrow(
      /Argument 'documents\[0\]' passed to 'countVectors'/,
    );
    expect(() => oneHotVectors('cat' as never, v)).toThrow(/Argument 'words' passed to 'oneHotVectors'/);
  });
});
