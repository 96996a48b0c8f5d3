import { assertInteger, assertNumber, InvalidArgumentError, WordloomError } from '@wordloom/core';
import { assertTokenArrays, assertTokens } from './tokens-argument.js';

/** Options of {@link Vocabulary.build}. */
export interface VocabularyOptions {
  /**
   * Drop words with fewer occurrences in the whole corpus.
   * @default 1
   */
  minCount?: number;
  /**
   * Drop words found in fewer documents: an integer ≥ 1 is a count, a number in (0, 1) a fraction of the
   * documents (rounded up), as in scikit-learn's `min_df`.
   * @default 1
   */
  minDf?: number;
  /**
   * Drop words found in more documents: an integer ≥ 1 is a count, a number in (0, 1) a fraction of the
   * documents (rounded down), as in scikit-learn's `max_df`. (JavaScript cannot tell `1` from `1.0`, so
   * `1` means "in at most one document"; omit the option for no limit.)
   * @default Infinity
   */
  maxDf?: number;
  /**
   * Keep at most this many words, as scikit-learn's `max_features`: the largest corpus counts (document
   * frequencies when `binary`), ties broken by code-point order of the words — scikit-learn sorts the
   * features alphabetically before ranking them, so a stable sort gives this order (its numpy quicksort
   * is not stable above 16 features, so there its order among equal counts is unspecified).
   * @default Infinity
   */
  maxSize?: number;
  /**
   * Rank `maxSize` by document frequency instead of corpus count, as scikit-learn's `max_features`
   * does with `binary=True` (its counts are then 0/1 per document).
   * @default false
   */
  binary?: boolean;
  /**
   * Order of the ids: `'first-seen'` (order of first appearance in the corpus), `'frequency'` (most
   * frequent first, ties by first appearance) or `'alphabetical'` (Unicode code-point order, as Python's
   * `sorted` in scikit-learn; JavaScript's default string order is UTF-16 code units, which puts
   * U+E000–U+FFFF after astral characters).
   * Every order is deterministic.
   * @default 'first-seen'
   */
  order?: 'first-seen' | 'frequency' | 'alphabetical';
}

/** The JSON form written by {@link Vocabulary.toJSON}. */
export interface VocabularyJson {
  /** Always `'wordloom-vocabulary'`. */
  format: 'wordloom-vocabulary';
  /** Format version, 1. */
  version: 1;
  /** Words by id. */
  words: string[];
  /** Corpus count of each word. */
  counts: number[];
  /** Document frequency of each word. */
  documentFrequencies: number[];
  /** Number of documents the vocabulary was built from. */
  documentCount: number;
}

/**
 * A word ↔ id mapping with corpus counts and document frequencies — the dimensions of the chapter's
 * vector space model ("两个句子中不同单词的数量将是这个问题的向量空间维度").
 */
export class Vocabulary {
  /** Words by id. */
  readonly words: readonly string[];
  /** Occurrences of each word in the corpus it was built from. */
  readonly counts: Float64Array;
  /** Number of documents containing each word. */
  readonly documentFrequencies: Float64Array;
  /** Number of documents it was built from. */
  readonly documentCount: number;
  private readonly ids: Map<string, number>;

  /** Wraps explicit words (unique) with their statistics; prefer {@link Vocabulary.build}. */
  constructor(
    words: readonly string[],
    counts?: ArrayLike<number>,
    documentFrequencies?: ArrayLike<number>,
    documentCount = 0,
  ) {
    const fn = 'Vocabulary';
    this.words = Object.freeze([...words]);
    this.ids = new Map();
    this.words.forEach((w, i) => {
      if (typeof w !== 'string') throw new InvalidArgumentError('words', fn, 'an array of strings', w);
      if (this.ids.has(w)) throw new InvalidArgumentError('words', fn, 'unique words', w);
      this.ids.set(w, i);
    });
    for (const [name, values] of [
      ['counts', counts],
      ['documentFrequencies', documentFrequencies],
    ] as const) {
      if (values !== undefined && values.length !== words.length) {
        throw new InvalidArgumentError(name, fn, `an array of length ${words.length}`, values.length);
      }
    }
    this.counts = Float64Array.from(counts ?? new Float64Array(words.length));
    this.documentFrequencies = Float64Array.from(documentFrequencies ?? new Float64Array(words.length));
    this.documentCount = assertInteger(documentCount, 'documentCount', fn, 0);
  }

