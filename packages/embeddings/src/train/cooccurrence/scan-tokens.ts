import {
  assertCorpus,
  grow,
  rankVocabulary,
  type SentenceSource,
  sentenceError,
} from '../word2vec-engine/corpus-scan.js';
import type { GrowableMemory } from './growable-memory.js';

/** Marks a sentence boundary among the token ids (never a word's id). */
export const BOUNDARY = -1;

/** What {@link scanTokens} leaves: the vocabulary, and the corpus in the memory. */
export interface ScannedTokens {
  /** Kept words, most frequent first (ties: first occurrence first, as gensim and `scanCorpus`). */
  words: string[];
  counts: Int32Array;
  /**
   * Int32 slots at the scan's byte offset: the kept words' ids, rare words removed, with a
   * {@link BOUNDARY} before every sentence and after the last (windows stop there without bounds tests).
   */
  length: number;
  /** Word tokens among them (`length` minus the boundaries). */
  tokens: number;
}

/**
 * One streaming pass over the corpus, the vocabulary of `scanCorpus` (words with count ≥ `minCount`,
 * renumbered by frequency) with the corpus written as 32-bit ids into `memory` from byte `at` (growing
 * it, in place), not into the JS heap: the counting's largest array costs no collection and its pages are
 * reused by GloVe's parameters. The rare words are removed in place once the counts are known.
 */
export async function scanTokens(
  corpus: SentenceSource,
  minCount: number,
  fn: string,
  memory: GrowableMemory,
  at: number,
): Promise<ScannedTokens> {
  assertCorpus(corpus, fn);
  const ids = new Map<string, number>();
  const names: string[] = [];
  let counts: Int32Array = new Int32Array(1024);
  memory.ensureRoom(at + 4, fn);
  let slots = new Int32Array(memory.buffer, at, (memory.byteLength - at) >> 2);
  slots[0] = BOUNDARY;
  let n = 1;
  let sentences = 0;
  for await (const sentence of corpus as AsyncIterable<readonly string[]>) {
    if (typeof sentence !== 'object' || sentence === null || typeof sentence.length !== 'number')
      throw sentenceError(sentence, sentences, fn);
    if (n + sentence.length + 1 > slots.length) {
      memory.ensureRoom(at + 4 * (n + sentence.length + 1), fn);
      slots = new Int32Array(memory.buffer, at, (memory.byteLength - at) >> 2);
    }
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
      slots[n++] = id;
    }
    slots[n++] = BOUNDARY;
    sentences++;
  }
  const { kept, remap } = rankVocabulary(names.length, counts, minCount);
  // In place: the write position never passes the read position.
  let m = 0;
  let tokens = 0;
  for (let t = 0; t < n; t++) {
    const id = slots[t];
    if (id === BOUNDARY) slots[m++] = BOUNDARY;
    else if (remap[id] >= 0) {
      slots[m++] = remap[id];
      tokens++;
    }
  }
  return {
    words: kept.map((i) => names[i]),
    counts: Int32Array.from(kept, (i) => counts[i]),
    length: m,
    tokens,
  };
}
