import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { zipfCorpus } from '../../test-support/zipf-corpus.js';
import { buildCooccurrence } from '../cooccurrence/build-cooccurrence.js';
import { gloveParametersAt } from './glove-memory.js';
import { resolveGloveOptions, trainGlove } from './train-glove.js';
import { countGloveState, trainGloveOnCorpus } from './train-glove-corpus.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('trainGloveOnCorpus', () => {
  it.each([true, false])(
    'gives trainGlove(buildCooccurrence(…))’s vectors and costs bit for bit (threads: 1, simd: %s)',
    async (simd) => {
      const corpus = zipfCorpus(300, 20_000, 9);
      const counting = { window: 6, weighting: 'harmonic', minCount: 2 } as const;
      const training = { dim: 8, epochs: 3, seed: 5, threads: 1, simd, xMax: 10 };
      const m = await buildCooccurrence(corpus, counting);
      const want = await trainGlove(m, training);
      const got = await trainGloveOnCorpus(corpus, { ...counting, ...training });
      expect(got.nonZeros).toBe(m.nonZeros);
      expect(got.costPerEpoch).toEqual(want.costPerEpoch);
      for (const key of ['w', 'wt', 'b', 'bt'] as const) expect(bits(got[key])).toEqual(bits(want[key]));
      expect(got.vectors.words).toEqual(m.words);
      expect(got.vectors.counts).toEqual(m.counts);
    },
  );

  it.each([
    ['the parameters', 64],
    ['the counting', 8],
  ])(
    'lays the state out over the counting’s scratch: 8 bytes per entry and 12 per distinct X after what is larger, %s (dim %i)',
    async (_, dim) => {
      const corpus = zipfCorpus(300, 20_000, 9);
      const counting = { window: 6, weighting: 'harmonic', minCount: 2 } as const;
      const m = await buildCooccurrence(corpus, counting);
      const o = resolveGloveOptions({ dim, threads: 1 }, 'test');
      const { state: s, layout, scratchEnd } = await countGloveState(corpus, counting, o);
      const nnz = m.nonZeros;
      const distinct = new Set(m.values).size;
      expect(s.nonZeros).toBe(nnz);
      expect(s.rows).toBeInstanceOf(Uint16Array);
      expect(s.values).toBeInstanceOf(Uint32Array);
      expect(s.logs.length).toBe(distinct);
      // The counting's scratch starts where W does: the ids with a boundary per sentence and one more,
      // then (64-byte aligned) the index of the kept words' positions.
      const kept = m.counts.reduce((a, c) => a + c, 0);
      const at = gloveParametersAt(1);
      expect(s.w.byteOffset).toBe(at);
      const align = (x: number) => Math.ceil(x / 64) * 64;
      expect(scratchEnd).toBe(align(at + 4 * (kept + corpus.length + 1)) + 4 * kept);
      // The entries follow the parameters or the scratch, whichever ends later, then the values of X.
      const parametersEnd = s.gbt.byteOffset + s.gbt.byteLength;
      expect(parametersEnd).toBe(at + 4 * (4 * m.size * dim) + 3 * align(4 * m.size) + 4 * m.size);
      expect(parametersEnd > scratchEnd).toBe(dim === 64);
      expect(s.rows.byteOffset).toBe(align(Math.max(parametersEnd, scratchEnd)));
      expect(s.cols.byteOffset).toBe(align(s.rows.byteOffset + 2 * nnz));
      expect(s.values!.byteOffset).toBe(align(s.cols.byteOffset + 2 * nnz));
      expect(s.logs.byteOffset).toBe(align(s.values!.byteOffset + 4 * nnz));
      expect(s.weights.byteOffset).toBe(align(s.logs.byteOffset + 8 * distinct));
      expect(layout.end).toBe(s.weights.byteOffset + 4 * distinct);
      expect(layout.end - s.rows.byteOffset).toBeLessThan(8 * nnz + 12 * distinct + 4 * 64);
      // The memory is that (its last page), or the raw corpus's 1 MiB growth steps when they reach further.
      const raw = corpus.reduce((a, x) => a + x.length, 0);
      const grown = Math.max(layout.end, at + 4 * (raw + corpus.length + 1) + 2 ** 20);
      expect(s.wasm!.memory.buffer.byteLength).toBeLessThanOrEqual(Math.ceil(grown / 65536) * 65536);
      // The table is numbered by decreasing frequency.
      const frequency = new Int32Array(distinct);
      for (const v of s.values!) frequency[v]++;
      for (let r = 1; r < distinct; r++) expect(frequency[r]).toBeLessThanOrEqual(frequency[r - 1]);
    },
  );

  it('trains on two threads: the cost falls', async () => {
    const r = await trainGloveOnCorpus(zipfCorpus(200, 10_000, 4), {
      window: 4,
      dim: 8,
      epochs: 5,
      threads: 2,
    });
    expect(r.costPerEpoch[4]).toBeLessThan(r.costPerEpoch[0]);
    const o = resolveGloveOptions({ dim: 8, threads: 2 }, 'test');
    const { state } = await countGloveState(zipfCorpus(200, 10_000, 4), { window: 4 }, o);
    expect(state.wasm?.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(state.wasm?.slots).toBe(2);
    expect(state.w.byteOffset).toBe(gloveParametersAt(2));
  });

  it('refuses unknown and bad options, and a corpus without co-occurrences, by name', async () => {
    const corpus = [['a', 'b', 'c']];
    await expect(trainGloveOnCorpus(corpus, { windowSize: 2 } as never)).rejects.toThrow(
      /there is no option 'windowSize'/,
    );
    await expect(trainGloveOnCorpus(corpus, { window: 0 })).rejects.toThrow(
      /'window'.*trainGloveOnCorpus|trainGloveOnCorpus.*'window'/,
    );
    await expect(trainGloveOnCorpus(corpus, { xMax: 0 })).rejects.toThrow(/'xMax'/);
    const none = trainGloveOnCorpus([['a'], ['b']], { dim: 4 });
    await expect(none).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(trainGloveOnCorpus([['a'], ['b']], { dim: 4 })).rejects.toThrow(/'corpus'/);
  });
});
