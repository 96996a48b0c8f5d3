import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../search/search-index.js';
import { Vocabulary } from '../vocabulary.js';
import { createTokenizer, foldCase, SKLEARN_TOKEN_PATTERN, tokenize } from './tokenizer.js';
import { uax29Words } from './uax29-words.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test-fixtures/corpora');
const lines = (name: string, encoding: BufferEncoding = 'utf8') =>
  readFileSync(resolve(fixtures, name), encoding)
    .split(/\r?\n/)
    .filter((l) => l !== '');

function indexOf(docs: string[]): SearchIndex {
  const index = new SearchIndex();
  for (const d of docs) index.add(d);
  return index;
}

describe('tokenizing real text (test-fixtures/corpora)', () => {
  it('NFKC: NFC café finds NFD café, and both tokenize the same (nfd-accents.txt)', () => {
    const docs = lines('nfd-accents.txt');
    expect(docs[0]).toContain('e\u0301'); // the fixture really holds NFD text
    expect(tokenize(docs[0])).toEqual(tokenize(docs[0].normalize('NFC')));
    expect(tokenize(docs[0])).toEqual(['le', 'café', 'est', 'près', 'de', 'la', 'crème', 'brûlée']);
    const index = indexOf(docs);
    const hits = index.search('café'.normalize('NFC'), { top: 1000 }).map((h) => h.doc);
    expect(hits.sort((a, b) => a - b)).toEqual(docs.map((_, i) => i).filter((i) => /caf/.test(docs[i])));
    expect(index.search('cafe\u0301').map((h) => h.doc)).toEqual(index.search('café').map((h) => h.doc));
    // NFKC folds compatibility forms: the ﬁ ligature and full-width letters.
    expect(tokenize('ﬁne ＡＢＣ')).toEqual(['fine', 'abc']);
    expect(tokenize('ﬁne', { normalization: 'none', lowercase: false })).toEqual(['ﬁne']);
  });

  it("CJK: one token per ideograph and hiragana, as Lucene's StandardTokenizer (cjk.txt)", () => {
    const docs = lines('cjk.txt');
    expect(tokenize(docs[0])).toEqual(['我', '喜', '欢', '自', '然', '语', '言', '处', '理']);
    expect(tokenize('東京は日本の首都です')).toEqual([
      '東',
      '京',
      'は',
      '日',
      '本',
      'の',
      '首',
      '都',
      'で',
      'す',
    ]);
    expect(tokenize('한국어 자연어 처리')).toEqual(['한국어', '자연어', '처리']); // hangul words stay words
    expect(tokenize('カタカナ')).toEqual(['カタカナ']); // so do katakana runs
    const index = indexOf(docs);
    const hits = index.search('自然', { top: 1000 }).map((h) => h.doc);
    expect(hits).toContain(0);
    expect(hits.every((d) => docs[d].includes('自') || docs[d].includes('然'))).toBe(true);
    expect(docs[hits[0]]).toContain('自然');
  });

  it('emoji are tokens (presentation emoji, modifiers, ZWJ sequences, flags) (emoji.txt)', () => {
    const docs = lines('emoji.txt');
    expect(tokenize(docs[0])).toEqual(['i', 'love', '🐈', 'and', '🐕', '👍']);
    expect(tokenize(docs[1])).toEqual(['the', '👩‍💻', 'writes', 'code', '🇫🇷', '🎉']);
    expect(tokenize(docs[2])).toEqual(['🐈', '🐈', 'cats', 'everywhere', '👍🏽']);
    // Text-style symbols stay punctuation unless asked for emoji presentation (VS16).
    expect(tokenize('© 2024 ©\uFE0F')).toEqual(['2024', '©\uFE0F']);
    const index = indexOf(docs);
    expect(
      index
        .search('🐈', { top: 1000 })
        .map((h) => h.doc)
        .sort((a, b) => a - b),
    ).toEqual(docs.map((_, i) => i).filter((i) => docs[i].includes('🐈')));
  });

  it('full case folding: STRASSE matches straße, final sigma folds (case-folding.txt)', () => {
    const [german, turkish, greek] = lines('case-folding.txt');
    expect(tokenize(german)).toEqual(['strasse', 'und', 'strasse']);
    const [upper, lower] = tokenize(greek);
    expect(upper).toBe(lower);
    // Full (not Turkic) folding, as ICU's default: İ folds to i + combining dot, so it stays distinct.
    expect(tokenize(turkish)[0]).toBe('i\u0307stanbul');
    // CaseFolding.txt C + F: ẞ → ss, ǅ → ǆ, ΐ stays (as its decomposition), ﬀ → ff, dotless ı kept.
    expect(foldCase('ẞ ǅ ΐ ﬀ ı').normalize('NFC')).toBe('ss ǆ ΐ ff ı');
    expect(tokenize('ẞ')).toEqual(['ss']);
    expect(tokenize('Straße', { lowercase: false })).toEqual(['Straße']);
    expect(
      indexOf([german, 'nothing'])
        .search('STRASSE')
        .map((h) => h.doc),
    ).toEqual([0]);
  });

  it('CRLF files leave no carriage returns in tokens (crlf.txt)', () => {
    const text = readFileSync(resolve(fixtures, 'crlf.txt'), 'utf8');
    expect(text).toContain('\r\n');
    const tokens = tokenize(text);
    expect(tokens.some((t) => /[\r\n]/.test(t))).toBe(false);
    expect(tokens.slice(0, 4)).toEqual(['line', '0', 'of', 'a']);
  });

  it('resolves overstrike underlining and bold, and splits at other control characters (control-chars.txt)', () => {
    const [first, second] = lines('control-chars.txt');
    expect(tokenize(first)).toEqual([
      'the',
      'cat',
      'sat',
      'on',
      'the',
      'mat',
      'and',
      'the',
      'dog',
      'saw',
      'the',
      'cat',
      'again',
    ]);
    expect(tokenize(second)).toContain('bold');
    expect(tokenize(second)).toContain('struck');
    expect(tokenize('a\u0007b\fc')).toEqual(['a', 'b', 'c']);
  });

  it('Latin-1 text read as latin1 tokenizes like its UTF-8 (latin1.txt)', () => {
    const [line] = lines('latin1.txt', 'latin1');
    expect(tokenize(line)).toEqual(tokenize(line.normalize('NFD')));
    expect(tokenize(line)).toContain('garçon');
    expect(tokenize(line)).toContain('strasse');
  });
});

