import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { loadCorpus } from '@wordloom/datasets';
import { NgramLanguageModel } from '@wordloom/text-vsm';
import { beforeAll, expect, it } from 'vitest';
import { buildVocabulary, LanguageModel, tokenizeWords } from './language-model.js';

let alice: string[] = [];
beforeAll(async () => {
  // Listing 4-5, tokenized as Listing 4-4 does: lower-case, split on whitespace.
  alice = tokenizeWords(await loadCorpus('chapter-alice'));
});

it('tokenizes and orders the vocabulary like Listing 4-4 (Counter.most_common)', () => {
  expect(tokenizeWords("' You can't think")).toEqual(["'", 'you', "can't", 'think']);
  expect(buildVocabulary(['b', 'a', 'b', 'c', 'a', 'b'])).toEqual(['b', 'a', 'c']);
  expect(alice.length).toBeGreaterThan(300);
});

describeEachBackend('LanguageModel on the chapter’s Alice passage (Listing 4-4)', () => {
  it('2-layer LSTM, 3-word window: > 90% next-word training accuracy, completes the passage', async () => {
    const lm = LanguageModel.fromTokens(alice, { window: 3, layers: 2, units: 64, seed: 1 });
    const before = tf.memory().numTensors;
    const uniform = lm.evaluate(alice);
    await lm.fit(alice, { epochs: 25, batchSize: 32, learningRate: 0.01 });
    const trained = await expectNoLeaks(() => lm.evaluate(alice));
    expect(trained.accuracy).toBeGreaterThan(0.9);
    expect(trained.perplexity).toBeCloseTo(Math.exp(trained.loss), 6);
    expect(trained.perplexity).toBeLessThan(uniform.perplexity / 10);
    // Greedy completion of a prompt from the passage continues it word for word.
    const words = lm.complete('had made her', { words: 6 });
    expect(words.join(' ')).toBe('so savage when they met in');
    // Sampling is repeatable with a seed; top-1 sampling is greedy.
    const a = lm.complete('had made her', { words: 10, temperature: 1.5, topK: 5, seed: 7 });
    expect(lm.complete('had made her', { words: 10, temperature: 1.5, topK: 5, seed: 7 })).toEqual(a);
    expect(lm.complete('had made her', { words: 6, temperature: 1, topK: 1, seed: 3 })).toEqual(words);
    // The chapter's traditional baseline (@wordloom/text-vsm): a Kneser–Ney 4-gram, i.e. the same
    // 3-word context, predicting each word of the passage from the three before it.
    const ngram = NgramLanguageModel.fit([alice], { order: 4 });
    let ngramCorrect = 0;
    for (let i = 3; i < alice.length; i++)
      if (ngram.nextWord(alice.slice(i - 3, i), 1)[0]?.word === alice[i]) ngramCorrect++;
    const ngramAccuracy = ngramCorrect / (alice.length - 3);
    expect(ngramAccuracy).toBeGreaterThan(0.5);
    expect(trained.accuracy).toBeGreaterThan(ngramAccuracy);
    expect(tf.memory().numTensors).toBe(before);
    lm.dispose();
  });

  it('full-history mode: stateful segments, softmax at every step, learns the passage', async () => {
    const lm = LanguageModel.fromTokens(alice, {
      mode: 'full',
      layers: 1,
      units: 64,
      sequenceLength: 32,
      seed: 2,
    });
    const result = await lm.fit(alice, { epochs: 60, batchSize: 2, learningRate: 0.01 });
    expect(result.history.at(-1)?.accuracy).toBeGreaterThan(0.9);
    const evaluation = lm.evaluate(alice);
    expect(evaluation.count).toBe(alice.length - 1);
    expect(evaluation.accuracy).toBeGreaterThan(0.5);
    expect(lm.complete('she', { words: 3 })).toHaveLength(3);
    lm.dispose();
  });
}, ['wasm']);

describeEachBackend('LanguageModel', () => {
  it('learned embeddings and GRU cells train too (loss decreases)', async () => {
    const tokens = 'a b c d a b c d a b c e a b c d'.split(' ');
    const lm = LanguageModel.fromTokens(tokens, {
      cell: 'gru',
      layers: 1,
      units: 8,
      embeddingSize: 4,
      window: 2,
    });
    const before = lm.evaluate(tokens).loss;
    await lm.fit(tokens, { epochs: 20, batchSize: 4, learningRate: 0.05 });
    expect(lm.evaluate(tokens).loss).toBeLessThan(before);
    lm.dispose();
  });

  it('rejects unknown prompt words and short prompts, naming the argument', () => {
    const lm = LanguageModel.fromTokens(['x', 'y', 'z', 'x'], { units: 4, layers: 1 });
    expect(() => lm.complete('x y w')).toThrow(
      /Argument 'prompt' passed to 'complete' must be words of the model vocabulary, got "unknown word \\"w\\""/,
    );
    expect(() => lm.complete('x y')).toThrow(InvalidArgumentError);
    expect(() => lm.complete('x y z', { temperature: -1 })).toThrow(/'temperature'/);
    expect(() => new LanguageModel({ vocabulary: ['a', 'a'] })).toThrow(/distinct words/);
    lm.dispose();
  });
});
