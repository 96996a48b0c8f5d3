import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@wordloom/backend';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError, Random } from '@wordloom/core';
import { loadCorpus } from '@wordloom/datasets';
import { NgramLanguageModel } from '@wordloom/text-vsm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Float64Provider } from '../bptt/matmul-provider.js';
import type { Rnn } from '../layers/rnn.js';
import type { Stacked } from '../layers/stacked.js';
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

  it('maps unseen words to <unk> in fit, evaluate and complete; short prompts and bad input throw', async () => {
    const lm = LanguageModel.fromTokens(['x', 'y', 'z', 'x'], { units: 4, layers: 1, embeddingSize: 3 });
    expect(lm.vocabulary).toEqual(['x', 'y', 'z', '<unk>']);
    expect(Array.from(lm.encode(['x', 'w', 'q']))).toEqual([0, 3, 3]);
    expect(lm.complete('x y w', { words: 2 })).toHaveLength(2);
    expect(lm.evaluate(['x', 'y', 'w', 'q', 'x']).count).toBe(2);
    await lm.fit(['x', 'w', 'y', 'z', 'x'], { epochs: 1 });
    expect(() => lm.complete('x y')).toThrow(InvalidArgumentError);
    expect(() => lm.complete('x y z', { temperature: -1 })).toThrow(/'temperature'/);
    expect(() => new LanguageModel({ vocabulary: ['a', 'a'] })).toThrow(/distinct words/);
    // A vocabulary without the unknown token still names the unseen word.
    const closed = new LanguageModel({ vocabulary: ['x', 'y', 'z'], units: 4, layers: 1 });
    expect(() => closed.complete('x y w')).toThrow(
      /Argument 'prompt' passed to 'complete' must be words of the model vocabulary.*got "unknown word \\"w\\""/,
    );
    closed.dispose();
    lm.dispose();
  });
});

