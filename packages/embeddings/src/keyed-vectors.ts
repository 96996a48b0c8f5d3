import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { WordNotInVocabularyError } from './errors/word-not-in-vocabulary-error.js';
import { topK } from './evaluate/top-k.js';
import {
  type AnalogyEvaluation,
  evaluateWordAnalogies,
  type WordAnalogyOptions,
} from './evaluate/word-analogies.js';
import { evaluateWordPairs, type WordPairEvaluation, type WordPairOptions } from './evaluate/word-pairs.js';

/** A word (looked up) or a raw vector (used as is) in a similarity query. */
export type WordOrVector = string | Float32Array | ArrayLike<number>;

/** One result of a nearest-neighbour query. */
export interface SimilarWord {
  word: string;
  /** Cosine similarity (or, for {@link KeyedVectors.mostSimilarCosmul}, the 3CosMul score). */
  similarity: number;
}

/** Options of {@link KeyedVectors.mostSimilar} and {@link KeyedVectors.mostSimilarCosmul}. */
export interface MostSimilarOptions {
  /**
   * A list of words (or raw vectors) that contribute positively — a list even for one word:
   * `['king']`. Words count by their unit vectors; raw vectors are used as given, not normalised
   * (gensim ≥ 4.2).
   * @default []
   */
  positive?: WordOrVector[];
  /** A list of words (or raw vectors) that contribute negatively. @default [] */
  negative?: WordOrVector[];
  /** How many neighbours to return. @default 10 */
  topN?: number;
  /** Only search the first `restrictVocab` words (files are sorted by frequency). @default all */
  restrictVocab?: number;
}

/** Refuses a string (or anything else) where a list is expected: iterating it would use its letters. */
function assertList(value: unknown, argument: string, fn: string): void {
  if (!Array.isArray(value))
    throw new InvalidArgumentError(
      argument,
      fn,
      typeof value === 'string'
        ? `a list of words, e.g. [${JSON.stringify(value.slice(0, 40))}], not a string`
        : 'a list of words or vectors',
      value,
    );
}

/**
 * Word vectors for lookup, split from training as in gensim's `KeyedVectors`: a row-major
 * `Float32Array` of `size × dim` plus the vocabulary (most frequent first when it comes from a trainer
 * or a word2vec file). Unit-normalised rows are computed once, on first use.
 */
export class KeyedVectors {
  /** Vocabulary, row order. */
  readonly words: readonly string[];
  /** Row-major `size × dim` matrix. */
  readonly vectors: Float32Array;
  /** Vector length. */
  readonly dim: number;
  /** Corpus counts of the words, when known (written by trainers, unknown for files). */
  readonly counts: Int32Array | undefined;
  private readonly index = new Map<string, number>();
  private unit: Float32Array | undefined;

