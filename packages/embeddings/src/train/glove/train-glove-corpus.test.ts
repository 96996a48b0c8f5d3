import { InvalidArgumentError, Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { zipfCorpus } from '../../test-support/zipf-corpus.js';
import { buildCooccurrence } from '../cooccurrence/build-cooccurrence.js';
import { unpackEntry } from './glove-kernel.js';
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
    ['6 bytes per entry after the parameters', 64, true],
    ['6 bytes per entry after the counting', 8, true],
    ['8 bytes per entry for the JS kernel', 8, false],
  ])(
    'lays the state out over the counting’s scratch, then 12 bytes per distinct X: %s (dim %i, simd %s)',
    async (_, dim, simd) => {
      const corpus = zipfCorpus(300, 20_000, 9);
      const counting = { window: 6, weighting: 'harmonic', minCount: 2 } as const;
      const m = await buildCooccurrence(corpus, counting);
      const o = resolveGloveOptions({ dim, threads: 1, simd, seed: 3 }, 'test');
      const { state: s, layout, scratchEnd } = await countGloveState(corpus, counting, o);
      const nnz = m.nonZeros;
      const distinct = new Set(m.values).size;
      expect(s.nonZeros).toBe(nnz);
      expect(s.values).toBeInstanceOf(Uint32Array);
      expect(s.cols).toBeInstanceOf(Uint16Array);
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
      expect(s.values!.byteOffset).toBe(align(Math.max(parametersEnd, scratchEnd)));
      expect(s.cols.byteOffset).toBe(align(s.values!.byteOffset + 4 * nnz));
      // Packed (i + 2ᵇ·j + 2²ᵇ·v in the value index's u32 and the column's u16): no rows.
      const b = Math.ceil(Math.log2(m.size));
      expect(s.packed).toBe(simd ? b : 0);
      const rowBytes = simd ? 0 : 2 * nnz;
      expect(s.rows.length).toBe(simd ? 0 : nnz);
      if (!simd) expect(s.rows.byteOffset).toBe(align(s.cols.byteOffset + 2 * nnz));
      const entriesEnd = simd ? s.cols.byteOffset + 2 * nnz : s.rows.byteOffset + rowBytes;
      expect(s.logs.byteOffset).toBe(align(entriesEnd));
      expect(s.weights.byteOffset).toBe(align(s.logs.byteOffset + 8 * distinct));
      expect(layout.end).toBe(s.weights.byteOffset + 4 * distinct);
      const perEntry = simd ? 6 : 8;
      expect(layout.end - s.values!.byteOffset).toBeLessThan(perEntry * nnz + 12 * distinct + 4 * 64);
      // The memory is that (its last page), or the raw corpus's 1 MiB growth steps when they reach further.
      const raw = corpus.reduce((a, x) => a + x.length, 0);
      const grown = Math.max(layout.end, at + 4 * (raw + corpus.length + 1) + 2 ** 20);
      expect(s.w.buffer.byteLength).toBeLessThanOrEqual(Math.ceil(grown / 65536) * 65536);
      // Every entry is one of the matrix's, each once, with its log X; the table by decreasing frequency.
      const seen = new Set<number>();
      const frequency = new Int32Array(distinct);
      for (let e = 0; e < nnz; e++) {
        const [i, j, v] = unpackEntry(s, e);
        expect(s.logs[v]).toBe(Math.log(m.get(i, j)));
        seen.add(i * m.size + j);
        frequency[v]++;
      }
      expect(seen.size).toBe(nnz);
      for (let r = 1; r < distinct; r++) expect(frequency[r]).toBeLessThanOrEqual(frequency[r - 1]);
    },
  );

  it('packs 16-bit word indices (b = 16, over 32,768 words) and trains the bits of trainGlove', async () => {
    const rng = new Random(8);
    const corpus = Array.from({ length: 15_000 }, () =>
      Array.from({ length: 10 }, () => `w${rng.int(rng.next() < 0.4 ? 200 : 60_000)}`),
    );
    const training = { dim: 4, epochs: 2, seed: 2, threads: 1 };
    const m = await buildCooccurrence(corpus, { window: 2 });
    expect(m.size).toBeGreaterThan(32768);
    const { state } = await countGloveState(corpus, { window: 2 }, resolveGloveOptions(training, 'test'));
    expect(state.packed).toBe(16);
    const want = await trainGlove(m, training);
    const got = await trainGloveOnCorpus(corpus, { window: 2, ...training });
    expect(got.costPerEpoch).toEqual(want.costPerEpoch);
    for (const key of ['w', 'wt', 'b', 'bt'] as const) expect(bits(got[key])).toEqual(bits(want[key]));
  });

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
