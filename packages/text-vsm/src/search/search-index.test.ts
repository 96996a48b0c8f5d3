import { Random, WordloomError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { Bm25 } from '../bm25/bm25.js';
import { bm25Parameters, bm25TermScore } from '../bm25/bm25-formula.js';
import { countVectors } from '../count-vectorizer.js';
import { dotProducts } from '../similarity.js';
import { TfIdf } from '../tf-idf.js';
import { Vocabulary } from '../vocabulary.js';
import { SEARCH_SCORINGS, SearchIndex, type SearchScoring } from './search-index.js';

/** Largest share of their postings that stop-word queries may score (see the block-max tests). */
const STOP_WORD_FRACTION = 0.1;

function randomCorpus(rng: Random, docs: number, vocab: number, maxLength: number): string[][] {
  // Zipf-like word choice so some terms are frequent (long postings) and many rare.
  return Array.from({ length: docs }, () =>
    Array.from({ length: rng.int(maxLength + 1) }, () => `w${Math.floor(vocab ** rng.next()) - 1}`),
  );
}

describe('SearchIndex scoring', () => {
  const docs = [
    ['cat', 'dog'],
    ['cat', 'cat', 'cat', 'bird'],
    ['dog', 'fish', 'eel'],
    ['cat', 'eel', 'ant'],
  ];
  const index = new SearchIndex();
  for (const d of docs) index.add(d);

  it('scores by hand (Okapi, N = 4, avgdl = 3)', () => {
    // "fish": doc 2 only, idf ln(3.5/1.5), tf 1, |d| = avgdl → score = idf·2.5/2.5
    expect(index.search('fish', { scoring: 'okapi' })).toEqual([{ doc: 2, score: Math.log(3.5 / 1.5) }]);
    // The default is Lucene: idf ln(1 + 3.5/1.5), tf/(tf + 1.2·L) with L = 1 → idf/2.2
    expect(index.search('fish')).toEqual([{ doc: 2, score: Math.log(1 + 3.5 / 1.5) / 2.2 }]);
    // "bird": doc 1, tf 1, |d| = 4 → L = 0.25 + 0.75·4/3 = 1.25; idf ln(7/3)
    const [hit] = index.search('bird', { scoring: 'atire' });
    expect(hit.doc).toBe(1);
    expect(hit.score).toBeCloseTo((Math.log(4) * 2.5) / (1 + 1.5 * 1.25), 14);
    // tf-idf: Σ qtf·tf·(ln((1+N)/(1+df)) + 1): "cat" in doc 1 → 3·(ln(5/4) + 1)
    expect(index.search('cat', { scoring: 'tfidf', top: 1 })[0].score).toBeCloseTo(
      3 * (Math.log(5 / 4) + 1),
      14,
    );
  });

  it('equals the direct evaluation (Bm25) for every variant', () => {
    for (const variant of ['okapi', 'lucene', 'atire', 'bm25l', 'bm25plus'] as const) {
      const reference = Bm25.fit(docs, { variant }).scores(['cat', 'eel', 'cat']);
      const ours = index.scores(['cat', 'eel', 'cat'], { scoring: variant });
      for (let d = 0; d < 4; d++) expect(ours[d]).toBeCloseTo(reference[d], 13);
    }
  });

  it('honours k1, b and delta', () => {
    const params = bm25Parameters({ variant: 'bm25plus', k1: 0.9, b: 0.4, delta: 2 });
    const idf = Math.log(5 / 2); // "eel": df 2
    const expected = bm25TermScore(params, idf, 1, 3, 3);
    expect(index.scores('eel', { scoring: 'bm25plus', k1: 0.9, b: 0.4, delta: 2 })[3]).toBeCloseTo(
      expected,
      15,
    );
    expect(() => index.search('eel', { scoring: 'bm26' as never })).toThrow(/Argument 'scoring'/);
    expect(() => index.search('eel', { k1: -1 })).toThrow(/Argument 'k1'/);
    expect(() => index.search('eel', { top: 1.5 })).toThrow(/Argument 'top'/);
  });

  it('returns [] for empty queries, unknown terms and top 0', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search([])).toEqual([]);
    expect(index.search('zebra unicorn')).toEqual([]);
    expect(index.search('cat', { top: 0 })).toEqual([]);
    expect(index.search('zebra fish').map((h) => h.doc)).toEqual([2]);
    expect(new SearchIndex().search('anything')).toEqual([]);
  });

  it('counts empty documents in N and avgdl, never matching them, with finite scores', () => {
    const withEmpty = new SearchIndex();
    for (const d of ['', 'a b', '', '...', 'a']) withEmpty.add(d);
    expect(withEmpty.documentCount).toBe(5);
    expect(withEmpty.averageDocLength).toBeCloseTo(3 / 5, 15);
    for (const scoring of SEARCH_SCORINGS) {
      const hits = withEmpty.search('a b', { scoring });
      expect(hits.map((h) => h.doc).sort()).toEqual([1, 4]);
      expect(hits.every((h) => Number.isFinite(h.score))).toBe(true);
      expect([...withEmpty.scores('a b', { scoring })].every(Number.isFinite)).toBe(true);
    }
  });
});