  constructor(words: readonly string[], vectors: Float32Array, dim: number, counts?: Int32Array) {
    assertInteger(dim, 'dim', 'KeyedVectors', 1);
    if (vectors.length !== words.length * dim)
      throw new InvalidArgumentError(
        'vectors',
        'KeyedVectors',
        `of length words.length × dim = ${words.length * dim}`,
        vectors.length,
      );
    this.words = words;
    this.vectors = vectors;
    this.dim = dim;
    this.counts = counts;
    for (let i = 0; i < words.length; i++) if (!this.index.has(words[i])) this.index.set(words[i], i);
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  /** True when `word` has a vector. */
  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Row of `word`; throws {@link WordNotInVocabularyError} naming it when missing. */
  indexOf(word: string, functionName = 'indexOf'): number {
    const i = this.index.get(word);
    if (i === undefined) throw new WordNotInVocabularyError(word, functionName);
    return i;
  }

  /** A copy of the vector of `word`. */
  vector(word: string): Float32Array {
    const i = this.indexOf(word, 'vector');
    return this.vectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** Unit-length rows (cached): cosine similarity becomes a dot product. Zero rows stay zero. */
  unitVectors(): Float32Array {
    if (this.unit) return this.unit;
    const d = this.dim;
    const u = new Float32Array(this.vectors.length);
    for (let r = 0; r < this.size; r++) {
      let s = 0;
      for (let k = r * d; k < (r + 1) * d; k++) s += this.vectors[k] * this.vectors[k];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let k = r * d; k < (r + 1) * d; k++) u[k] = this.vectors[k] * inv;
    }
    this.unit = u;
    return u;
  }

  /** Cosine similarity of two words. */
  similarity(a: string, b: string): number {
    const u = this.unitVectors();
    const i = this.indexOf(a, 'similarity') * this.dim;
    const j = this.indexOf(b, 'similarity') * this.dim;
    let s = 0;
    for (let k = 0; k < this.dim; k++) s += u[i + k] * u[j + k];
    return s;
  }

  /**
   * Nearest words to the normalised mean of the unit vectors of `positive` minus those of `negative`
   * (3CosAdd, Mikolov et al. 2013); input words are excluded from the result.
   */
  mostSimilar(options: MostSimilarOptions): SimilarWord[] {
    const { positive = [], negative = [] } = options;
    assertList(positive, 'positive', 'mostSimilar');
    assertList(negative, 'negative', 'mostSimilar');
    const topN = this.checkTopN(options.topN, 'mostSimilar');
    if (positive.length + negative.length === 0)
      throw new InvalidArgumentError(
        'positive',
        'mostSimilar',
        'a non-empty list of words or vectors',
        positive,
      );
    const query = new Float32Array(this.dim);
    const exclude = new Set<number>();
    const add = (item: WordOrVector, weight: number) => {
      const v = this.unitOf(item, 'mostSimilar', exclude);
      for (let k = 0; k < this.dim; k++) query[k] += weight * v[k];
    };
    for (const p of positive) add(p, 1);
    for (const n of negative) add(n, -1);
    return this.rank(this.cosines(query), topN, exclude, options.restrictVocab);
  }

  /**
   * Nearest words by 3CosMul (Levy & Goldberg 2014): ∏ (1+cos(w,p))/2 / (∏ (1+cos(w,n))/2 + 1e-6), as
   * gensim's `most_similar_cosmul`; input words are excluded.
   */
  mostSimilarCosmul(options: MostSimilarOptions): SimilarWord[] {
    const { positive = [], negative = [] } = options;
    assertList(positive, 'positive', 'mostSimilarCosmul');
    assertList(negative, 'negative', 'mostSimilarCosmul');
    const topN = this.checkTopN(options.topN, 'mostSimilarCosmul');
    if (positive.length === 0)
      throw new InvalidArgumentError(
        'positive',
        'mostSimilarCosmul',
        'a non-empty list of words or vectors',
        positive,
      );
    const exclude = new Set<number>();
    // gensim: dot(unit rows, term) for a word's unit vector or a raw vector as given (not normalised).
    const pos = positive.map((p) => this.dots(this.unitOf(p, 'mostSimilarCosmul', exclude)));
    const neg = negative.map((n) => this.dots(this.unitOf(n, 'mostSimilarCosmul', exclude)));
    const scores = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      let num = 1;
      for (const p of pos) num *= (1 + p[i]) / 2;
      let den = 1;
      for (const n of neg) den *= (1 + n[i]) / 2;
      scores[i] = num / (den + 1e-6);
    }
    return this.rank(scores, topN, exclude, options.restrictVocab);
  }

  /** Nearest words to a raw vector (nothing excluded). */
  similarByVector(
    vector: ArrayLike<number>,
    options: { topN?: number; restrictVocab?: number } = {},
  ): SimilarWord[] {
    const topN = this.checkTopN(options.topN, 'similarByVector');
    return this.rank(
      this.cosines(this.unitOf(vector, 'similarByVector')),
      topN,
      new Set(),
      options.restrictVocab,
    );
  }

  /**
   * The word of `words` least similar to the normalised mean of all of them (gensim's `doesnt_match`).
   * Words without a vector are ignored, as gensim does; at least one must have one.
   */
  doesntMatch(words: string[]): string {
    assertList(words, 'words', 'doesntMatch');
    const known = words.filter((w) => {
      if (typeof w !== 'string')
        throw new InvalidArgumentError('words', 'doesntMatch', 'a list of words (strings)', w);
      return this.index.has(w);
    });
    if (known.length === 0)
      throw new InvalidArgumentError(
        'words',
        'doesntMatch',
        'a list holding at least one word of the vocabulary',
        words,
      );
    words = known;
    const u = this.unitVectors();
    const mean = new Float32Array(this.dim);
    const rows = words.map((w) => this.indexOf(w, 'doesntMatch') * this.dim);
    for (const r of rows) for (let k = 0; k < this.dim; k++) mean[k] += u[r + k];
    let best = 0;
    let bestScore = Number.POSITIVE_INFINITY;
    rows.forEach((r, i) => {
      let s = 0;
      for (let k = 0; k < this.dim; k++) s += u[r + k] * mean[k];
      if (s < bestScore) {
        bestScore = s;
        best = i;
      }
    });
    return words[best];
  }

