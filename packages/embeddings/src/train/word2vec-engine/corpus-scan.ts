import { InvalidArgumentError } from '@wordloom/core';

/** A corpus: sentences of tokens, from memory or streamed (async); iterated once to build the vocabulary. */
export type SentenceSource = Iterable<readonly string[]> | AsyncIterable<readonly string[]>;

/** The vocabulary and the integer-encoded corpus produced by {@link scanCorpus}. */
export interface ScannedCorpus {
  /** Kept words, most frequent first (ties: first occurrence first, as gensim). */
  words: string[];
  counts: Int32Array;
  /** Corpus as word ids, rare words removed. */
  tokens: Int32Array;
  /** Sentence s is `tokens[starts[s] … starts[s+1])`; length = sentences + 1. */
  starts: Int32Array;
  /** Tokens seen before dropping rare words. */
  rawTokens: number;
}

/** `a`, or a copy at least twice as long when `need` exceeds it. */
export function grow(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

const SENTENCES = 'an iterable of sentences, each an array of string tokens, e.g. [["the", "cat", "sat"]]';

/**
 * Refuses a corpus that would silently train on characters: a string (iterating it yields letters), a
 * sentence that is a string, or a token that is not a string. gensim only warns here; a typed error
 * saying what to pass is kinder than vectors of letters.
 */
export function assertCorpus(corpus: unknown, fn: string, pathHint?: string): void {
  if (typeof corpus === 'string')
    throw new InvalidArgumentError(
      'corpus',
      fn,
      `${SENTENCES}${pathHint ? ` (${pathHint})` : ''}; split a text into sentences and tokens first`,
      corpus,
    );
  const c = corpus as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    (typeof c[Symbol.iterator] !== 'function' && typeof c[Symbol.asyncIterator] !== 'function')
  )
    throw new InvalidArgumentError('corpus', fn, SENTENCES, corpus);
}

/** The error for sentence `index` (0-based) that is not an array of strings. */
export function sentenceError(sentence: unknown, index: number, fn: string): InvalidArgumentError {
  return new InvalidArgumentError(
    'corpus',
    fn,
    `${SENTENCES}; sentence ${index + 1} is ${typeof sentence === 'string' ? `the string ${JSON.stringify(sentence.slice(0, 40))} (split it into tokens: it would train on its characters)` : `not an array of strings`}`,
  );
}

/**
 * The words of the first `size` ids counted at least `minCount` times, most frequent first (ties: first
 * occurrence first, as gensim): `kept[i]` is the old id of new id i, `remap[old]` the new id or −1.
 */
export function rankVocabulary(
  size: number,
  counts: Int32Array,
  minCount: number,
): { kept: number[]; remap: Int32Array } {
  const kept: number[] = [];
  for (let i = 0; i < size; i++) if (counts[i] >= minCount) kept.push(i);
  kept.sort((a, b) => counts[b] - counts[a] || a - b);
  const remap = new Int32Array(size).fill(-1);
  kept.forEach((old, i) => {
    remap[old] = i;
  });
  return { kept, remap };
}

/**
 * One streaming pass over the corpus: counts words and stores the corpus as 32-bit ids (4 bytes per
 * token instead of the strings), then keeps words with count ≥ `minCount`, renumbered by frequency.
 * `onSentence` is called with the running token count (progress).
 */
export async function scanCorpus(
  corpus: SentenceSource,
  minCount: number,
  onTokens?: (tokens: number) => void,
  fn = 'scanCorpus',
): Promise<ScannedCorpus> {
  assertCorpus(corpus, fn);
  const ids = new Map<string, number>();
  const names: string[] = [];
  let counts: Int32Array = new Int32Array(1024);
  let tokens: Int32Array = new Int32Array(1 << 16);
  let starts: Int32Array = new Int32Array(1024);
  let n = 0;
  let sentences = 0;
  for await (const sentence of corpus as AsyncIterable<readonly string[]>) {
    if (typeof sentence !== 'object' || sentence === null || typeof sentence.length !== 'number')
      throw sentenceError(sentence, sentences, fn);
    tokens = grow(tokens, n + sentence.length);
    for (const w of sentence) {
      if (typeof w !== 'string') throw sentenceError(sentence, sentences, fn);
      let id = ids.get(w);
      if (id === undefined) {
        id = names.length;
        ids.set(w, id);
        names.push(w);
        counts = grow(counts, id + 1);
      }
      counts[id]++;
      tokens[n++] = id;
    }
    sentences++;
    starts = grow(starts, sentences + 1);
    starts[sentences] = n;
    if (onTokens && (sentences & 1023) === 0) onTokens(n);
  }
  const { kept, remap } = rankVocabulary(names.length, counts, minCount);
  const out = new Int32Array(n);
  const outStarts = new Int32Array(sentences + 1);
  let m = 0;
  for (let s = 0; s < sentences; s++) {
    for (let t = starts[s]; t < starts[s + 1]; t++) {
      const id = remap[tokens[t]];
      if (id >= 0) out[m++] = id;
    }
    outStarts[s + 1] = m;
  }
  return {
    words: kept.map((i) => names[i]),
    counts: Int32Array.from(kept, (i) => counts[i]),
    tokens: out.slice(0, m),
    starts: outStarts,
    rawTokens: n,
  };
}
