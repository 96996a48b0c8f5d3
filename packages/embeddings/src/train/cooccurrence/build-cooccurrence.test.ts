import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { zipfCorpus } from '../../test-support/zipf-corpus.js';
import { buildCooccurrence } from './build-cooccurrence.js';

/** Listing 4-1c's tokenisation: split on whitespace, a trailing '.' becomes its own token. */
function listingTokens(doc: string): string[] {
  return doc
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((x) => (x.split('.').length === 2 ? [x.split('.')[0], '.'] : x.split('.')));
}

// The matrix Listing 4-1c prints, in the (Python set) order its rows came out in.
const PRINTED = [
  [0, 2, 0, 0, 1, 0, 0, 1],
  [2, 0, 1, 0, 0, 0, 0, 0],
  [0, 1, 0, 0, 0, 1, 0, 0],
  [0, 0, 0, 0, 0, 1, 1, 1],
  [1, 0, 0, 0, 0, 0, 1, 0],
  [0, 0, 1, 1, 0, 0, 0, 0],
  [0, 0, 0, 1, 1, 0, 0, 0],
  [1, 0, 0, 1, 0, 0, 0, 0],
];
// That order, read off the printed matrix: like–I twice, I–prefer, prefer–Python, Python–'.', …
const PRINTED_ORDER = ['like', 'I', 'prefer', '.', 'Machine', 'Python', 'Learning', 'TensorFlow'];

describe('buildCooccurrence', () => {
  it("reproduces the chapter's 8×8 co-occurrence matrix for its three sentences (Listing 4-1c)", async () => {
    const corpus = ['I like Machine Learning.', 'I like  TensorFlow.', 'I prefer Python.'].map(listingTokens);
    const m = await buildCooccurrence(corpus, { window: 1 });
    expect(m.size).toBe(8);
    expect([...m.words].sort()).toEqual([...PRINTED_ORDER].sort());
    const dense = m.toDense();
    const at = (w: string) => m.words.indexOf(w);
    const permuted = PRINTED_ORDER.map((a) => PRINTED_ORDER.map((b) => dense[at(a)][at(b)]));
    expect(permuted).toEqual(PRINTED);
    expect(m.nonZeros).toBe(18);
    // Words are ordered by frequency: I and '.' occur 3 times.
    expect(m.words.slice(0, 3)).toEqual(['I', '.', 'like']);
  });

  it('weights by 1/k with the harmonic scheme and counts left contexts only when asymmetric', async () => {
    const m = await buildCooccurrence([['a', 'b', 'c']], { window: 2, weighting: 'harmonic' });
    const ix = (w: string) => m.words.indexOf(w);
    expect(m.get(ix('a'), ix('c'))).toBeCloseTo(0.5, 12);
    expect(m.get(ix('c'), ix('a'))).toBeCloseTo(0.5, 12);
    expect(m.get(ix('a'), ix('b'))).toBe(1);
    const left = await buildCooccurrence([['a', 'b', 'c']], { window: 2, symmetric: false });
    const jx = (w: string) => left.words.indexOf(w);
    expect(left.get(jx('c'), jx('a'))).toBe(1);
    expect(left.get(jx('a'), jx('c'))).toBe(0);
  });

  it('computes PPMI = max(0, log(X·ΣX / (row·col))) and drops non-positive entries', async () => {
    const m = await buildCooccurrence(
      [
        ['a', 'b'],
        ['a', 'c'],
        ['a', 'b'],
      ],
      { window: 1 },
    );
    // X: a–b 2, a–c 1 (symmetric); ΣX = 6; row(a) = 3, col(b) = 2 → log(2·6/6) = log 2.
    const p = m.ppmi();
    const ix = (w: string) => m.words.indexOf(w);
    expect(p.get(ix('a'), ix('b'))).toBeCloseTo(Math.log(2), 12);
    expect(p.get(ix('a'), ix('c'))).toBeCloseTo(Math.log(2), 12);
    expect(p.nonZeros).toBe(4);
    await expect(buildCooccurrence([], { weighting: 'gaussian' as never })).rejects.toThrow(/'weighting'/);
  });

  it('refuses unknown options and bad values by name', async () => {
    const corpus = [['a', 'b', 'c']];
    await expect(buildCooccurrence(corpus, { windowSize: 2 } as never)).rejects.toThrow(
      /'windowSize'.*'buildCooccurrence'.*there is no option 'windowSize'/,
    );
    await expect(buildCooccurrence(corpus, { min_count: 2 } as never)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(buildCooccurrence(corpus, 'window' as never)).rejects.toThrow(/'options'/);
    await expect(buildCooccurrence(corpus, { symmetric: 'yes' as never })).rejects.toThrow(
      /'symmetric'.*a boolean/,
    );
    await expect(buildCooccurrence(corpus, { window: 1.5 })).rejects.toThrow(/'window'/);
    await expect(buildCooccurrence(corpus, { minCount: 0 })).rejects.toThrow(/'minCount'/);
  });
});

describe('buildCooccurrence counts row by row', () => {
  /** The scan of earlier releases, pair by pair into a map: the order every X[i][j] was summed in. */
  function reference(corpus: string[][], window: number, harmonic: boolean, symmetric: boolean) {
    const sums = new Map<string, number>();
    const add = (a: string, b: string, x: number) => {
      const key = `${a} ${b}`;
      const old = sums.get(key);
      sums.set(key, old === undefined ? x : old + x);
    };
    for (const s of corpus)
      for (let t = 0; t < s.length; t++)
        for (let k = 1; k <= window && t - k >= 0; k++) {
          add(s[t], s[t - k], harmonic ? 1 / k : 1);
          if (symmetric) add(s[t - k], s[t], harmonic ? 1 / k : 1);
        }
    return sums;
  }

  for (const [harmonic, symmetric] of [
    [true, true],
    [false, true],
    [true, false],
  ])
    it(`${harmonic ? 'harmonic' : 'uniform'}, ${symmetric ? 'symmetric' : 'left contexts'}: every value equals the pair-by-pair scan exactly, columns sorted`, async () => {
      const corpus = zipfCorpus(60, 6000, 5).map((s, i) => (i % 7 === 0 ? s.slice(0, 2) : s));
      const window = 6;
      const m = await buildCooccurrence(corpus, {
        window,
        weighting: harmonic ? 'harmonic' : 'uniform',
        symmetric,
      });
      const want = reference(corpus, window, harmonic, symmetric);
      expect(m.nonZeros).toBe(want.size);
      for (let i = 0; i < m.size; i++)
        for (let p = m.rowPtr[i]; p < m.rowPtr[i + 1]; p++) {
          if (p > m.rowPtr[i]) expect(m.cols[p]).toBeGreaterThan(m.cols[p - 1]);
          expect(m.values[p]).toBe(want.get(`${m.words[i]} ${m.words[m.cols[p]]}`));
        }
    });
});
