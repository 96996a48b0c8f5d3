import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { WordNotInVocabularyError } from './errors/word-not-in-vocabulary-error.js';
import { KeyedVectors } from './keyed-vectors.js';

// A toy space where king − man + woman = queen exactly: axes (royalty, gender, fruitiness).
const words = ['man', 'woman', 'king', 'queen', 'apple', 'pear'];
const kv = new KeyedVectors(
  words,
  Float32Array.from([1, 1, 0, 1, -1, 0, 3, 1, 0, 3, -1, 0, 0, 0, 1, 0, 0.2, 1]).map(
    (x, i) => x + (i % 3 === 0 ? 0.1 : 0),
  ),
  3,
);

describe('KeyedVectors', () => {
  it('looks up vectors (copies) and computes cosine similarity', () => {
    const v = kv.vector('apple');
    expect(Array.from(v)).toEqual([0.1, 0, 1].map(Math.fround));
    v[0] = 99;
    expect(kv.vector('apple')[0]).toBeCloseTo(0.1, 6);
    const a = [0.1, 0, 1];
    const b = [0.1, 0.2, 1];
    const cos = (a[0] * b[0] + a[2] * b[2]) / Math.hypot(...a) / Math.hypot(...b);
    expect(kv.similarity('apple', 'pear')).toBeCloseTo(cos, 6);
    expect(kv.similarity('man', 'man')).toBeCloseTo(1, 6);
  });

  it('answers king − man + woman with queen, excluding the input words', () => {
    expect(kv.analogy('man', 'king', 'woman')[0].word).toBe('queen');
    const top = kv.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topN: 3 });
    expect(top.map((s) => s.word)).not.toContain('king');
    expect(top[0].word).toBe('queen');
    expect(top[0].similarity).toBeGreaterThan(top[1].similarity);
    expect(kv.mostSimilarCosmul({ positive: ['king', 'woman'], negative: ['man'], topN: 1 })[0].word).toBe(
      'queen',
    );
  });

  it('restricts the search to the first words and accepts raw vectors', () => {
    expect(kv.mostSimilar({ positive: ['apple'], topN: 5, restrictVocab: 3 }).map((s) => s.word)).toEqual(
      ['man', 'king', 'woman']
        .filter((w) => w !== 'apple')
        .slice(0, 3)
        .sort((x, y) => kv.similarity('apple', y) - kv.similarity('apple', x)),
    );
    expect(kv.similarByVector([0, 0, 1], { topN: 1 })[0].word).toBe('apple');
    expect(kv.mostSimilar({ positive: [Float32Array.from([0, 0, 1])], topN: 1 })[0].word).toBe('apple');
  });

  it('finds the odd one out', () => {
    expect(kv.doesntMatch(['man', 'king', 'woman', 'apple'])).toBe('apple');
  });

  it('throws a typed error naming a missing word, and validates arguments', () => {
    expect(() => kv.vector('prince')).toThrow(WordNotInVocabularyError);
    expect(() => kv.similarity('man', 'prince')).toThrow(
      `Word "prince" passed to 'similarity' is not in the vocabulary`,
    );
    try {
      kv.mostSimilar({ positive: ['princess'] });
    } catch (e) {
      expect(WordNotInVocabularyError.isInstance(e) && e.word).toBe('princess');
    }
    expect(() => kv.mostSimilar({ positive: ['man'], topN: 0 })).toThrow(InvalidArgumentError);
    expect(() => kv.mostSimilar({})).toThrow(/'positive'/);
    expect(() => kv.similarByVector([1, 2])).toThrow(/length 3/);
    expect(() => new KeyedVectors(['a'], new Float32Array(3), 2)).toThrow(/'vectors'/);
  });

  it('evaluates word pairs with Pearson, Spearman and the OOV ratio', () => {
    const pairs =
      '# word1\tword2\tscore\nman\twoman\t5\nking\tqueen\t6\nking\tapple\t1\napple\tpear\t8\nman\tprince\t3\n';
    const r = kv.evaluateWordPairs(pairs);
    expect(r.pairs).toBe(4);
    expect(r.oovRatio).toBeCloseTo(1 / 5, 12);
    expect(r.spearman).toBeGreaterThan(0);
    expect(r.pearson).toBeGreaterThan(-1);
  });
});

describeEachBackend('KeyedVectors on tfjs', () => {
  it('toTensor gives the size × dim matrix', () => {
    const t = kv.toTensor();
    expect(t.shape).toEqual([6, 3]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(kv.vectors));
    t.dispose();
  });

  it('scores questions-words analogies per section (batched matMul), skipping OOV questions', () => {
    const before = tf.memory().numTensors;
    const questions = [
      ': royalty',
      'man king woman queen',
      'MAN KING WOMAN QUEEN',
      'woman queen man king',
      'man woman king apple',
      ': fruit',
      'apple pear man woman',
      'apple pear plum cherry',
    ].join('\n');
    const r = kv.evaluateWordAnalogies(questions, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.sections.map((s) => [s.section, s.correct, s.total, s.oov])).toEqual([
      ['royalty', 3, 4, 0],
      ['fruit', 0, 1, 1],
    ]);
    expect(r.correct).toBe(3);
    expect(r.total).toBe(5);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    // Case-sensitive: upper-case question words are unknown.
    expect(kv.evaluateWordAnalogies(questions, { caseInsensitive: false }).oov).toBe(2);
    // restrictVocab 4: apple/pear become unknown.
    expect(kv.evaluateWordAnalogies(questions, { restrictVocab: 4 }).sections[1].oov).toBe(2);
  });

  it('skips case variants of the question words on cased vectors, as gensim (ignore set by key)', () => {
    // "King" sits nearest to king − man + woman; gensim ignores it (KING is a question word) and finds queen.
    const cased = new KeyedVectors(
      ['man', 'woman', 'king', 'queen', 'King', 'apple'],
      Float32Array.from([1, 1, 0, 1, -1, 0, 3, 1, 0, 3, -1, 0, 2.5, -1.5, 0, 0, 0, 1]),
      3,
    );
    const q = ': royalty\nman king woman queen\nonly three words\n';
    const r = cased.evaluateWordAnalogies(q);
    expect([r.correct, r.total, r.oov]).toEqual([1, 1, 0]);
    // Case-sensitive, "King" is another word: it is predicted, and the line scores wrong.
    const exact = cased.evaluateWordAnalogies(q, { caseInsensitive: false });
    expect([exact.correct, exact.total]).toEqual([0, 1]);
  });
});