  /**
   * "`a` is to `b` as `c` is to ?": the words nearest to b − a + c (3CosAdd), inputs excluded, e.g.
   * `analogy('man', 'king', 'woman')` → queen.
   */
  analogy(a: string, b: string, c: string, topN = 1): SimilarWord[] {
    return this.mostSimilar({ positive: [b, c], negative: [a], topN });
  }

  /**
   * Overall and per-section accuracy on analogy questions (`questions-words.txt` text); see
   * {@link evaluateWordAnalogies}. Read the file with `readTextFile` from `@wordloom/embeddings/node`.
   */
  evaluateWordAnalogies(questions: string, options?: WordAnalogyOptions): AnalogyEvaluation {
    return evaluateWordAnalogies(this, questions, options);
  }

  /** Pearson, Spearman and OOV ratio against human similarity scores; see {@link evaluateWordPairs}. */
  evaluateWordPairs(pairs: string, options?: WordPairOptions): WordPairEvaluation {
    return evaluateWordPairs(this, pairs, options);
  }

  /** The vectors as a `size × dim` float32 tensor (the caller disposes it). */
  toTensor(): tf.Tensor2D {
    return tf.tensor2d(this.vectors, [this.size, this.dim], 'float32');
  }

  private checkTopN(topN: number | undefined, fn: string): number {
    const n = topN ?? 10;
    assertInteger(n, 'topN', fn, 1);
    return n;
  }

  /**
   * Unit vector of a word (recording its row in `exclude`), or a raw vector as given (gensim ≥ 4.2's
   * `get_mean_vector` does not normalise raw vectors).
   */
  private unitOf(item: WordOrVector, fn: string, exclude?: Set<number>): Float32Array {
    if (typeof item === 'string') {
      const i = this.indexOf(item, fn);
      exclude?.add(i);
      return this.unitVectors().subarray(i * this.dim, (i + 1) * this.dim);
    }
    if (item === null || typeof item !== 'object' || typeof item.length !== 'number')
      throw new InvalidArgumentError('positive', fn, 'words (strings) or vectors (arrays of numbers)', item);
    if (item.length !== this.dim)
      throw new InvalidArgumentError('vector', fn, `a vector of length ${this.dim}`, item.length);
    const v = Float32Array.from(item as ArrayLike<number>);
    if (v.some((x) => !Number.isFinite(x)))
      throw new InvalidArgumentError('vector', fn, 'a vector of finite numbers');
    return v;
  }

  /** Dot product of every unit row with `term` (not normalised: gensim's `most_similar_cosmul`). */
  private dots(term: Float32Array): Float32Array {
    const u = this.unitVectors();
    const d = this.dim;
    const out = new Float32Array(this.size);
    for (let r = 0, o = 0; r < this.size; r++, o += d) {
      let s = 0;
      for (let k = 0; k < d; k++) s += u[o + k] * term[k];
      out[r] = s;
    }
    return out;
  }

  /** Cosine of every row with `query` (query need not be unit length: only the ranking matters there). */
  private cosines(query: Float32Array): Float32Array {
    const u = this.unitVectors();
    const d = this.dim;
    let qn = 0;
    for (let k = 0; k < d; k++) qn += query[k] * query[k];
    const inv = qn > 0 ? 1 / Math.sqrt(qn) : 0;
    const out = new Float32Array(this.size);
    for (let r = 0, o = 0; r < this.size; r++, o += d) {
      let s = 0;
      for (let k = 0; k < d; k++) s += u[o + k] * query[k];
      out[r] = s * inv;
    }
    return out;
  }

  private rank(
    scores: Float32Array,
    topN: number,
    exclude: Set<number>,
    restrictVocab?: number,
  ): SimilarWord[] {
    if (restrictVocab !== undefined) assertInteger(restrictVocab, 'restrictVocab', 'mostSimilar', 1);
    return topK(scores, topN, exclude, restrictVocab).map((i) => ({
      word: this.words[i],
      similarity: scores[i],
    }));
  }
}
