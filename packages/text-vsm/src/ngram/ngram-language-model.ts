import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { assertTokenArrays, assertTokens } from '../tokens-argument.js';

/** Padding token that starts every sentence (never predicted). */
export const SENTENCE_START = '<s>';
/** Token that ends every sentence; the model predicts it like a word. */
export const SENTENCE_END = '</s>';
/** Every word outside the model's vocabulary maps to this token. */
export const UNKNOWN_WORD = '<unk>';

/** The smoothing method of an {@link NgramLanguageModel}. */
export type NgramSmoothing = 'kneser-ney' | 'stupid-backoff';

/** Options of {@link NgramLanguageModel.fit}. */
export interface NgramFitOptions {
  /**
   * Largest n-gram length counted (3 = trigrams: each word conditioned on the two before it, the
   * chapter's Markov window L = order − 1).
   * @default 3
   */
  order?: number;
  /**
   * `'kneser-ney'`: interpolated Kneser–Ney (Chen & Goodman 1999, eq. 17), a normalized distribution.
   * `'stupid-backoff'`: Brants et al. 2007 — relative frequency of the longest matching n-gram, times
   * `alpha` per back-off step; scores are not normalized (their perplexity is only a relative figure).
   * @default 'kneser-ney'
   */
  smoothing?: NgramSmoothing;
  /**
   * Kneser–Ney absolute discount D, the same for every order; `undefined` estimates one per order as
   * D = n₁ / (n₁ + 2n₂) from the counts-of-counts (Ney, Essen & Kneser 1994).
   * @default undefined
   */
  discount?: number;
  /**
   * Stupid Backoff penalty per back-off step.
   * @default 0.4
   */
  alpha?: number;
  /**
   * Words seen fewer times than this become {@link UNKNOWN_WORD} (so the model learns how to score
   * unknown words).
   * @default 1
   */
  minCount?: number;
  /**
   * Called with (sentences counted, total) every 10,000 sentences and at the end.
   * @default undefined
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Checked every 10,000 sentences (e.g. aborted from `onProgress`); fitting then throws the signal's
   * reason and returns no model.
   * @default undefined
   */
  signal?: AbortSignal;
}

/** One prediction of {@link NgramLanguageModel.nextWord}. */
export interface NextWord {
  /** The predicted word (possibly {@link SENTENCE_END}). */
  word: string;
  /** P(word | context) (Kneser–Ney) or the Stupid Backoff score. */
  probability: number;
}

interface ContextStats {
  /** Count (raw or continuation) of each word following this context. */
  followers: Map<number, number>;
  /** Sum of `followers`. */
  total: number;
}

/**
 * An n-gram language model with back-off — the chapter's traditional baseline for next-word prediction
 * (section 通过 RNN 和传统方法预测句子中的下一个单词): P(w₃ | w₁w₂) = count(w₁w₂w₃) / count(w₁w₂), backing off to
 * shorter histories when the longer n-gram was never seen. Each sentence is padded with `order − 1`
 * {@link SENTENCE_START} tokens and one {@link SENTENCE_END}.
 *
 * ```ts
 * const lm = NgramLanguageModel.fit([['the', 'cat', 'sat']], { order: 2 });
 * lm.nextWord(['the'], 1); // [{ word: 'cat', probability: … }]
 * ```
 */
export class NgramLanguageModel {
  /** Largest n-gram length. */
  readonly order: number;
  /** Smoothing method. */
  readonly smoothing: NgramSmoothing;
  /** Stupid Backoff α. */
  readonly alpha: number;
  /** Kneser–Ney discount of each order (index k − 1 for k-grams). */
  readonly discounts: readonly number[];
  /** Words the model predicts: training words (count ≥ minCount), {@link SENTENCE_END}, {@link UNKNOWN_WORD}. */
  readonly vocabulary: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly startId: number;
  /** raw[k − 1]: context key (k − 1 ids) → counts of the following word. */
  private readonly raw: Map<string, ContextStats>[];
  /** continuation[k − 1] (k < order): N₁₊(• context w) — how many distinct words precede `context w`. */
  private readonly continuation: Map<string, ContextStats>[];
  /** Number of training tokens predicted (words plus one end token per sentence). */
  readonly tokenCount: number;