  /** Builds the vocabulary of tokenized `documents` (see {@link VocabularyOptions}). */
  static build(documents: readonly (readonly string[])[], options: VocabularyOptions = {}): Vocabulary {
    const fn = 'Vocabulary.build';
    assertTokenArrays(documents, 'documents', fn);
    const n = documents.length;
    const minCount = assertInteger(options.minCount ?? 1, 'minCount', fn, 1);
    const minDf = dfLimit(options.minDf ?? 1, 'minDf', n, Math.ceil);
    const maxDf = options.maxDf === undefined ? Infinity : dfLimit(options.maxDf, 'maxDf', n, Math.floor);
    const maxSize = options.maxSize ?? Infinity;
    if (maxSize !== Infinity) assertInteger(maxSize, 'maxSize', fn, 0);
    if (options.binary !== undefined && typeof options.binary !== 'boolean')
      throw new InvalidArgumentError('binary', fn, 'a boolean', options.binary);
    const order = options.order ?? 'first-seen';
    if (!['first-seen', 'frequency', 'alphabetical'].includes(order)) {
      throw new InvalidArgumentError('order', fn, "one of 'first-seen', 'frequency', 'alphabetical'", order);
    }

    const index = new Map<string, number>();
    const counts: number[] = [];
    const dfs: number[] = [];
    const lastDoc: number[] = [];
    documents.forEach((doc, d) => {
      for (const w of doc) {
        let id = index.get(w);
        if (id === undefined) {
          id = counts.length;
          index.set(w, id);
          counts.push(0);
          dfs.push(0);
          lastDoc.push(-1);
        }
        counts[id]++;
        if (lastDoc[id] !== d) {
          lastDoc[id] = d;
          dfs[id]++;
        }
      }
    });
    const seen = [...index.keys()];
    let kept = seen
      .map((_, i) => i)
      .filter((i) => counts[i] >= minCount && dfs[i] >= minDf && dfs[i] <= maxDf);
    const rankBy = options.binary ? dfs : counts;
    if (kept.length > maxSize) {
      kept = [...kept]
        .sort((a, b) => rankBy[b] - rankBy[a] || compareCodePoints(seen[a], seen[b]))
        .slice(0, maxSize);
      kept.sort((a, b) => a - b);
    }
    if (order === 'frequency') kept.sort((a, b) => counts[b] - counts[a] || a - b);
    if (order === 'alphabetical') kept.sort((a, b) => compareCodePoints(seen[a], seen[b]));
    return new Vocabulary(
      kept.map((i) => seen[i]),
      kept.map((i) => counts[i]),
      kept.map((i) => dfs[i]),
      n,
    );
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  /** Id of `word`, or −1 when it is not in the vocabulary. */
  id(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /** Whether `word` is in the vocabulary. */
  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** The word with id `id`. */
  word(id: number): string {
    assertInteger(id, 'id', 'Vocabulary.word', 0, this.words.length - 1);
    return this.words[id];
  }

  /** Ids of `tokens`, skipping the ones outside the vocabulary. */
  encode(tokens: readonly string[]): Int32Array {
    assertTokens(tokens, 'tokens', 'Vocabulary.encode');
    const out: number[] = [];
    for (const t of tokens) {
      const id = this.ids.get(t);
      if (id !== undefined) out.push(id);
    }
    return Int32Array.from(out);
  }

  /** A JSON-serializable copy (`JSON.stringify(vocabulary)` works too). */
  toJSON(): VocabularyJson {
    return {
      format: 'wordloom-vocabulary',
      version: 1,
      words: [...this.words],
      counts: [...this.counts],
      documentFrequencies: [...this.documentFrequencies],
      documentCount: this.documentCount,
    };
  }

  /** Restores a vocabulary from {@link Vocabulary.toJSON} output (an object or its JSON text). */
  static fromJSON(json: VocabularyJson | string): Vocabulary {
    const value = typeof json === 'string' ? (JSON.parse(json) as VocabularyJson) : json;
    if (value?.format !== 'wordloom-vocabulary' || value.version !== 1 || !Array.isArray(value.words)) {
      throw new WordloomError(
        'Vocabulary.fromJSON: not a wordloom vocabulary (format wordloom-vocabulary, version 1)',
      );
    }
    return new Vocabulary(value.words, value.counts, value.documentFrequencies, value.documentCount);
  }
}

function dfLimit(value: number, name: string, n: number, round: (x: number) => number): number {
  assertNumber(value, name, 'Vocabulary.build', { min: 0, exclusiveMin: true });
  if (Number.isInteger(value) && value >= 1) return value;
  if (value > 1)
    throw new InvalidArgumentError(
      name,
      'Vocabulary.build',
      'an integer count or a fraction in (0, 1]',
      value,
    );
  return round(value * n);
}

/**
 * Orders strings by Unicode code point (Python's string order), not by UTF-16 code unit: a surrogate
 * (U+D800–U+DFFF, half of an astral character) sorts after U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Shift the surrogates above U+FFFF and U+E000–U+FFFF down (ICU's code-point-order fix-up).
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
