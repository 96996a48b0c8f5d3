import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { instantiateSimd, KernelThreads } from '../src/simd/simd-module.js';
import { gloveEpochSimd } from '../src/test-support/glove-simd-reference.js';
import { twoTopicCorpus } from '../src/test-support/two-topic-corpus.js';
import { zipfCorpus } from '../src/test-support/zipf-corpus.js';
import { buildCooccurrence } from '../src/train/cooccurrence/build-cooccurrence.js';
import { gloveEpoch } from '../src/train/glove/glove-kernel.js';
import {
  prepareGlove,
  resolveGloveOptions,
  runGloveEpochs,
  trainGlove,
} from '../src/train/glove/train-glove.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const PARAMETERS = ['w', 'wt', 'b', 'bt', 'gw', 'gwt', 'gb', 'gbt'] as const;

/**
 * glove-epoch.ts against the loop it replaced (JavaScript driving dot/adagrad per entry, the trainer of
 * earlier releases; src/test-support/glove-simd-reference.ts) and against the float64 JS kernel.
 */
describe('gloveEpoch (the compiled GloVe pass)', () => {
  it('gives the JavaScript-driven loop’s parameters and cost bit for bit, over three ranges', async () => {
    const m = await buildCooccurrence(zipfCorpus(400, 20_000, 2), { window: 5, weighting: 'harmonic' });
    const o = resolveGloveOptions({ dim: 12, threads: 1, seed: 4 }, 'test');
    const compiled = prepareGlove(m, o);
    const reference = prepareGlove(m, o);
    const wasm = compiled.wasm;
    if (!wasm || !reference.wasm) throw new Error('WebAssembly SIMD is required by these tests');
    // 16-bit indices for this vocabulary of 400 words.
    expect(compiled.rows).toBeInstanceOf(Uint16Array);
    const kernels = instantiateSimd(wasm.memory, false);
    const referenceKernels = instantiateSimd(reference.wasm.memory, false);
    // The zipf corpus repeats its values of X: log X and h(X) are stored once per value.
    expect(compiled.values).toBeInstanceOf(Uint32Array);
    const nnz = compiled.nonZeros;
    for (const [from, to] of [
      [0, 1000],
      [1000, 1001],
      [1001, nnz],
    ]) {
      kernels.gloveEpoch(wasm.config, from, to, 0.05, wasm.results);
      const want = gloveEpochSimd(reference, from, to, 0.05, referenceKernels).cost;
      expect(new Float64Array(wasm.memory.buffer, wasm.results, 1)[0]).toBe(want);
    }
    for (const key of PARAMETERS) expect(bits(compiled[key])).toEqual(bits(reference[key]));
    // …and it trained: W moved.
    expect(bits(compiled.w)).not.toEqual(bits(prepareGlove(m, o).w));
  });

  it('prepares the entries in the order of earlier releases (Random.shuffle of 0 … nnz − 1) and W after it', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(200), { window: 3, weighting: 'harmonic' });
    const o = resolveGloveOptions({ dim: 8, threads: 1, seed: 6 }, 'test');
    const s = prepareGlove(m, o);
    const rng = new Random(6);
    const order = rng.shuffle(Int32Array.from({ length: m.nonZeros }, (_, e) => e));
    const rowOf = new Int32Array(m.nonZeros);
    for (let i = 0; i < m.size; i++) for (let p = m.rowPtr[i]; p < m.rowPtr[i + 1]; p++) rowOf[p] = i;
    for (let e = 0; e < m.nonZeros; e++) {
      expect(s.rows[e]).toBe(rowOf[order[e]]);
      expect(s.cols[e]).toBe(m.cols[order[e]]);
      expect(s.logs[s.values ? s.values[e] : e]).toBe(Math.log(m.values[order[e]]));
    }
    expect(s.w[0]).toBe(Math.fround((rng.next() - 0.5) / 8));
  });
  it('holds 8 bytes per co-occurrence (16-bit indices, a value index) and 12 per distinct X beside the parameters, nothing more', async () => {
    const m = await buildCooccurrence(zipfCorpus(500, 30_000, 3), { window: 8, weighting: 'harmonic' });
    const d = 16;
    const s = prepareGlove(m, resolveGloveOptions({ dim: d, threads: 1 }, 'test'));
    const distinct = new Set(m.values).size;
    expect(distinct).toBeLessThan(m.nonZeros / 8);
    expect(s.logs.length).toBe(distinct);
    const parameters = 4 * (4 * m.size * d) + 4 * (4 * m.size);
    const need = parameters + 8 * m.nonZeros + 12 * distinct;
    const bytes = s.wasm!.memory.buffer.byteLength;
    expect(bytes).toBeGreaterThanOrEqual(need);
    // Layout alignment and the last page only.
    expect(bytes).toBeLessThan(need + 65536 + 1024);
    // Without the table: 16 bytes per entry.
    const perEntry = prepareGlove(m, resolveGloveOptions({ dim: d, threads: 1 }, 'test'), false);
    expect(perEntry.values).toBeNull();
    expect(perEntry.wasm!.memory.buffer.byteLength).toBeGreaterThanOrEqual(parameters + 16 * m.nonZeros);
  });

  it.each([1, 2])(
    'trains the same bits with log X and h(X) per distinct value as per entry (threads: %i)',
    async (threads) => {
      const m = await buildCooccurrence(zipfCorpus(300, 20_000, 5), { window: 5, weighting: 'harmonic' });
      const o = resolveGloveOptions({ dim: 8, threads, seed: 7, epochs: 3 }, 'test');
      const runs = [];
      for (const table of [true, false]) {
        const s = prepareGlove(m, o, table);
        expect(s.values === null).toBe(!table);
        runs.push({ s, costs: await runGloveEpochs(s, o) });
      }
      const [a, b] = runs;
      if (threads === 1) {
        expect(a.costs).toEqual(b.costs);
        for (const key of PARAMETERS) expect(bits(a.s[key])).toEqual(bits(b.s[key]));
      }
      // Two threads race (Hogwild), and how they interleave follows the scheduler: the costs of runs of
      // either path spread by up to 1.3% here under load (a CI run failed a 1% bound), so within 5%; a
      // misread table gives costs far off or not finite.
      else
        for (let e = 0; e < 3; e++) expect(Math.abs(a.costs[e] - b.costs[e])).toBeLessThan(0.05 * b.costs[e]);
      // The plain JS kernel reads the table too.
      const js = { ...o, simd: false };
      const c = await runGloveEpochs(prepareGlove(m, js, true), js);
      const e = await runGloveEpochs(prepareGlove(m, js, false), js);
      expect(c).toEqual(e);
    },
  );

  it('follows the float64 JS kernel (float32 rounding apart)', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(100), { window: 3, weighting: 'harmonic' });
    const o = resolveGloveOptions({ dim: 8, threads: 1 }, 'test');
    const compiled = prepareGlove(m, o);
    const plain = prepareGlove(m, { ...o, simd: false });
    expect(plain.wasm).toBeUndefined();
    const wasm = compiled.wasm!;
    const nnz = plain.nonZeros;
    instantiateSimd(wasm.memory, false).gloveEpoch(wasm.config, 0, nnz, 0.05, wasm.results);
    const want = gloveEpoch(plain, 0, nnz, 0.05, 0).cost;
    expect(new Float64Array(wasm.memory.buffer, wasm.results, 1)[0]).toBeCloseTo(want, 4);
    for (const key of PARAMETERS)
      for (let i = 0; i < plain[key].length; i++) expect(compiled[key][i]).toBeCloseTo(plain[key][i], 5);
  });
});

