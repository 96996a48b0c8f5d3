import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimd } from '../src/simd/simd-module.js';
import { twoTopicCorpus } from '../src/test-support/two-topic-corpus.js';
import { trainSentencesSimd } from '../src/test-support/word2vec-simd-reference.js';
import { zipfCorpus } from '../src/test-support/zipf-corpus.js';
import { scanCorpus } from '../src/train/word2vec-engine/corpus-scan.js';
import { Word2VecRunner } from '../src/train/word2vec-engine/runner.js';
import {
  createEngineState,
  learningRate,
  resolveWord2VecOptions,
  trainWord2Vec,
  type Word2VecOptions,
} from '../src/train/word2vec-engine/train-word2vec.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/**
 * word2vec-train.ts against the loop it replaced (JavaScript driving dot/update/update0/axpy, the
 * trainer of earlier releases; src/test-support/word2vec-simd-reference.ts): same vectors, bit for bit.
 */
/** Trains `sentences` in the compiled loop and in the JavaScript-driven reference, checking every bit. */
async function expectSameAsReference(sentences: string[][], options: Word2VecOptions): Promise<void> {
  const o = resolveWord2VecOptions(
    { minCount: 1, sample: 1e-3, epochs: 1, seed: 3, threads: 1, ...options },
    'test',
  );
  const scanned = await scanCorpus(sentences, 1);
  const compiled = createEngineState(scanned, o);
  const reference = createEngineState(scanned, o);
  const wasm = reference.wasm;
  if (!compiled.wasm || !wasm) throw new Error('WebAssembly SIMD is required by these tests');
  expect(compiled.wasm.memory).not.toBe(wasm.memory);
  const kernels = instantiateSimd(wasm.memory, false);
  const scratch = {
    sentence: new Int32Array(1024),
    neu1: new Float32Array(wasm.memory.buffer, wasm.scratch, o.dim),
    neu1e: new Float32Array(wasm.memory.buffer, wasm.scratch + 4 * o.dim, o.dim),
  };
  const runner = await Word2VecRunner.create(compiled, 1);
  try {
    let rngA = 12345;
    let rngB = 12345;
    const n = compiled.starts.length - 1;
    // Three slices with a falling rate, as the trainer calls it.
    for (const [from, to] of [
      [0, 100],
      [100, 101],
      [101, n],
    ]) {
      const a0 = learningRate(o, from / n);
      const a1 = learningRate(o, to / n);
      const [a] = runner.run([{ from, to, alphaFrom: a0, alphaTo: a1, rng: rngA }]);
      const b = trainSentencesSimd(reference, from, to, a0, a1, rngB, scratch, kernels);
      expect(a.loss).toBe(b.loss);
      expect(a.pairs).toBe(b.pairs);
      expect(a.words).toBe(b.words);
      expect(a.rng).toBe(b.rng);
      rngA = a.rng;
      rngB = b.rng;
    }
  } finally {
    runner.close();
  }
  expect(bits(compiled.syn0)).toEqual(bits(reference.syn0));
  expect(bits(compiled.syn1)).toEqual(bits(reference.syn1));
  expect(bits(compiled.syn1neg)).toEqual(bits(reference.syn1neg));
  // The loop trained: weights moved from their initial values.
  const initial = createEngineState(scanned, o);
  expect(bits(compiled.syn0)).not.toEqual(bits(initial.syn0));
}

/**
 * word2vec-train.ts against the loop it replaced (JavaScript driving dot/update/update0/axpy once per
 * target, the trainer of earlier releases; src/test-support/word2vec-simd-reference.ts): same vectors,
 * bit for bit, although the compiled loop scores and updates a pair's targets in groups of rows.
 */
