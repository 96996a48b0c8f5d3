import { describe, expect, it } from 'vitest';
import { placeEngine } from './engine-memory.js';
import { buildHuffmanTree } from './huffman.js';
import { type EngineState, trainSentences } from './kernel.js';
import { Word2VecRunner } from './runner.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A 3-word, 4-dim toy: corpus "w0 w1", window 1, every negative draw is w2, no subsampling. */
function toy(): EngineState {
  const d = 4;
  const f32 = (values: number[]) => Float32Array.from(values);
  return {
    dim: d,
    sg: 1,
    hs: 0,
    negative: 1,
    window: 1,
    syn0: f32([0.1, -0.2, 0.3, 0.05, -0.1, 0.4, 0.2, -0.3, 0.25, 0.1, -0.15, 0.2]),
    syn1: new Float32Array(0),
    syn1neg: f32([0.3, 0.1, -0.2, 0.4, -0.2, 0.3, 0.1, 0.1, 0.15, -0.35, 0.2, 0.05]),
    table: new Int32Array([2, 2, 2, 2]),
    keep: new Float64Array([2 ** 33, 2 ** 33, 2 ** 33]),
    codes: new Uint8Array(0),
    points: new Int32Array(0),
    codeOffsets: new Int32Array(0),
    codeLengths: new Uint8Array(0),
    tokens: new Int32Array([0, 1]),
    starts: new Int32Array([0, 2]),
  };
}

/**
 * The SGNS step written out by hand (Mikolov et al. 2013; word2vec.c): for input row u (the context
 * word) and targets (t, label): g = α(label − σ(u·v_t)), e += g·v_t, v_t += g·u; finally u += e.
 */
function handStep(
  syn0: number[][],
  syn1: number[][],
  input: number,
  targets: Array<[number, number]>,
  alpha: number,
) {
  const u = syn0[input];
  const e = [0, 0, 0, 0];
  let loss = 0;
  for (const [t, label] of targets) {
    const v = syn1[t];
    const f = u.reduce((s, x, k) => s + x * v[k], 0);
    loss -= Math.log(sigmoid(label ? f : -f));
    const g = alpha * (label - sigmoid(f));
    for (let k = 0; k < 4; k++) e[k] += g * v[k];
    for (let k = 0; k < 4; k++) v[k] += g * u[k];
  }
  for (let k = 0; k < 4; k++) u[k] += e[k];
  return loss;
}

/** Element-wise closeness to 4 decimals (the σ table's resolution: see sigmoid-table.ts). */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i], 4);
}

function rows(a: Float32Array): number[][] {
  return [0, 1, 2].map((r) => Array.from(a.subarray(r * 4, r * 4 + 4)));
}

describe('SGNS kernel', () => {
  const alpha = 0.5; // large, so that an error in the update would show
  const expected = () => {
    const s = toy();
    const syn0 = rows(s.syn0);
    const syn1 = rows(s.syn1neg);
    // Sentence [w0, w1], window 1: centre w0 ← context w1, then centre w1 ← context w0; negative w2.
    const loss =
      handStep(
        syn0,
        syn1,
        1,
        [
          [0, 1],
          [2, 0],
        ],
        alpha,
      ) +
      handStep(
        syn0,
        syn1,
        0,
        [
          [1, 1],
          [2, 0],
        ],
        alpha,
      );
    return { syn0, syn1, loss };
  };

  it('the plain kernel equals the hand-computed update on the 3-word toy', () => {
    const s = toy();
    const r = trainSentences(s, 0, 1, alpha, alpha, 12345, {
      sentence: new Int32Array(4),
      neu1: new Float32Array(4),
      neu1e: new Float32Array(4),
    });
    const want = expected();
    expect(r.pairs).toBe(2);
    expect(r.words).toBe(2);
    expectClose(rows(s.syn0).flat(), want.syn0.flat());
    expectClose(rows(s.syn1neg).flat(), want.syn1.flat());
    expect(r.loss).toBeCloseTo(want.loss, 3);
    // One number written out: the first pair moves v_w0 by α(1 − σ(u·v))·u with u = syn0[w1],
    // u·v = −0.03 + 0.04 − 0.04 − 0.12 = −0.15, σ(−0.15) = 0.462570 → v_w0[0] = 0.3 + 0.5·0.537430·(−0.1).
    expect(s.syn1neg[0]).toBeCloseTo(0.2731285, 4);
  });

  it('the compiled WebAssembly kernel performs the same update', async () => {
    const s = placeEngine(toy(), 1, false);
    if (!s) throw new Error('WebAssembly is required by these tests');
    const runner = await Word2VecRunner.create(s, 1);
    const [r] = runner.run([{ from: 0, to: 1, alphaFrom: alpha, alphaTo: alpha, rng: 12345 }]);
    runner.close();
    expect(r.pairs).toBe(2);
    const want = expected();
    expectClose(rows(s.syn0).flat(), want.syn0.flat());
    expectClose(rows(s.syn1neg).flat(), want.syn1.flat());
    expect(r.loss).toBeCloseTo(want.loss, 3);
  });

  it('hierarchical softmax follows the Huffman path of the target', () => {
    const s = toy();
    const tree = buildHuffmanTree([3, 2, 1]);
    Object.assign(s, {
      hs: 1,
      negative: 0,
      syn1: new Float32Array([0.2, -0.1, 0.3, 0.1, -0.3, 0.2, 0.1, 0.4]),
      codes: tree.codes,
      points: tree.points,
      codeOffsets: tree.offsets,
      codeLengths: tree.lengths,
    });
    const syn0 = rows(s.syn0);
    const inner = [Array.from(s.syn1.subarray(0, 4)), Array.from(s.syn1.subarray(4, 8))];
    const path = (w: number): Array<[number, number]> =>
      Array.from({ length: tree.lengths[w] }, (_, p) => [
        tree.points[tree.offsets[w] + p],
        1 - tree.codes[tree.offsets[w] + p],
      ]);
    handStep(syn0, inner, 1, path(0), alpha);
    handStep(syn0, inner, 0, path(1), alpha);
    trainSentences(s, 0, 1, alpha, alpha, 7, {
      sentence: new Int32Array(4),
      neu1: new Float32Array(4),
      neu1e: new Float32Array(4),
    });
    expectClose(rows(s.syn0).flat(), syn0.flat());
    expectClose(Array.from(s.syn1), inner.flat());
  });
});
