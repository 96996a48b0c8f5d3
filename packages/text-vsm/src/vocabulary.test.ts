import { InvalidArgumentError, WordloomError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.js';

const docs = [
  ['the', 'dog', 'chased', 'the', 'cat'],
  ['the', 'cat', 'sat'],
  ['a', 'dog', 'barked', 'the', 'end'],
];

describe('Vocabulary', () => {
  it('assigns ids in first-seen order with counts and document frequencies', () => {
    const v = Vocabulary.build(docs);
    expect(v.words).toEqual(['the', 'dog', 'chased', 'cat', 'sat', 'a', 'barked', 'end']);
    expect([...v.counts]).toEqual([4, 2, 1, 2, 1, 1, 1, 1]);
    expect([...v.documentFrequencies]).toEqual([3, 2, 1, 2, 1, 1, 1, 1]);
    expect(v.documentCount).toBe(3);
    expect(v.id('cat')).toBe(3);
    expect(v.id('zebra')).toBe(-1);
    expect(v.word(1)).toBe('dog');
    expect([...v.encode(['cat', 'zebra', 'the'])]).toEqual([3, 0]);
  });

  it('filters by minCount, minDf/maxDf (counts or fractions) and maxSize', () => {
    expect(Vocabulary.build(docs, { minCount: 2 }).words).toEqual(['the', 'dog', 'cat']);
    expect(Vocabulary.build(docs, { minDf: 2 }).words).toEqual(['the', 'dog', 'cat']);
    expect(Vocabulary.build(docs, { minDf: 0.5 }).words).toEqual(['the', 'dog', 'cat']); // ceil(1.5) = 2
    expect(Vocabulary.build(docs, { maxDf: 0.9 }).words).not.toContain('the'); // floor(2.7) = 2
    expect(Vocabulary.build(docs, { maxDf: 2 }).words).toEqual([
      'dog',
      'chased',
      'cat',
      'sat',
      'a',
      'barked',
      'end',
    ]);
    expect(Vocabulary.build(docs, { maxSize: 3 }).words).toEqual(['the', 'dog', 'cat']);
  });

  it('orders by frequency or alphabetically on request', () => {
    // maxSize as scikit-learn's max_features=4: the, cat, dog (counts 4, 2, 2), then the first of the
    // count-1 words in alphabetical order, 'a' — sklearn's CountVectorizer(max_features=4) keeps
    // {a, cat, dog, the}.
    expect(Vocabulary.build(docs, { order: 'frequency', maxSize: 4 }).words).toEqual([
      'the',
      'dog',
      'cat',
      'a',
    ]);
    expect(Vocabulary.build(docs, { order: 'alphabetical' }).words).toEqual([
      'a',
      'barked',
      'cat',
      'chased',
      'dog',
      'end',
      'sat',
      'the',
    ]);
  });

  it('round-trips through JSON', () => {
    const v = Vocabulary.build(docs);
    const back = Vocabulary.fromJSON(JSON.stringify(v));
    expect(back.words).toEqual(v.words);
    expect([...back.counts]).toEqual([...v.counts]);
    expect([...back.documentFrequencies]).toEqual([...v.documentFrequencies]);
    expect(back.documentCount).toBe(3);
    expect(() => Vocabulary.fromJSON('{"format":"other"}')).toThrow(WordloomError);
  });

  it('handles empty corpora and rejects bad options', () => {
    expect(Vocabulary.build([]).size).toBe(0);
    expect(Vocabulary.build([[], []]).size).toBe(0);
    expect(() => Vocabulary.build(docs, { minCount: 0 })).toThrow(/Argument 'minCount'/);
    expect(() => Vocabulary.build(docs, { maxDf: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new Vocabulary(['a', 'a'])).toThrow(/unique words/);
  });
});
