import { describe, expect, it } from 'vitest';
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
    expect(() => buildCooccurrence([], { weighting: 'gaussian' as never })).rejects.toThrow(/'weighting'/);
  });
});
