import { describe, expect, it } from 'vitest';
import { CHAPTER_ALICE } from './chapter-corpora.js';
import { SentenceSplitter, tokenizeSentences, tokenizeWords } from './sentences.js';

describe('tokenizeWords', () => {
  it('keeps inner apostrophes and hyphens, lower-cases by default', () => {
    expect(tokenizeWords("Alice's Rabbit-Hole, 'tis 2-1 (ok)")).toEqual([
      "alice's",
      'rabbit-hole',
      'tis',
      '2-1',
      'ok',
    ]);
    expect(tokenizeWords('Soup does -- well', { lowercase: false })).toEqual(['Soup', 'does', 'well']);
  });

  it('keeps punctuation marks as tokens on request, like the vocabulary of Listing 4-4', () => {
    expect(tokenizeWords("thing ! ' said", { punctuation: true })).toEqual(['thing', '!', "'", 'said']);
  });
});

describe('tokenizeSentences', () => {
  it('ends sentences at . ! ? before white space and at blank lines', () => {
    expect(tokenizeSentences('One two. Three?! "Four," she said.\n\nHeading\n\nFive')).toEqual([
      ['one', 'two'],
      ['three'],
      ['four', 'she', 'said'],
      ['heading'],
      ['five'],
    ]);
  });

  it('does not end a sentence after an abbreviation, an initial or inside a number', () => {
    expect(tokenizeSentences('Mr. Brown met G. K. Chesterton at 3.5 today. Done')).toEqual([
      ['mr', 'brown', 'met', 'g', 'k', 'chesterton', 'at', '3', '5', 'today'],
      ['done'],
    ]);
  });

  it('splits the Alice passage of Listing 4-5 into its sentences', () => {
    const sentences = tokenizeSentences(CHAPTER_ALICE);
    expect(sentences[0]).toEqual(
      "you can't think how glad i am to see you again you dear old thing".split(' '),
    );
    expect(sentences.at(-1)).toEqual(
      'however she did not like to be rude so she bore it as well as she could'.split(' '),
    );
    // 13 periods and 2 exclamation marks end its sentences (counted in the listing).
    expect(sentences).toHaveLength(15);
    expect(sentences[9]).toEqual(['tut', 'tut', 'child']);
  });

  it('gives the same sentences however the text is cut into chunks (streaming)', () => {
    const whole = tokenizeSentences(CHAPTER_ALICE);
    for (const size of [1, 2, 7, 64]) {
      const splitter = new SentenceSplitter();
      const out: string[][] = [];
      for (let i = 0; i < CHAPTER_ALICE.length; i += size)
        out.push(...splitter.push(CHAPTER_ALICE.slice(i, i + size)));
      out.push(...splitter.end());
      expect(out, `chunks of ${size}`).toEqual(whole);
    }
  });

  it('cuts a sentence that exceeds maxSentenceLength', () => {
    const out = tokenizeSentences('aaaa bbbb cccc dddd', { maxSentenceLength: 10 });
    expect(out.flat()).toEqual(['aaaa', 'bbbb', 'cccc', 'dddd']);
    expect(out.length).toBeGreaterThan(1);
  });
});