describe('UAX #29 words: the fast path equals Intl.Segmenter', () => {
  it('on 5,000 random strings over letters, digits and every word-break class it handles', () => {
    const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
    const reference = (s: string) =>
      [...segmenter.segment(s)].filter((x) => x.isWordLike && !/^_+$/.test(x.segment)).map((x) => x.segment);
    const alphabet = [...'aZq09_.:,;\'’‘“”–—«»¿¡ \t\n\r-!"#$%&()*+/<=>?@[\\]^`{|}~éßÆøçΣσςΐжЯӕ'];
    const rng = new Random(29);
    for (let i = 0; i < 5_000; i++) {
      let s = '';
      for (let j = 1 + rng.int(12); j > 0; j--) s += alphabet[rng.int(alphabet.length)];
      expect(uax29Words(s), JSON.stringify(s)).toEqual(reference(s));
    }
  });

  it('follows UAX #29 rather than splitting at every punctuation mark', () => {
    expect(uax29Words("don't e.g. U.S.A. 3.14 1,000 a_b co-op x:y")).toEqual([
      "don't",
      'e.g',
      'U.S.A',
      '3.14',
      '1,000',
      'a_b',
      'co',
      'op',
      'x:y',
    ]);
    // Long text without spaces goes through the segmenter in pieces with the same result.
    const long = '我喜欢自然语言处理'.repeat(200);
    expect(uax29Words(long)).toEqual([...long]);
    const mixed = 'naïve café 東京 '.repeat(100);
    expect(uax29Words(mixed)).toEqual(
      Array.from({ length: 100 }, () => ['naïve', 'café', '東', '京']).flat(),
    );
  });
});

