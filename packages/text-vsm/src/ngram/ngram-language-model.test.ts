import { InvalidArgumentError, Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { NgramLanguageModel, SENTENCE_END, SENTENCE_START } from './ngram-language-model.js';

const corpus = [
  ['a', 'b'],
  ['a', 'c'],
];

describe('NgramLanguageModel (Kneser–Ney)', () => {
  // Hand derivation, order 2, D = 0.5, V = {a, b, c, </s>, <unk>}:
  // continuation counts N₁₊(•w): a 1, b 1, c 1, </s> 2 (total 5, 4 distinct)
  // P(w) = max(N₁₊(•w) − ½, 0)/5 + ½·4/5·1/5  → a = b = c = 0.18, </s> = 0.38, <unk> = 0.08
  // P(b|a) = (1 − ½)/2 + ½·2/2·P(b) = 0.25 + 0.09 = 0.34
  const lm = NgramLanguageModel.fit(corpus, { order: 2, discount: 0.5 });

  it('reproduces hand-derived probabilities', () => {
    expect(lm.probability('b', ['a'])).toBeCloseTo(0.34, 12);
    expect(lm.probability('a', ['a'])).toBeCloseTo(0.09, 12);
    expect(lm.probability(SENTENCE_END, ['a'])).toBeCloseTo(0.19, 12);
    expect(lm.probability('zebra', ['a'])).toBeCloseTo(0.04, 12); // unknown word → <unk>
    expect(lm.probability('a', [SENTENCE_START])).toBeCloseTo(0.795, 12);
    expect(lm.probability(SENTENCE_END, ['b'])).toBeCloseTo(0.69, 12);
    expect(lm.probability('b')).toBeCloseTo(0.18, 12); // empty context → unigram level
  });

  it('computes perplexity as exp of the mean negative log probability', () => {
    expect(lm.perplexity([['a', 'b']])).toBeCloseTo((0.795 * 0.34 * 0.69) ** (-1 / 3), 12);
  });

  it('ranks next words and never proposes <unk>', () => {
    const next = lm.nextWord(['a'], 3);
    expect(next.map((n) => n.word)).toEqual(['b', 'c', SENTENCE_END]);
    expect(next[0].probability).toBeCloseTo(0.34, 12);
    expect(lm.nextWord(['a'], 10).some((n) => n.word === '<unk>')).toBe(false);
  });

  it('estimates D = n₁/(n₁ + 2n₂) per order', () => {
    const auto = NgramLanguageModel.fit(corpus, { order: 2 });
    // bigram counts: <s>a 2, ab 1, ac 1, b</s> 1, c</s> 1 → 4/(4+2); continuation a1 b1 c1 </s>2 → 3/5
    expect(auto.discounts[1]).toBeCloseTo(4 / 6, 15);
    expect(auto.discounts[0]).toBeCloseTo(3 / 5, 15);
  });

  it('gives a normalized distribution that matches probability() on a random trigram model', () => {
    const rng = new Random(7);
    const words = ['x', 'y', 'z', 'w', 'v', 'u'];
    const sentences = Array.from({ length: 60 }, () =>
      Array.from({ length: 1 + rng.int(8) }, () => words[rng.int(rng.int(6) + 1)]),
    );
    const model = NgramLanguageModel.fit(sentences, { order: 3 });
    for (const context of [[], ['x'], ['x', 'y'], [SENTENCE_START, SENTENCE_START], ['never', 'seen']]) {
      const dist = model.distribution(context);
      expect(dist.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
      model.vocabulary.forEach((word, i) => {
        expect(dist[i]).toBeCloseTo(model.probability(word, context), 14);
      });
    }
    const pp = model.perplexity(sentences.slice(0, 10));
    expect(Number.isFinite(pp)).toBe(true);
    expect(pp).toBeGreaterThan(1);
    expect(model.perplexity([['q', 'r']])).toBeGreaterThan(pp); // unknown words are costly
  });

  it('reports progress and stops on abort', () => {
    const many = Array.from({ length: 25_000 }, (_, i) => ['w', `${i % 7}`]);
    const seen: number[] = [];
    NgramLanguageModel.fit(many, { order: 2, onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([10_000, 20_000, 25_000]);
    const controller = new AbortController();
    expect(() =>
      NgramLanguageModel.fit(many, {
        order: 2,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    ).toThrow(/abort/i);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => NgramLanguageModel.fit([], {})).toThrow(InvalidArgumentError);
    expect(() => NgramLanguageModel.fit(corpus, { order: 0 })).toThrow(/Argument 'order'/);
    expect(() => NgramLanguageModel.fit(corpus, { smoothing: 'laplace' as never })).toThrow(/'smoothing'/);
    expect(() => lm.nextWord(['a'], 0)).toThrow(/Argument 'k'/);
    expect(() => lm.perplexity([])).toThrow(/at least one sentence/);
  });
});

describe('NgramLanguageModel (Stupid Backoff)', () => {
  const lm = NgramLanguageModel.fit(corpus, { order: 2, smoothing: 'stupid-backoff' });
  it('uses relative frequencies and α per back-off step', () => {
    expect(lm.probability('b', ['a'])).toBe(1 / 2);
    expect(lm.probability('a', ['a'])).toBeCloseTo((0.4 * 2) / 6, 15); // c(a)/N with N = 6 tokens
    expect(lm.probability('zebra', ['a'])).toBe(0);
    expect(lm.distribution(['a'])[0]).toBeCloseTo((0.4 * 2) / 6, 15);
    expect(lm.nextWord([SENTENCE_START], 1)).toEqual([{ word: 'a', probability: 1 }]);
    expect(lm.perplexity([['a', 'b']])).toBeCloseTo((1 * 0.5 * 1) ** (-1 / 3), 12);
    expect(lm.perplexity([['zebra']])).toBe(Infinity);
  });
});