  private constructor(
    order: number,
    smoothing: NgramSmoothing,
    alpha: number,
    vocabulary: string[],
    raw: Map<string, ContextStats>[],
    continuation: Map<string, ContextStats>[],
    discounts: number[],
    tokenCount: number,
  ) {
    this.order = order;
    this.smoothing = smoothing;
    this.alpha = alpha;
    this.vocabulary = vocabulary;
    this.ids = new Map(vocabulary.map((w, i) => [w, i]));
    this.startId = vocabulary.length; // <s> has an id but is never predicted
    this.raw = raw;
    this.continuation = continuation;
    this.discounts = discounts;
    this.tokenCount = tokenCount;
  }

  /**
   * Counts every n-gram of order 1…`order` in `sentences` (already tokenized) and returns the model.
   * @throws InvalidArgumentError on an empty corpus or bad options.
   */
  static fit(sentences: readonly (readonly string[])[], options: NgramFitOptions = {}): NgramLanguageModel {
    const fn = 'NgramLanguageModel.fit';
    assertTokenArrays(sentences, 'sentences', fn);
    const order = assertInteger(options.order ?? 3, 'order', fn, 1, 16);
    const smoothing = assertOneOf(
      options.smoothing ?? 'kneser-ney',
      ['kneser-ney', 'stupid-backoff'],
      'smoothing',
      fn,
    );
    const alpha = assertNumber(options.alpha ?? 0.4, 'alpha', fn, { min: 0, max: 1, exclusiveMin: true });
    const minCount = assertInteger(options.minCount ?? 1, 'minCount', fn, 1);
    if (options.discount !== undefined) {
      assertNumber(options.discount, 'discount', fn, { min: 0, max: 1, exclusiveMin: true });
      if (options.discount >= 1)
        throw new InvalidArgumentError('discount', fn, 'a number in (0, 1)', options.discount);
    }

    const wordCounts = new Map<string, number>();
    for (const sentence of sentences) {
      for (const w of sentence) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    }
    const vocabulary: string[] = [];
    for (const [w, c] of wordCounts) {
      if (c >= minCount && w !== SENTENCE_START && w !== SENTENCE_END && w !== UNKNOWN_WORD)
        vocabulary.push(w);
    }
    vocabulary.push(SENTENCE_END, UNKNOWN_WORD);
    const ids = new Map(vocabulary.map((w, i) => [w, i]));
    const unk = ids.get(UNKNOWN_WORD)!;
    const end = ids.get(SENTENCE_END)!;
    const start = vocabulary.length;

    const raw: Map<string, ContextStats>[] = Array.from({ length: order }, () => new Map());
    let tokenCount = 0;
    const padded: number[] = [];
    for (let s = 0; s < sentences.length; s++) {
      if (s % 10_000 === 0 && s > 0) {
        options.onProgress?.(s, sentences.length);
        options.signal?.throwIfAborted();
      }
      const sentence = sentences[s];
      padded.length = 0;
      for (let i = 0; i < order - 1; i++) padded.push(start);
      for (const w of sentence) padded.push(ids.get(w) ?? unk);
      padded.push(end);
      for (let i = order - 1; i < padded.length; i++) {
        tokenCount++;
        // Count the k-gram ending at i for every k; contexts made only of padding are kept (they are
        // the sentence-start histories).
        for (let k = 1; k <= order; k++) add(raw[k - 1], contextKey(padded, i - k + 1, i), padded[i]);
      }
    }
    options.onProgress?.(sentences.length, sentences.length);
    if (tokenCount === 0 || sentences.length === 0) {
      throw new InvalidArgumentError('sentences', fn, 'a non-empty corpus', sentences);
    }

    // Continuation counts N₁₊(• h w) for orders below the highest: one per distinct longer n-gram.
    const continuation: Map<string, ContextStats>[] = Array.from({ length: order }, () => new Map());
    for (let k = order; k >= 2; k--) {
      for (const [key, stats] of raw[k - 1]) {
        const shorter = key.length === 0 ? '' : dropFirst(key);
        for (const w of stats.followers.keys()) add(continuation[k - 2], shorter, w);
      }
    }

    const discounts: number[] = [];
    for (let k = 1; k <= order; k++) {
      if (options.discount !== undefined) {
        discounts.push(options.discount);
        continue;
      }
      const table = k === order ? raw[k - 1] : continuation[k - 1];
      let n1 = 0;
      let n2 = 0;
      for (const stats of table.values()) {
        for (const c of stats.followers.values()) {
          if (c === 1) n1++;
          else if (c === 2) n2++;
        }
      }
      const d = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.75;
      discounts.push(d > 0 && d < 1 ? d : 0.75);
    }
    return new NgramLanguageModel(
      order,
      smoothing,
      alpha,
      vocabulary,
      raw,
      continuation,
      discounts,
      tokenCount,
    );
  }