describe('SearchIndex scores equal the direct formulas on random corpora', () => {
  const rng = new Random(99);
  const corpus = randomCorpus(rng, 300, 60, 20);
  const index = new SearchIndex();
  for (const d of corpus) index.add(d);
  const queries = Array.from({ length: 20 }, () =>
    Array.from({ length: 1 + rng.int(4) }, () => `w${rng.int(60)}`),
  );

  it('matches Bm25 for every variant (query terms distinct, so both sum the same terms)', () => {
    for (const variant of ['okapi', 'lucene', 'atire', 'bm25l', 'bm25plus'] as const) {
      const direct = Bm25.fit(corpus, { variant });
      for (const q of queries) {
        const unique = [...new Set(q)];
        const expected = direct.scores(unique);
        const ours = index.scores(unique, { scoring: variant });
        for (let d = 0; d < corpus.length; d++) {
          expect(Math.abs(ours[d] - expected[d])).toBeLessThanOrEqual(1e-12 * Math.abs(expected[d]));
        }
      }
    }
  });

  it("matches TfIdf (raw tf × smooth idf, no norm) dotted with the query's counts for 'tfidf'", () => {
    const vocab = Vocabulary.build(corpus);
    const counts = countVectors(corpus, vocab);
    const weighted = TfIdf.fit(counts, { idf: 'smooth', norm: 'none' }).transform(counts);
    for (const q of queries) {
      const expected = dotProducts(countVectors([q], vocab).row(0), weighted);
      const ours = index.scores(q, { scoring: 'tfidf' });
      for (let d = 0; d < corpus.length; d++) expect(ours[d]).toBeCloseTo(expected[d], 10);
    }
  });
});

describe('SearchIndex top-k (MaxScore) equals exhaustive scoring', () => {
  it('on random corpora, every scoring, several k and query lengths', () => {
    const rng = new Random(20261126);
    for (let trial = 0; trial < 12; trial++) {
      const corpus = randomCorpus(rng, 50 + rng.int(400), 20 + rng.int(300), 1 + rng.int(30));
      const index = new SearchIndex();
      for (const d of corpus) index.add(d);
      // Deletions make bounds loose and statistics change: the result must still be exact.
      for (let i = 0; i < 10; i++) index.delete(rng.int(corpus.length));
      for (let q = 0; q < 15; q++) {
        const query = Array.from({ length: 1 + rng.int(6) }, () => `w${Math.floor(40 ** rng.next()) - 1}`);
        const scoring = SEARCH_SCORINGS[rng.int(SEARCH_SCORINGS.length)] as SearchScoring;
        const top = [1, 3, 10, 50][rng.int(4)];
        expect(index.search(query, { scoring, top })).toEqual(
          index.searchExhaustive(query, { scoring, top }),
        );
      }
    }
  });

  it('breaks ties by the smaller doc id, like the exhaustive sort', () => {
    const index = new SearchIndex();
    for (let i = 0; i < 30; i++) index.add(i % 3 === 0 ? 'same words here' : 'other text');
    const hits = index.search('same', { top: 4 });
    expect(hits.map((h) => h.doc)).toEqual([0, 3, 6, 9]);
    expect(hits).toEqual(index.searchExhaustive('same', { top: 4 }));
  });

  it('skips postings instead of scoring every document', () => {
    // One rare, high-idf term and one term in every document: once the heap fills with the rare-term
    // documents, the common term becomes non-essential and is only probed.
    const index = new SearchIndex();
    for (let i = 0; i < 2000; i++) index.add(i % 200 === 0 ? 'rare common' : 'common filler words');
    for (const scoring of ['okapi', 'lucene'] as const) {
      const exhaustive = index.searchExhaustive('rare common', { top: 1, scoring });
      expect(index.search('rare common', { top: 1, scoring })).toEqual(exhaustive);
      expect(exhaustive[0].doc).toBe(0);
      // 2000 documents match "common"; after doc 0 fills the heap only the 10 "rare" ones are scored.
      expect(index.lastSearchScored).toBe(10);
    }
  });
});

