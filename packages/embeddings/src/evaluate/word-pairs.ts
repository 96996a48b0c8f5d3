import { assertInteger } from '@wordloom/core';
import type { KeyedVectors } from '../keyed-vectors.js';
import { pearson, spearman } from './correlation.js';

/** Options of {@link evaluateWordPairs}. */
export interface WordPairOptions {
  /** Only the first N words count as known. @default 300000 */
  restrictVocab?: number;
  /** Compare upper-cased words. @default true */
  caseInsensitive?: boolean;
}

/** Result of {@link evaluateWordPairs}. */
export interface WordPairEvaluation {
  /** Pearson's r between human scores and cosine similarities (NaN when fewer than 2 pairs are scored). */
  pearson: number;
  /** Spearman's ρ between them (NaN when fewer than 2 pairs are scored). */
  spearman: number;
  /** Fraction of pairs (0..1) skipped because a word is unknown. */
  oovRatio: number;
  /** Pairs scored. */
  pairs: number;
}

/**
 * Correlation of cosine similarity with human judgements, over lines `word1<TAB or space>word2<…>score`
 * (WordSim-353 / SimLex format; `#` lines are comments), as gensim's `evaluate_word_pairs`.
 */
export function evaluateWordPairs(
  vectors: KeyedVectors,
  pairs: string,
  options: WordPairOptions = {},
): WordPairEvaluation {
  const restrict = Math.min(options.restrictVocab ?? 300_000, vectors.size);
  assertInteger(restrict, 'restrictVocab', 'evaluateWordPairs', 0);
  const fold = options.caseInsensitive ?? true;
  const key = (w: string) => (fold ? w.toUpperCase() : w);
  const vocab = new Map<string, number>();
  for (let i = 0; i < restrict; i++)
    if (!vocab.has(key(vectors.words[i]))) vocab.set(key(vectors.words[i]), i);
  const unit = vectors.unitVectors();
  const d = vectors.dim;
  const human: number[] = [];
  const model: number[] = [];
  let oov = 0;
  for (const raw of pairs.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [a, b, score] = line.split(/\t|\s+/);
    const value = Number(score);
    if (b === undefined || !Number.isFinite(value)) continue;
    const ia = vocab.get(key(a));
    const ib = vocab.get(key(b));
    if (ia === undefined || ib === undefined) {
      oov++;
      continue;
    }
    let s = 0;
    for (let k = 0; k < d; k++) s += unit[ia * d + k] * unit[ib * d + k];
    human.push(value);
    model.push(s);
  }
  const n = human.length;
  return {
    pearson: n > 1 ? pearson(human, model) : Number.NaN,
    spearman: n > 1 ? spearman(human, model) : Number.NaN,
    oovRatio: n + oov > 0 ? oov / (n + oov) : 0,
    pairs: n,
  };
}