  /** Id of `word` in {@link vocabulary}; unknown words get the id of {@link UNKNOWN_WORD}. */
  private id(word: string): number {
    if (word === SENTENCE_START) return this.startId;
    return this.ids.get(word) ?? this.ids.get(UNKNOWN_WORD)!;
  }

  private history(context: readonly string[], fn: string): number[] {
    assertTokens(context, 'context', fn);
    return context.slice(Math.max(0, context.length - (this.order - 1))).map((w) => this.id(w));
  }

  /**
   * P(word | context) under Kneser–Ney, or the Stupid Backoff score S(word | context). Only the last
   * `order − 1` context words matter; pass {@link SENTENCE_START} tokens to condition on a sentence start.
   */
  probability(word: string, context: readonly string[] = []): number {
    if (typeof word !== 'string')
      throw new InvalidArgumentError('word', 'NgramLanguageModel.probability', 'a string token', word);
    const h = this.history(context, 'NgramLanguageModel.probability');
    const w = this.id(word);
    if (w === this.startId) return 0;
    return this.smoothing === 'kneser-ney' ? this.kneserNey(w, h, 0) : this.stupidBackoff(w, h, 0);
  }

  /**
   * Interpolated Kneser–Ney (Chen & Goodman 1999, eq. 17) for history h[from…]:
   * P(w|h) = max(c(hw) − D, 0)/c(h) + D·N₁₊(h•)/c(h) · P(w|h′), where c is the raw count at the highest
   * order and the continuation count N₁₊(•hw) below it (also when the caller's context is shorter than
   * `order − 1`, as NLTK does); an unseen history backs off entirely; the unigram level interpolates
   * with the uniform 1/|V| so unknown words keep some mass.
   */
  private kneserNey(w: number, h: number[], from: number): number {
    const k = h.length - from + 1;
    const stats = (k === this.order ? this.raw : this.continuation)[k - 1].get(contextKey(h, from, h.length));
    const lower = () => this.kneserNey(w, h, from + 1);
    if (stats === undefined || stats.total === 0) return k === 1 ? 1 / this.vocabulary.length : lower();
    const d = this.discounts[k - 1];
    const c = stats.followers.get(w) ?? 0;
    const gamma = (d * stats.followers.size) / stats.total;
    return Math.max(c - d, 0) / stats.total + gamma * (k === 1 ? 1 / this.vocabulary.length : lower());
  }

  /** Stupid Backoff (Brants et al. 2007, eq. 5): c(hw)/c(h) if seen, else α·S(w|h′); S(w) = c(w)/N. */
  private stupidBackoff(w: number, h: number[], from: number): number {
    const k = h.length - from + 1;
    const stats = this.raw[k - 1].get(contextKey(h, from, h.length));
    const c = stats?.followers.get(w) ?? 0;
    if (c > 0) return c / stats!.total;
    return k === 1 ? 0 : this.alpha * this.stupidBackoff(w, h, from + 1);
  }

  /**
   * The `k` most likely next words after `context`, most likely first (ties by vocabulary order).
   * {@link UNKNOWN_WORD} is never proposed; {@link SENTENCE_END} is (it means "the sentence ends here").
   */
  nextWord(context: readonly string[], k = 1): NextWord[] {
    const fn = 'NgramLanguageModel.nextWord';
    assertInteger(k, 'k', fn, 1);
    const h = this.history(context, fn);
    const scores = this.distributionIds(h);
    const unk = this.ids.get(UNKNOWN_WORD)!;
    const order = Array.from({ length: scores.length }, (_, i) => i).filter((i) => i !== unk);
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    return order.slice(0, k).map((i) => ({ word: this.vocabulary[i], probability: scores[i] }));
  }

