import { describe, expect, it } from 'vitest';
import { countVectors } from './count-vectorizer.js';
import { SparseMatrix } from './sparse/sparse-matrix.js';
import { inverseDocumentFrequency, TfIdf, transformTf } from './tf-idf.js';
import { Vocabulary } from './vocabulary.js';

// M = 4 documents; "a" in 3 of them, "b" in 1, "c" in 2.
const docs = [['a', 'a', 'b'], ['a', 'c'], ['a'], ['c', 'c', 'c', 'c']];
const vocab = Vocabulary.build(docs);
const counts = countVectors(docs, vocab);

describe('tf transforms (chapter Fig. 4-2)', () => {
  it('maps a count n by each transform', () => {
    expect(transformTf(4, 'raw')).toBe(4);
    expect(transformTf(4, 'binary')).toBe(1);
    expect(transformTf(4, 'sqrt')).toBe(2);
    expect(transformTf(4, 'log')).toBeCloseTo(Math.log(5), 15);
    expect(transformTf(4, 'sublinear')).toBeCloseTo(1 + Math.log(4), 15);
    expect(transformTf(4, 'bm25')).toBeCloseTo((2.2 * 4) / 5.2, 15); // (k+1)n/(k+n), k = 1.2
    expect(transformTf(1, 'bm25', 5)).toBe(1); // BM25(1) = 1 for every k
    expect(transformTf(1000, 'bm25', 1.2)).toBeLessThan(2.2); // saturates at k + 1
    for (const tf of ['raw', 'binary', 'sqrt', 'log', 'sublinear', 'bm25'] as const)
      expect(transformTf(0, tf)).toBe(0);
  });
});

describe('idf', () => {
  it('computes each kind by hand', () => {
    expect(inverseDocumentFrequency(1, 4, 'chapter')).toBeCloseTo(Math.log(2), 15); // log(M/(N+1))
    expect(inverseDocumentFrequency(3, 4, 'chapter')).toBe(0); // a word in M − 1 documents
    expect(inverseDocumentFrequency(1, 4, 'smooth')).toBeCloseTo(Math.log(5 / 2) + 1, 15);
    expect(inverseDocumentFrequency(1, 4, 'plain')).toBeCloseTo(Math.log(4) + 1, 15);
    expect(inverseDocumentFrequency(0, 4, 'plain')).toBe(0);
    expect(inverseDocumentFrequency(2, 4, 'none')).toBe(1);
  });
});

describe('TfIdf', () => {
  it("reproduces the chapter's n·log(M/(N+1)) without normalization", () => {
    const w = TfIdf.fit(counts, { idf: 'chapter', norm: 'none' }).transform(counts);
    // doc 0: a (n=2, N=3) → 2·log(4/4) = 0; b (n=1, N=1) → log 2
    expect(w.get(0, vocab.id('a'))).toBe(0);
    expect(w.get(0, vocab.id('b'))).toBeCloseTo(Math.log(2), 15);
    // doc 3: c (n=4, N=2) → 4·log(4/3)
    expect(w.get(3, vocab.id('c'))).toBeCloseTo(4 * Math.log(4 / 3), 15);
  });

  it('matches scikit-learn TfidfVectorizer() (smooth idf, l2) by hand', () => {
    const w = TfIdf.fit(counts).transform(counts);
    // doc 0: a → 2·(ln(5/4)+1), b → 1·(ln(5/2)+1), then divided by the l2 norm
    const a = 2 * (Math.log(5 / 4) + 1);
    const b = Math.log(5 / 2) + 1;
    const n = Math.hypot(a, b);
    expect(w.get(0, vocab.id('a'))).toBeCloseTo(a / n, 15);
    expect(w.get(0, vocab.id('b'))).toBeCloseTo(b / n, 15);
    expect(w.get(3, vocab.id('c'))).toBeCloseTo(1, 15);
  });

  it('reproduces scikit-learn 1.2 TfidfVectorizer output on the same corpus', () => {
    // /usr/bin/python3: TfidfVectorizer(token_pattern=r'\S+', **kw).fit_transform(['a a b', 'a c', 'a', 'c c c c'])
    const alphabetical = Vocabulary.build(docs, { order: 'alphabetical' });
    const c = countVectors(docs, alphabetical);
    const cases = [
      [
        {},
        [
          [0.787222976104, 0.616668457028, 0],
          [0.62922751467, 0, 0.777221162079],
          [1, 0, 0],
          [0, 0, 1],
        ],
      ],
      [
        { tf: 'sublinear', idf: 'plain', norm: 'l1' }, // sublinear_tf=True, smooth_idf=False, norm='l1'
        [
          [0.477438108661, 0.522561891339, 0],
          [0.431987867521, 0, 0.568012132479],
          [1, 0, 0],
          [0, 0, 1],
        ],
      ],
    ] as const;
    for (const [options, expected] of cases) {
      const rows = TfIdf.fit(c, options).transform(c).toArray();
      rows.forEach((row, r) => {
        row.forEach((x, j) => {
          expect(x).toBeCloseTo(expected[r][j], 11);
        });
      });
    }
  });

  it('applies sublinear tf, non-smooth idf and l1 norm together', () => {
    const w = TfIdf.fit(counts, { tf: 'sublinear', idf: 'plain', norm: 'l1' }).transform(counts);
    const a = (1 + Math.log(2)) * (Math.log(4 / 3) + 1);
    const b = 1 * (Math.log(4) + 1);
    expect(w.get(0, vocab.id('a'))).toBeCloseTo(a / (a + b), 15);
    expect(w.get(0, vocab.id('b'))).toBeCloseTo(b / (a + b), 15);
  });

  it('weights with the BM25 saturation and transforms new documents with the fitted idf', () => {
    const model = TfIdf.fit(counts, { tf: 'bm25', k: 2, idf: 'none', norm: 'none' });
    expect(model.transform(counts).get(3, vocab.id('c'))).toBeCloseTo((3 * 4) / 6, 15);
    const query = countVectors([['b', 'zebra']], vocab);
    expect(TfIdf.fit(counts).transform(query).toArray()).toEqual([[0, 1, 0]]);
  });

  it('keeps empty rows at zero and rejects bad input', () => {
    const withEmpty = SparseMatrix.fromRows([[[0, 1]], []], 2);
    const w = TfIdf.fit(withEmpty).transform(withEmpty);
    expect(Array.from(w.toDense()).every(Number.isFinite)).toBe(true);
    expect(() => TfIdf.fit(SparseMatrix.fromRows([], 3))).toThrow(/at least one document/);
    expect(() => TfIdf.fit(counts, { norm: 'l3' as never })).toThrow(/Argument 'norm'/);
    expect(() => TfIdf.fit(counts).transform(withEmpty)).toThrow(/Argument 'counts'/);
  });
});