describe('trainSentences (the compiled word2vec loop)', () => {
  const sentences = zipfCorpus(300, 12_000, 4);
  for (const [architecture, loss] of [
    ['skipgram', 'ns'],
    ['skipgram', 'hs'],
    ['cbow', 'ns'],
    ['cbow', 'hs'],
  ] as const)
    it(`${architecture}/${loss}: the same weights, loss and random state as the JavaScript-driven loop, bit for bit`, () =>
      expectSameAsReference(sentences, { architecture, loss, dim: 12, window: 4 }));

  // Six words and 12 negatives: most pairs draw a negative more than once, which must see its own
  // first update (a new group); dims without (4, 8, 20) and with (12) an 8-float step's tail.
  const small = zipfCorpus(6, 3000, 5);
  for (const architecture of ['skipgram', 'cbow'] as const)
    for (const dim of [4, 8, 20])
      it(`${architecture}, dim ${dim}, negatives drawn repeatedly: bit for bit the JavaScript-driven loop`, () =>
        expectSameAsReference(small, { architecture, dim, window: 3, negative: 12, sample: 0 }));
});

describe('trainWord2Vec on the kernel pool', () => {
  const corpus = twoTopicCorpus(1500);
  const options = { dim: 16, window: 3, minCount: 1, sample: 0, epochs: 3, seed: 7 };

  it('threads: 1 is bit-for-bit what the JavaScript-driven loop of earlier releases trained', async () => {
    const r = await trainWord2Vec(corpus, { ...options, threads: 1 });
    // The single-thread trainer of earlier releases, written out: one xorshift state, slices of 50,000
    // words, the rate falling linearly over all epochs.
    const o = resolveWord2VecOptions({ ...options, threads: 1 }, 'test');
    const scanned = await scanCorpus(corpus, 1);
    const state = createEngineState(scanned, o);
    const wasm = state.wasm!;
    const kernels = instantiateSimd(wasm.memory, false);
    const scratch = {
      sentence: new Int32Array(1024),
      neu1: new Float32Array(wasm.memory.buffer, wasm.scratch, o.dim),
      neu1e: new Float32Array(wasm.memory.buffer, wasm.scratch + 4 * o.dim, o.dim),
    };
    const sentences = state.starts.length - 1;
    const total = state.starts[sentences];
    let rng = new Random(o.seed ^ 0x5bd1e995).nextUint32() | 1;
    for (let epoch = 0; epoch < o.epochs; epoch++)
      for (let s = 0; s < sentences; ) {
        let e = s + 1;
        while (e < sentences && state.starts[e] - state.starts[s] < 50_000) e++;
        const p0 = (epoch + state.starts[s] / total) / o.epochs;
        const p1 = (epoch + state.starts[e] / total) / o.epochs;
        rng = trainSentencesSimd(
          state,
          s,
          e,
          learningRate(o, p0),
          learningRate(o, p1),
          rng,
          scratch,
          kernels,
        ).rng;
        s = e;
      }
    expect(bits(r.vectors.vectors)).toEqual(bits(state.syn0));
    expect(bits(r.outputVectors)).toEqual(bits(state.syn1neg));
  });

  it('threads: 1 gives identical vectors for the same seed twice, different ones for another seed', async () => {
    const a = await trainWord2Vec(corpus, { ...options, threads: 1 });
    const b = await trainWord2Vec(corpus, { ...options, threads: 1 });
    const c = await trainWord2Vec(corpus, { ...options, threads: 1, seed: 8 });
    expect(bits(a.vectors.vectors)).toEqual(bits(b.vectors.vectors));
    expect(a.lossPerEpoch).toEqual(b.lossPerEpoch);
    expect(bits(a.vectors.vectors)).not.toEqual(bits(c.vectors.vectors));
  });

  it('threads: 2 trains on two threads over one shared memory and learns the topics', async () => {
    const o = resolveWord2VecOptions({ ...options, threads: 2 }, 'test');
    const state = createEngineState(await scanCorpus(corpus, 1), o);
    expect(state.wasm?.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const runner = await Word2VecRunner.create(state, 2);
    expect(runner.threads).toBe(2);
    runner.close();
    const r = await trainWord2Vec(corpus, { ...options, threads: 2 });
    expect(r.lossPerEpoch[2]).toBeLessThan(r.lossPerEpoch[0]);
    expect(r.vectors.similarity('cat', 'dog') - r.vectors.similarity('cat', 'hammer')).toBeGreaterThan(0.3);
  });
});
