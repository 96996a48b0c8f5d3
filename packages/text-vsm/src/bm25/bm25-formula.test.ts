import { describe, expect, it } from 'vitest';
import { Bm25 } from './bm25.js';
import { bm25IdfTable, bm25Parameters, bm25RawIdf, bm25TermScore } from './bm25-formula.js';

// Corpus for the hand derivations: N = 4 documents of lengths 2, 4, 3, 3 → avgdl = 3.
const docs = [
  ['cat', 'dog'],
  ['cat', 'cat', 'cat', 'bird'],
  ['dog', 'fish', 'eel'],
  ['cat', 'eel', 'ant'],
];

describe('BM25 formulas (hand-derived)', () => {
  it('fills in the anchors’ defaults', () => {
    expect(bm25Parameters()).toEqual({ variant: 'okapi', k1: 1.5, b: 0.75, delta: 0.5, epsilon: 0.25 });
    expect(bm25Parameters({ variant: 'lucene' }).k1).toBe(1.2);
    expect(bm25Parameters({ variant: 'bm25plus' }).delta).toBe(1);
    expect(() => bm25Parameters({ b: 2 })).toThrow(/Argument 'b'/);
    expect(() => bm25Parameters({ variant: 'bm11' as never })).toThrow(/Argument 'variant'/);
  });

  it('computes each idf', () => {
    expect(bm25RawIdf('okapi', 1, 4)).toBeCloseTo(Math.log(3.5 / 1.5), 15);
    expect(bm25RawIdf('lucene', 3, 4)).toBeCloseTo(Math.log(1 + 1.5 / 3.5), 15);
    expect(bm25RawIdf('atire', 2, 4)).toBeCloseTo(Math.log(2), 15);
    expect(bm25RawIdf('bm25l', 2, 4)).toBeCloseTo(Math.log(5 / 2.5), 15);
    expect(bm25RawIdf('bm25plus', 2, 4)).toBeCloseTo(Math.log(5 / 2), 15);
  });

  it("floors Okapi's negative idf at ε·mean idf (rank_bm25)", () => {
    // df: cat 3 → ln(1.5/3.5) < 0; dog 2 → ln(2.5/2.5) = 0; bird, fish, eel(2), ant
    // raw idfs: cat ln(3/7), dog 0, bird ln(7/3), fish ln(7/3), eel 0, ant ln(7/3)
    const raw = [Math.log(3 / 7), 0, Math.log(7 / 3), Math.log(7 / 3), 0, Math.log(7 / 3)];
    const mean = raw.reduce((s, x) => s + x, 0) / 6;
    const idf = bm25IdfTable([3, 2, 1, 1, 2, 1, 0], 4, bm25Parameters());
    expect(idf[0]).toBeCloseTo(0.25 * mean, 15);
    expect(idf[1]).toBe(0); // exactly zero is not negative: kept
    expect(idf[2]).toBeCloseTo(Math.log(7 / 3), 15);
    expect(idf[6]).toBe(0); // unseen term
  });

  it('computes each term score', () => {
    // tf 3, |d| = 4, avgdl 3, b = 0.75 → L = 0.25 + 0.75·4/3 = 1.25
    const at = (variant: 'okapi' | 'lucene' | 'atire' | 'bm25l' | 'bm25plus') =>
      bm25TermScore(bm25Parameters({ variant }), 2, 3, 4, 3);
    expect(at('okapi')).toBeCloseTo((2 * 2.5 * 3) / (3 + 1.5 * 1.25), 14);
    expect(at('atire')).toBeCloseTo((2 * 2.5 * 3) / (3 + 1.5 * 1.25), 14);
    expect(at('lucene')).toBeCloseTo((2 * 3) / (3 + 1.2 * 1.25), 14);
    // BM25L: c = 3/1.25 = 2.4; 2·2.5·(2.4 + 0.5)/(1.5 + 2.4 + 0.5)
    expect(at('bm25l')).toBeCloseTo((2 * 2.5 * 2.9) / 4.4, 14);
    expect(at('bm25plus')).toBeCloseTo(2 * ((2.5 * 3) / (3 + 1.5 * 1.25) + 1), 14);
  });
});

describe('Bm25 (direct evaluation)', () => {
  it('scores a query on the hand corpus (Okapi)', () => {
    const bm = Bm25.fit(docs);
    expect(bm.averageDocLength).toBe(3);
    const s = bm.scores(['fish', 'zebra']);
    // fish only in doc 2: idf ln(7/3), tf 1, |d| 3 → L = 1: ln(7/3)·2.5/(1 + 1.5)
    expect(s[2]).toBeCloseTo(Math.log(7 / 3), 14);
    expect([s[0], s[1], s[3]]).toEqual([0, 0, 0]);
    expect(bm.scores([])).toEqual(new Float64Array(4));
  });

  it('counts a repeated query token twice, as rank_bm25', () => {
    const bm = Bm25.fit(docs, { variant: 'lucene' });
    const once = bm.scores(['eel']);
    const twice = bm.scores(['eel', 'eel']);
    expect(twice[3]).toBeCloseTo(2 * once[3], 15);
  });

  it('stays finite on empty corpora and empty documents', () => {
    expect(Bm25.fit([]).scores(['a'])).toEqual(new Float64Array(0));
    const s = Bm25.fit([[], ['a'], []], { variant: 'bm25l' }).scores(['a']);
    expect([...s].every(Number.isFinite)).toBe(true);
    expect(s[1]).toBeGreaterThan(0);
  });
});