  /**
   * P(w | context) for every word of {@link vocabulary}, in vocabulary order. Under Kneser–Ney it sums
   * to 1 (up to rounding).
   */
  distribution(context: readonly string[]): Float64Array {
    return this.distributionIds(this.history(context, 'NgramLanguageModel.distribution'));
  }

  /** Whole-vocabulary version of the recursions above: O(|V| + followers) instead of |V| lookups. */
  private distributionIds(h: number[]): Float64Array {
    const v = this.vocabulary.length;
    if (this.smoothing === 'stupid-backoff') {
      const out = new Float64Array(v);
      const done = new Uint8Array(v);
      let factor = 1;
      for (let from = 0; from <= h.length; from++) {
        const stats = this.raw[h.length - from].get(contextKey(h, from, h.length));
        if (stats !== undefined) {
          for (const [w, c] of stats.followers) {
            if (!done[w]) {
              done[w] = 1;
              out[w] = (factor * c) / stats.total;
            }
          }
        }
        factor *= this.alpha;
      }
      return out;
    }
    const out = new Float64Array(v).fill(1 / v);
    for (let from = h.length; from >= 0; from--) {
      const k = h.length - from + 1;
      const stats = (k === this.order ? this.raw : this.continuation)[k - 1].get(
        contextKey(h, from, h.length),
      );
      if (stats === undefined || stats.total === 0) continue; // unseen history: P(w|h) = P(w|h′)
      const d = this.discounts[k - 1];
      const gamma = (d * stats.followers.size) / stats.total;
      for (let i = 0; i < v; i++) out[i] *= gamma;
      for (const [w, c] of stats.followers) out[w] += Math.max(c - d, 0) / stats.total;
    }
    return out;
  }

  /**
   * Perplexity exp(−(1/T)·Σ ln P(wᵢ | history)) over tokenized `sentences`, each padded as in training
   * (T counts the words plus one {@link SENTENCE_END} per sentence). Out-of-vocabulary words are scored
   * as {@link UNKNOWN_WORD}. Under Stupid Backoff an unseen unknown word scores 0, giving `Infinity`.
   */
  perplexity(sentences: readonly (readonly string[])[]): number {
    const fn = 'NgramLanguageModel.perplexity';
    assertTokenArrays(sentences, 'sentences', fn);
    let logSum = 0;
    let count = 0;
    for (const sentence of sentences) {
      const padded: number[] = [];
      for (let i = 0; i < this.order - 1; i++) padded.push(this.startId);
      for (const w of sentence) padded.push(this.id(w));
      padded.push(this.ids.get(SENTENCE_END)!);
      for (let i = this.order - 1; i < padded.length; i++) {
        const h = padded.slice(i - this.order + 1, i);
        const p =
          this.smoothing === 'kneser-ney'
            ? this.kneserNey(padded[i], h, 0)
            : this.stupidBackoff(padded[i], h, 0);
        logSum += Math.log(p);
        count++;
      }
    }
    if (count === 0) throw new InvalidArgumentError('sentences', fn, 'at least one sentence', sentences);
    return Math.exp(-logSum / count);
  }
}

function contextKey(ids: readonly number[], from: number, to: number): string {
  let key = '';
  for (let i = from; i < to; i++) key += i === from ? `${ids[i]}` : ` ${ids[i]}`;
  return key;
}

function dropFirst(key: string): string {
  const space = key.indexOf(' ');
  return space < 0 ? '' : key.slice(space + 1);
}

function add(table: Map<string, ContextStats>, key: string, w: number): void {
  let stats = table.get(key);
  if (stats === undefined) {
    stats = { followers: new Map(), total: 0 };
    table.set(key, stats);
  }
  stats.followers.set(w, (stats.followers.get(w) ?? 0) + 1);
  stats.total++;
}