describe('tokenizer options from scikit-learn', () => {
  it('tokenPattern as token_pattern (one capturing group = the token)', () => {
    // scikit-learn: CountVectorizer().build_analyzer()("The café's 2 dogs") == ['the', 'café', 'dogs']
    expect(tokenize("The café's 2 dogs", { tokenPattern: SKLEARN_TOKEN_PATTERN })).toEqual([
      'the',
      'café',
      'dogs',
    ]);
    expect(tokenize('a=1, b=22', { tokenPattern: '(\\w+)=\\d+' })).toEqual(['a', 'b']);
    expect(() => createTokenizer({ tokenPattern: '(a)(b)' })).toThrow(/at most one capturing group/);
    expect(() => createTokenizer({ tokenPattern: '[' })).toThrow(/Argument 'tokenPattern'/);
    expect(() => createTokenizer({ tokenPattern: 'a*' })).toThrow(/cannot match ""/);
  });

  it("stripAccents as strip_accents ('unicode' keeps other scripts, 'ascii' drops them)", () => {
    expect(tokenize('Crème brûlée 自然 naïve', { stripAccents: 'unicode' })).toEqual([
      'creme',
      'brulee',
      '自',
      '然',
      'naive',
    ]);
    expect(tokenize('Crème brûlée 自然 naïve', { stripAccents: 'ascii' })).toEqual([
      'creme',
      'brulee',
      'naive',
    ]);
    // Stop words go through the same pipeline.
    expect(tokenize('Café CAFE', { stripAccents: 'unicode', stopWords: ['café'] })).toEqual([]);
  });

  it('rejects unknown or mistyped options', () => {
    expect(() => createTokenizer({ lowerCase: true } as never)).toThrow(/Argument 'lowerCase'/);
    expect(() => createTokenizer({ normalization: 'NFD' as never })).toThrow(/Argument 'normalization'/);
    expect(() => createTokenizer({ stripAccents: true as never })).toThrow(/Argument 'stripAccents'/);
    expect(() => createTokenizer({ stopWords: 'the' as never })).toThrow(/Argument 'stopWords'/);
    expect(() => createTokenizer({ lowercase: 'yes' as never })).toThrow(InvalidArgumentError);
  });

  it('minLength counts code points', () => {
    expect(tokenize('🐈 ab a', { minLength: 2 })).toEqual(['ab']);
  });
});

describe('Vocabulary maxSize as max_features, code-point order', () => {
  const docs = [
    ['b', 'b', 'b', 'a'],
    ['a', 'c'],
    ['a', 'c'],
    ['d', 'd', 'd', 'd'],
  ];

  it('ranks by corpus count, or by document frequency when binary, ties by code point', () => {
    // counts: b 3, a 3, c 2, d 4 → top 2 = d, then a (tie with b broken alphabetically)
    expect(Vocabulary.build(docs, { maxSize: 2, order: 'frequency' }).words).toEqual(['d', 'a']);
    // dfs: a 3, c 2, b 1, d 1 → top 2 = a, c (scikit-learn binary=True, max_features=2)
    expect(Vocabulary.build(docs, { maxSize: 2, binary: true, order: 'alphabetical' }).words).toEqual([
      'a',
      'c',
    ]);
    expect(() => Vocabulary.build(docs, { binary: 1 as never })).toThrow(/Argument 'binary'/);
  });

  it('sorts alphabetically by code point, as Python, not by UTF-16 unit', () => {
    const v = Vocabulary.build([['😀', '\uFF5E', 'a']], { order: 'alphabetical' });
    expect(v.words).toEqual(['a', '\uFF5E', '😀']); // U+FF5E < U+1F600
  });
});