describe('LanguageModel: vocabulary, defaults, weight tying, characters', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('fromTokens wants an array of words; minCount folds rare words into <unk>', () => {
    expect(() => LanguageModel.fromTokens('alice was' as never)).toThrow(
      /Argument 'tokens' passed to 'fromTokens' must be an array of tokens \(split the text first/,
    );
    const lm = LanguageModel.fromTokens(['a', 'b', 'a', 'c', 'a', 'b'], { minCount: 2, units: 4, layers: 1 });
    expect(lm.vocabulary).toEqual(['a', 'b', '<unk>']);
    expect(Array.from(lm.encode(['c', 'b']))).toEqual([2, 1]);
    expect(() => new LanguageModel({ vocabulary: ['a', 'b'], dropuot: 0.1 } as never)).toThrow(/'config'/);
    lm.dispose();
  });

  it('defaults a user can train: 20k words → 2×200 LSTM on 200-d embeddings (PyTorch word_language_model)', () => {
    const vocabulary = Array.from({ length: 20000 }, (_, i) => `w${i}`);
    const lm = new LanguageModel({ vocabulary });
    const parameters = lm.variables.reduce((s, v) => s + v.size, 0);
    // Embedding 20000·200 + LSTMs 4·200·(200 + 200 + 1)·2 + softmax 200·20000 + 20000.
    expect(parameters).toBe(20000 * 200 + 2 * 4 * 200 * 401 + 200 * 20000 + 20000);
    lm.dispose();
    const tied = new LanguageModel({ vocabulary: vocabulary.slice(0, 1000), tieWeights: true });
    expect(tied.variables.reduce((s, v) => s + v.size, 0)).toBe(1000 * 200 + 2 * 4 * 200 * 401 + 1000);
    expect(tied.variableNames.at(-1)).toBe('head/bias');
    tied.dispose();
    expect(
      () => new LanguageModel({ vocabulary: ['a', 'b'], units: 8, embeddingSize: 4, tieWeights: true }),
    ).toThrow(/'tieWeights'/);
  });

  // The model's whole gradient (embedding, tied softmax, input, output and recurrent dropout) against
  // float64 central differences of its loss, masks fixed by the training seed, for every cell.
  for (const variant of [
    { mode: 'window' as const, tieWeights: false, embeddingSize: 3 },
    { mode: 'window' as const, tieWeights: false, embeddingSize: 0 },
    { mode: 'full' as const, tieWeights: true, embeddingSize: 4 },
    { mode: 'full' as const, tieWeights: false, embeddingSize: 3 },
    { mode: 'full' as const, tieWeights: false, embeddingSize: 3, sampledSoftmax: 3 },
    { mode: 'window' as const, tieWeights: true, embeddingSize: 4, sampledSoftmax: 2 },
    { mode: 'full' as const, tieWeights: false, embeddingSize: 3, cell: 'lstm' as const },
    { mode: 'window' as const, tieWeights: true, embeddingSize: 4, cell: 'lstm' as const },
    { mode: 'full' as const, tieWeights: false, embeddingSize: 3, cell: 'rnn' as const },
    { mode: 'window' as const, tieWeights: false, embeddingSize: 0, cell: 'rnn' as const },
  ])
    it(`gradient check: ${variant.cell ?? 'gru'}, ${variant.mode} mode, embedding ${variant.embeddingSize}, tied ${variant.tieWeights}, sampled ${variant.sampledSoftmax ?? 0}, dropout on`, () => {
      const vocabulary = ['a', 'b', 'c', 'd', 'e', '<unk>'];
      const remap = new Map<tf.Variable, Float64Array>();
      const model = new LanguageModel(
        {
          vocabulary,
          cell: 'gru',
          ...variant,
          window: 3,
          layers: 2,
          units: 4,
          dropout: 0.3,
          recurrentDropout: 0.3,
          seed: 3,
        },
        new Float64Provider(remap),
      );
      const random = new Random(9);
      for (const v of model.variables)
        remap.set(
          v,
          Float64Array.from(v.dataSync(), (x) => x + 0.1 * random.normal()),
        );
      const ids = Int32Array.from({ length: 30 }, () => random.int(6));
      const starts = variant.mode === 'full' ? [0, 12] : [0, 5, 11];
      const training = { seed: 17 };
      // Full mode continues from carried states (B × H per state: h per GRU / RNN layer, h and c per LSTM layer).
      const init =
        variant.mode === 'full'
          ? model.encoder.stateSizes.map((size) =>
              Float64Array.from({ length: 2 * size }, () => random.normal()),
            )
          : null;
      const run = () => model.computeGradients(ids, starts, { steps: 8, training, initialState: init });
      const { grads } = run();
      const eps = 1e-6;
      let worst = 0;
      model.variables.forEach((v, vi) => {
        const w = remap.get(v) as Float64Array;
        for (let s = 0; s < 5; s++) {
          const i = random.int(w.length);
          const keep = w[i];
          w[i] = keep + eps;
          const plus = run().loss;
          w[i] = keep - eps;
          const minus = run().loss;
          w[i] = keep;
          const numeric = (plus - minus) / (2 * eps);
          const analytic = grads[vi][i];
          worst = Math.max(
            worst,
            Math.abs(analytic - numeric) / Math.max(1e-4, Math.abs(analytic) + Math.abs(numeric)),
          );
        }
      });
      expect(worst).toBeLessThan(1e-5);
      model.dispose();
    });

  it('initializes as PyTorch by default (U(±1/√H) cells, no forget bias of 1), or as Glorot / Keras', () => {
    const vocabulary = ['a', 'b', 'c', 'd', '<unk>'];
    const torch = new LanguageModel({ vocabulary, layers: 2, units: 16, embeddingSize: 8 });
    const k = 1 / Math.sqrt(16);
    const within = (v: tf.Variable, bound: number) =>
      Math.max(...Array.from(v.dataSync(), Math.abs)) <= bound;
    const cell0 = (torch.encoder as Stacked).layers[0] as Rnn;
    expect(within(cell0.cell.kernel, k) && within(cell0.cell.recurrentKernel, k)).toBe(true);
    expect(within(cell0.cell.bias, 2 * k)).toBe(true);
    expect(within(torch.head.kernel, k) && within(torch.head.bias, k)).toBe(true);
    expect(Array.from(torch.head.bias.dataSync()).some((b) => b !== 0)).toBe(true);
    // The embedding is N(0, 1): its standard deviation over 40 values is far above Glorot's ±0.55.
    const e = Array.from((torch.embedding as tf.Variable).dataSync());
    expect(Math.sqrt(e.reduce((s, x) => s + x * x, 0) / e.length)).toBeGreaterThan(0.6);
    const glorot = new LanguageModel({
      vocabulary,
      layers: 1,
      units: 16,
      embeddingSize: 8,
      initializer: 'glorot',
    });
    const bias = Array.from((glorot.encoder as Rnn).cell.bias.dataSync());
    expect(bias.slice(16, 32).every((b) => b === 1)).toBe(true);
    expect(Array.from(glorot.head.bias.dataSync()).every((b) => b === 0)).toBe(true);
    expect(() => new LanguageModel({ vocabulary, initializer: 'he' as never })).toThrow(/'initializer'/);
    torch.dispose();
    glorot.dispose();
  });

  it('character level: strings are characters; learns and completes a short text', async () => {
    const text = 'abcabcabdabcabcabd'.repeat(4);
    const lm = LanguageModel.fromTokens(text, {
      level: 'char',
      window: 8,
      layers: 1,
      units: 16,
      embeddingSize: 8,
    });
    expect(lm.vocabulary).toEqual(['a', 'b', 'c', 'd', '<unk>']);
    await lm.fit(text, { epochs: 60, batchSize: 16, learningRate: 0.03 });
    expect(lm.evaluate(text).accuracy).toBeGreaterThan(0.9);
    expect(lm.complete('abcabcab', { words: 5 }).join('')).toBe('dabca');
    lm.dispose();
    const defaults = LanguageModel.fromTokens('abc', {
      level: 'char',
      layers: 1,
      units: 4,
      embeddingSize: 2,
    });
    expect(defaults.config.window).toBe(40);
    await expect(defaults.fit(['a', 'b'], { epochs: 1 })).rejects.toThrow(/more than 40/);
    defaults.dispose();
  });

  it('validationSplit holds out the last tokens; validationPerplexity is their evaluate() perplexity', async () => {
    const tokens = 'the cat sat on the mat and the dog sat on the log'.split(' ');
    const lm = LanguageModel.fromTokens(tokens, { layers: 1, units: 8, embeddingSize: 4, window: 2 });
    const r = await lm.fit(tokens, { epochs: 2, batchSize: 4, validationSplit: 0.3 });
    const held = tokens.slice(tokens.length - Math.floor(tokens.length * 0.3));
    expect(r.history[1].validationPerplexity).toBeCloseTo(lm.evaluate(held).perplexity, 8);
    lm.dispose();
    // Tied weights, weight decay, schedules and restoring the best weights leave no tensor behind.
    const start = tf.memory().numTensors;
    const tied = LanguageModel.fromTokens(tokens, {
      layers: 1,
      units: 4,
      embeddingSize: 4,
      tieWeights: true,
      mode: 'full',
      sequenceLength: 4,
    });
    await tied.fit(tokens, {
      epochs: 4,
      batchSize: 2,
      validationSplit: 0.3,
      weightDecay: 0.01,
      learningRateSchedule: { type: 'cosine' },
      earlyStopping: { patience: 1, restoreBestWeights: true, monitor: 'validationPerplexity' },
    });
    tied.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describeEachBackend('LanguageModel inference', () => {
  for (const mode of ['window', 'full'] as const)
    it(`is deterministic with dropout configured (${mode} mode): dropout is off outside fit`, async () => {
      const random = new Random(12);
      const words = 'a b c d e f'.split(' ');
      const tokens = Array.from({ length: 200 }, () => words[random.int(6)]);
      const config = { mode, window: 3, sequenceLength: 8, layers: 2, units: 8, embeddingSize: 4, seed: 6 };
      const lm = LanguageModel.fromTokens(tokens, { ...config, dropout: 0.5, recurrentDropout: 0.5 });
      await lm.fit(tokens, { epochs: 1, batchSize: 8, learningRate: 0.01 });
      const evaluation = lm.evaluate(tokens);
      expect(lm.evaluate(tokens)).toEqual(evaluation);
      const greedy = lm.complete(['a', 'b', 'c'], { words: 8 });
      expect(lm.complete(['a', 'b', 'c'], { words: 8 })).toEqual(greedy);
      // The same weights in a model without dropout give the same outputs, bit for bit.
      const plain = LanguageModel.fromTokens(tokens, config);
      plain.variables.forEach((v, i) => {
        v.assign(lm.variables[i]);
      });
      expect(plain.evaluate(tokens)).toEqual(evaluation);
      expect(plain.complete(['a', 'b', 'c'], { words: 8 })).toEqual(greedy);
      lm.dispose();
      plain.dispose();
    });
});

describe('LanguageModel.fit held-out data', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('refuses a held-out part too small to score before training, naming the option', async () => {
    const tokens = 'the cat sat on the mat and the dog sat on the log'.split(' ');
    const lm = LanguageModel.fromTokens(tokens, { layers: 1, units: 4, embeddingSize: 2, window: 3 });
    let batches = 0;
    const count = () => {
      batches++;
    };
    // 13 tokens: 10% holds out 1, fewer than the 4 a 3-word window needs to predict one word.
    await expect(lm.fit(tokens, { validationSplit: 0.1, onBatchEnd: count })).rejects.toThrow(
      /'validationSplit'.*at least 4 of the 13 tokens/,
    );
    await expect(lm.fit(tokens, { validationSplit: 1, onBatchEnd: count })).rejects.toThrow(
      /'validationSplit'/,
    );
    await expect(lm.fit(tokens, { validationData: ['the', 'cat'], onBatchEnd: count })).rejects.toThrow(
      /'validationData'.*at least 4 tokens, got "2 tokens"/,
    );
    await expect(
      lm.fit(tokens, { validationSplit: 0.3, validationData: tokens, onBatchEnd: count }),
    ).rejects.toThrow(/not both/);
    await expect(lm.fit(tokens, { seed: -1, onBatchEnd: count })).rejects.toThrow(/'seed'/);
    expect(batches).toBe(0);
    lm.dispose();
  });
});

describe('LanguageModel.evaluate in full mode', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('reads one history by default; parts side by side score each part from its own history', async () => {
    const random = new Random(5);
    const words = ['a', 'b', 'c', 'd', 'e'];
    const tokens = Array.from({ length: 601 }, () => words[random.int(5)]);
    const lm = LanguageModel.fromTokens(tokens, {
      mode: 'full',
      layers: 2,
      units: 6,
      embeddingSize: 4,
      seed: 3,
    });
    const one = lm.evaluate(tokens);
    expect(one.count).toBe(600);
    // 600 targets as 7 parts of 86 (the last 84, padded): each part is its own history.
    const parts = lm.evaluate(tokens, 7);
    expect(parts.count).toBe(600);
    let nll = 0;
    for (let k = 0; k < 7; k++) {
      const part = tokens.slice(k * 86, Math.min(601, k * 86 + 87));
      const e = lm.evaluate(part);
      nll += e.loss * e.count;
    }
    expect(parts.loss).toBeCloseTo(nll / 600, 5);
    expect(Math.abs(parts.loss - one.loss)).toBeLessThan(0.05);
    // fit's per-epoch held-out pass can use the same parts.
    const r = await lm.fit(tokens, {
      epochs: 1,
      batchSize: 4,
      validationData: tokens,
      validationBatchSize: 7,
    });
    expect(r.history[0].validationLoss).toBeCloseTo(lm.evaluate(tokens, 7).loss, 8);
    // Training reads every token: 4 streams of 150 targets in segments of 32 → 5 batches, the last of 22.
    let batches = 0;
    await lm.fit(tokens, {
      epochs: 1,
      batchSize: 4,
      onBatchEnd: () => {
        batches++;
      },
    });
    expect(batches).toBe(5);
    lm.dispose();
  });
});