describe('trainGlove on the kernel pool', () => {
  it('threads: 1 gives identical vectors for the same seed twice', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(300), { window: 3, weighting: 'harmonic' });
    const a = await trainGlove(m, { dim: 8, epochs: 4, threads: 1, seed: 3 });
    const b = await trainGlove(m, { dim: 8, epochs: 4, threads: 1, seed: 3 });
    const c = await trainGlove(m, { dim: 8, epochs: 4, threads: 1, seed: 4 });
    expect(bits(a.w)).toEqual(bits(b.w));
    expect(a.costPerEpoch).toEqual(b.costPerEpoch);
    expect(bits(a.w)).not.toEqual(bits(c.w));
  });

  it('threads: 2 shares one memory between two threads and the cost falls as on one', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(500), { window: 3, weighting: 'harmonic' });
    const state = prepareGlove(m, resolveGloveOptions({ dim: 8, threads: 2 }, 'test'));
    expect(state.wasm?.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(state.wasm?.slots).toBe(2);
    const pool = await KernelThreads.start(state.wasm!.memory, 2);
    expect(pool.threads).toBe(2);
    pool.close();
    const two = await trainGlove(m, { dim: 8, epochs: 10, threads: 2, xMax: 10 });
    const one = await trainGlove(m, { dim: 8, epochs: 10, threads: 1, xMax: 10 });
    expect(two.costPerEpoch[9]).toBeLessThan(two.costPerEpoch[0] / 2);
    expect(two.costPerEpoch[9]).toBeLessThan(1.1 * one.costPerEpoch[9]);
  });
});