describe('SearchIndex add / delete / save / load', () => {
  it('updates statistics on delete and add, matching a fresh index of the remaining documents', () => {
    const rng = new Random(3);
    const corpus = randomCorpus(rng, 200, 50, 12);
    const index = new SearchIndex();
    for (const d of corpus) index.add(d);
    const gone = new Set([0, 5, 17, 199, 100]);
    for (const d of gone) expect(index.delete(d)).toBe(true);
    expect(index.delete(5)).toBe(false);
    expect(index.delete(1000)).toBe(false);
    expect(index.has(5)).toBe(false);
    const fresh = new SearchIndex();
    const mapping: number[] = [];
    corpus.forEach((d, i) => {
      if (!gone.has(i)) {
        fresh.add(d);
        mapping.push(i);
      }
    });
    for (const scoring of SEARCH_SCORINGS) {
      const query = ['w1', 'w7', 'w20'];
      const a = index.search(query, { scoring, top: 20 });
      const b = fresh
        .search(query, { scoring, top: 20 })
        .map((h) => ({ doc: mapping[h.doc], score: h.score }));
      expect(a.map((h) => h.doc)).toEqual(b.map((h) => h.doc));
      a.forEach((h, i) => {
        expect(h.score).toBeCloseTo(b[i].score, 12);
      });
    }
    const id = index.add(['w1', 'w1', 'w1']);
    expect(id).toBe(200);
    expect(index.search('w1', { top: 1 })[0].doc).toBe(200);
    index.compact();
    expect(index.search(['w1', 'w7'], { top: 30 })).toEqual(
      index.searchExhaustive(['w1', 'w7'], { top: 30 }),
    );
  });

  it('serializes and loads an identical index (searches, statistics, further edits)', () => {
    const rng = new Random(11);
    const index = new SearchIndex({ tokenizer: { stopWords: ['the'] } });
    for (const d of randomCorpus(rng, 300, 80, 15)) index.add(d.join(' '));
    index.add('The café, the naïve');
    index.delete(3);
    const bytes = index.serialize();
    const back = SearchIndex.load(bytes);
    expect(back.documentCount).toBe(index.documentCount);
    expect(back.size).toBe(index.size);
    expect(back.averageDocLength).toBe(index.averageDocLength);
    expect(back.tokenize('The CAFÉ')).toEqual(['café']);
    for (const scoring of SEARCH_SCORINGS) {
      expect(back.search('w1 w2 w30 café', { scoring, top: 25 })).toEqual(
        index.search('w1 w2 w30 café', { scoring, top: 25 }),
      );
    }
    expect(back.serialize()).toEqual(bytes);
    back.delete(4);
    index.delete(4);
    expect(back.add('w1 w1')).toBe(index.add('w1 w1'));
    expect(back.search('w1', { top: 5 })).toEqual(index.search('w1', { top: 5 }));
  });

  it('rejects corrupt bytes with a WordloomError (see search-index-file.test.ts for the fuzz suite)', () => {
    const bytes = new SearchIndex().serialize();
    expect(() => SearchIndex.load(new Uint8Array(4))).toThrow(WordloomError);
    expect(() => SearchIndex.load(bytes.slice(0, bytes.length - 1))).toThrow(
      /not a valid wordloom search index/,
    );
    const index = new SearchIndex();
    index.add('a b');
    const good = index.serialize();
    expect(() => SearchIndex.load(good.slice(0, good.length - 4))).toThrow(/no checksum footer/);
    const garbled = good.slice();
    garbled[12] = 0x78; // 'x' where the JSON header starts
    expect(() => SearchIndex.load(garbled)).toThrow(/checksum mismatch/);
    const v1 = good.slice();
    v1[7] = 0x31; // WLSIDX01: the format before checksums and the UAX #29 tokenizer
    expect(() => SearchIndex.load(v1)).toThrow(/format version 1.*rebuild the index/);
  });

  it('adds in batches with progress; an abort leaves the index as it was before the call', async () => {
    const index = new SearchIndex();
    const seen: number[] = [];
    await index.addDocuments(['a', 'b', 'c', 'd', 'e'], {
      progressEvery: 2,
      onProgress: (done, total) => {
        seen.push(done);
        expect(total).toBe(5);
      },
    });
    expect(seen).toEqual([2, 4, 5]);
    const controller = new AbortController();
    const more = Array.from({ length: 10 }, () => 'x');
    await expect(
      index.addDocuments(more, {
        progressEvery: 3,
        onProgress: (done) => {
          if (done === 3) controller.abort();
        },
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i);
    expect(index.documentCount).toBe(5);
    expect(index.size).toBe(5);
    expect(index.termCount).toBe(5);
    expect(index.search('x')).toEqual([]);
    expect(() => index.add(42 as never)).toThrow(/Argument 'document' passed to 'SearchIndex.add'/);
  });
});

describe('SearchIndex defaults and edges (issue: search at the edges)', () => {
  it("defaults to Lucene's BM25: positive scores, the shorter document with both words first", () => {
    const index = new SearchIndex();
    index.add('the cat chased the mouse');
    index.add(
      'the cat sat on the mat while a dog chased a ball across a long and winding garden path far away',
    );
    const lucene = index.search('cat chased');
    expect(lucene.map((h) => h.doc)).toEqual([0, 1]);
    expect(lucene.every((h) => h.score > 0)).toBe(true);
    // Both terms in both documents: idf = ln(1 + 0.5/2.5) for each; |d| = 5 and 21, avgdl = 13.
    const idf = Math.log(1 + 0.5 / 2.5);
    const l0 = 0.25 + (0.75 * 5) / 13;
    expect(lucene[0].score).toBeCloseTo(2 * ((idf * 1) / (1 + 1.2 * l0)), 15);
    // Okapi with rank_bm25's floor: both idfs negative → ε·mean idf < 0, so the longer document wins.
    const okapi = index.search('cat chased', { scoring: 'okapi' });
    expect(okapi.map((h) => h.doc)).toEqual([1, 0]);
    expect(okapi.every((h) => h.score <= 0)).toBe(true);
  });

  it('caps top at the live document count ("all hits" idiom) without allocating for it', () => {
    const index = new SearchIndex();
    for (const d of ['a b', 'a', 'b c', 'c']) index.add(d);
    index.delete(3);
    for (const top of [Number.MAX_SAFE_INTEGER, 5e7, 4, 3]) {
      const hits = index.search('a b c', { top });
      expect(hits.map((h) => h.doc)).toEqual([2, 0, 1]); // doc 2 holds 'c', the rarest live term
      expect(hits).toEqual(index.searchExhaustive('a b c', { top }));
    }
    for (const top of [-1, 1.5, Number.NaN, Infinity, '3' as never]) {
      expect(() => index.search('a', { top })).toThrow(/Argument 'top' passed to 'SearchIndex.search'/);
    }
    expect(() => index.search('a', { topN: 3 } as never)).toThrow(/Argument 'topN'/);
    expect(() => new SearchIndex({ tokeniser: {} } as never)).toThrow(/Argument 'tokeniser'/);
  });

  it('scores documents longer than the length-normalization table exactly', () => {
    const long = [...Array.from({ length: 70_000 }, () => 'filler'), 'needle'];
    const docs = [long, ['needle', 'hay'], ['hay']];
    const index = new SearchIndex();
    for (const d of docs) index.add(d);
    for (const variant of ['lucene', 'okapi', 'bm25l'] as const) {
      const direct = Bm25.fit(docs, { variant }).scores(['needle']);
      const ours = index.scores(['needle'], { scoring: variant });
      expect([...ours]).toEqual([...direct]);
      expect(index.search('needle', { scoring: variant })).toEqual(
        index.searchExhaustive('needle', { scoring: variant }),
      );
    }
  });

  it('streams async iterables (a readline interface over a stream)', async () => {
    const { createInterface } = await import('node:readline');
    const { Readable } = await import('node:stream');
    const index = new SearchIndex();
    const lines = createInterface({
      input: Readable.from(['the cat\nthe dog\r\n', 'a bird\n']),
      crlfDelay: Infinity,
    });
    const totals: (number | undefined)[] = [];
    expect(
      await index.addDocuments(lines, { progressEvery: 1, onProgress: (_, total) => totals.push(total) }),
    ).toBe(0);
    expect(index.documentCount).toBe(3);
    expect(totals.every((t) => t === undefined)).toBe(true);
    expect(index.search('dog').map((h) => h.doc)).toEqual([1]);
    async function* more() {
      yield 'cat cat';
      yield ['pre', 'tokenized'];
    }
    expect(await index.addDocuments(more())).toBe(3);
    expect(index.search('tokenized').map((h) => h.doc)).toEqual([4]);
    await expect(index.addDocuments('not documents' as never)).rejects.toThrow(/Argument 'documents'/);
  });

  it('is all or nothing: a bad document or a failing stream leaves the index exactly as before', async () => {
    const rng = new Random(5);
    const index = new SearchIndex();
    await index.addDocuments(randomCorpus(rng, 400, 50, 10));
    index.delete(7);
    const before = index.serialize();
    const query = ['w1', 'w2', 'w3', 'w40'];
    const hits = index.search(query, { top: 20 });
    // New terms, long postings crossing block boundaries, then a bad document.
    const batch: unknown[] = randomCorpus(rng, 300, 80, 10);
    batch.push(['brand', 'new', 'terms'], 42);
    await expect(index.addDocuments(batch as string[][], { progressEvery: 50 })).rejects.toThrow(
      /Argument 'documents\[301\]' passed to 'SearchIndex.addDocuments'/,
    );
    expect(index.serialize()).toEqual(before);
    expect(index.search(query, { top: 20 })).toEqual(hits);
    expect(index.documentFrequency('brand')).toBe(0);
    async function* failing() {
      yield 'w1 w1 w2 novel';
      throw new Error('disk gone');
    }
    await expect(index.addDocuments(failing())).rejects.toThrow(/disk gone/);
    expect(index.serialize()).toEqual(before);
    // Still fully usable: the next add gets the next id and the same statistics as a fresh build.
    expect(index.add('w1 novel')).toBe(400);
    expect(index.search('novel')).toEqual(index.searchExhaustive('novel'));
  });
});

describe('SearchIndex block-max top-k equals exhaustive scoring', () => {
  it('on corpora whose postings span many blocks: stop-word-only, 10-word and random queries', () => {
    const rng = new Random(314159);
    for (let trial = 0; trial < 4; trial++) {
      const corpus = randomCorpus(rng, 1500 + rng.int(2500), 200 + rng.int(2000), 4 + rng.int(20));
      const index = new SearchIndex();
      for (const d of corpus) index.add(d);
      for (let i = 0; i < 40; i++) index.delete(rng.int(corpus.length));
      if (trial === 1) index.compact();
      const queries = [
        ['w0', 'w1', 'w2'], // the most frequent terms: thousands of postings, many blocks each
        Array.from({ length: 10 }, () => `w${Math.floor(300 ** rng.next()) - 1}`),
        ...Array.from({ length: 12 }, () =>
          Array.from({ length: 2 + rng.int(3) }, () => `w${Math.floor(500 ** rng.next()) - 1}`),
        ),
      ];
      for (const query of queries) {
        for (const scoring of SEARCH_SCORINGS) {
          const top = [1, 10, 100][rng.int(3)];
          expect(index.search(query, { scoring, top })).toEqual(
            index.searchExhaustive(query, { scoring, top }),
          );
        }
      }
    }
  });

  it('equals exhaustive scoring on stop words in short documents (the 1M-document benchmark case), pruning almost all', () => {
    // 10,000 documents of 8–12 words drawn by Zipf's law over 2,000 words: w1…w4 are in most of them,
    // as "the", "of", "and" are in the benchmark's Gutenberg chunks.
    const rng = new Random(99);
    const cumulative = new Float64Array(2000);
    for (let r = 0, sum = 0; r < 2000; r++) cumulative[r] = sum += 1 / (r + 1);
    const word = () => {
      const u = rng.next() * cumulative[1999];
      let lo = 0;
      let hi = 1999;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      return `w${lo + 1}`;
    };
    const index = new SearchIndex();
    for (let d = 0; d < 10_000; d++) index.add(Array.from({ length: 8 + rng.int(5) }, word));
    for (const query of [
      ['w1', 'w2'],
      ['w1', 'w2', 'w3'],
      ['w3', 'w1', 'w4', 'w2'],
      ['w2', 'w5'],
    ]) {
      const matching = index.searchExhaustive(query, { top: Number.MAX_SAFE_INTEGER }).length;
      for (const scoring of SEARCH_SCORINGS) {
        for (const top of [1, 10]) {
          const hits = index.search(query, { top, scoring });
          expect(hits).toEqual(index.searchExhaustive(query, { top, scoring }));
          // Thousands of documents hold these words; all but a few are pruned before their score is kept.
          expect(index.lastSearchScored).toBeLessThan(top + matching * STOP_WORD_FRACTION);
        }
      }
    }
  });

  it('skips whole blocks whose bound cannot reach the k-th score', () => {
    const index = new SearchIndex();
    index.add('common common common common');
    for (let i = 1; i < 10_000; i++) index.add('common filler');
    const hits = index.search('common', { top: 1 });
    expect(hits).toEqual(index.searchExhaustive('common', { top: 1 }));
    expect(hits[0].doc).toBe(0);
    // Only the first block (128 postings) is scored: every later block's max tf is 1.
    expect(index.lastSearchScored).toBeLessThanOrEqual(128);
  });
});

describe('SearchIndex block impacts', () => {
  it('bound every posting of their block, for every scoring, after adds, deletes, compaction and load', () => {
    const rng = new Random(42);
    const index = new SearchIndex();
    for (const d of randomCorpus(rng, 2000, 300, 25)) index.add(d);
    for (let i = 0; i < 100; i++) index.delete(rng.int(2000));
    const check = (ix: SearchIndex) => {
      // White-box: the private tables, read as the search reads them.
      const p = ix as unknown as {
        terms: string[];
        postLen: Int32Array;
        postDocs: Int32Array[];
        postTfs: Int32Array[];
        docLength: Int32Array;
        blockBounds: Int32Array[];
      };
      let blocks = 0;
      for (let t = 0; t < p.terms.length; t++) {
        for (let i = 0; i < p.postLen[t]; i++) {
          const at = 8 * Math.floor(i / 128);
          const pairs = [0, 1, 2, 3]
            .map((j) => [p.blockBounds[t][at + 2 * j], p.blockBounds[t][at + 2 * j + 1]])
            .filter(([tf]) => tf > 0);
          // Some kept pair dominates the posting: tf' ≥ tf and length' ≤ length.
          const tf = p.postTfs[t][i];
          const length = p.docLength[p.postDocs[t][i]];
          expect(pairs.some(([ptf, plen]) => ptf >= tf && plen <= length)).toBe(true);
          if (i % 128 === 0) blocks++;
        }
      }
      return blocks;
    };
    expect(check(index)).toBeGreaterThan(300);
    check(SearchIndex.load(index.serialize()));
    index.compact();
    check(index);
  });
});
