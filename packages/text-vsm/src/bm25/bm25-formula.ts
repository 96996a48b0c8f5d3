import { assertNumber, assertOneOf } from '@wordloom/core';

/**
 * BM25 variants, following Kamphuis, de Vries, Boytsov & Lin, "Which BM25 do you mean?" (ECIR 2020)
 * and the anchors `rank_bm25` / gensim (Okapi, BM25L, BM25+) and Lucene:
 * - `'okapi'`: idf = ln((N − df + 0.5)/(df + 0.5)), negative idfs replaced by ε·(mean idf over the
 *   vocabulary) as rank_bm25 `BM25Okapi` and gensim `OkapiBM25Model`; term score idf·(k1+1)tf/(tf + k1·L)
 * - `'lucene'`: idf = ln(1 + (N − df + 0.5)/(df + 0.5)); term score idf·tf/(tf + k1·L) (no (k1+1) factor,
 *   Lucene ≥ 8; Lucene's lossy one-byte length encoding is not reproduced — lengths are exact)
 * - `'atire'`: idf = ln(N/df); idf·(k1+1)tf/(tf + k1·L) (Trotman et al. 2014)
 * - `'bm25l'`: idf = ln((N + 1)/(df + 0.5)); c = tf/L; idf·(k1+1)(c+δ)/(k1 + c + δ) (Lv & Zhai 2011)
 * - `'bm25plus'`: idf = ln((N + 1)/df); idf·((k1+1)tf/(tf + k1·L) + δ) (Lv & Zhai 2011)
 *
 * where L = 1 − b + b·|d|/avgdl. Every variant scores only documents that contain the term (rank_bm25's
 * BM25L/BM25+ also add δ-terms to documents without it; the papers and Lucene do not).
 */
export type Bm25Variant = 'okapi' | 'lucene' | 'atire' | 'bm25l' | 'bm25plus';

/** All BM25 variants. */
export const BM25_VARIANTS: readonly Bm25Variant[] = ['okapi', 'lucene', 'atire', 'bm25l', 'bm25plus'];

/** Parameters of a BM25 variant; omitted ones take the anchor's default for that variant. */
export interface Bm25Options {
  /** @default 'okapi' */
  variant?: Bm25Variant;
  /** Term-frequency saturation. @default 1.5 (okapi, atire, bm25l, bm25plus as rank_bm25), 1.2 (lucene) */
  k1?: number;
  /** Length normalization. @default 0.75 */
  b?: number;
  /** Lower bound added to tf (bm25l, bm25plus). @default 0.5 (bm25l), 1 (bm25plus) */
  delta?: number;
  /** Okapi idf floor factor: negative idfs become ε·mean idf. @default 0.25 */
  epsilon?: number;
}

/** {@link Bm25Options} with every default filled in. */
export interface Bm25Parameters {
  /** The variant. */
  variant: Bm25Variant;
  /** Term-frequency saturation k1. */
  k1: number;
  /** Length normalization b. */
  b: number;
  /** BM25L / BM25+ δ. */
  delta: number;
  /** Okapi idf floor factor ε. */
  epsilon: number;
}

/** Fills in (and validates) the defaults of `options`. */
export function bm25Parameters(options: Bm25Options = {}, functionName = 'bm25Parameters'): Bm25Parameters {
  const variant = assertOneOf(options.variant ?? 'okapi', BM25_VARIANTS, 'variant', functionName);
  return {
    variant,
    k1: assertNumber(options.k1 ?? (variant === 'lucene' ? 1.2 : 1.5), 'k1', functionName, { min: 0 }),
    b: assertNumber(options.b ?? 0.75, 'b', functionName, { min: 0, max: 1 }),
    delta: assertNumber(options.delta ?? (variant === 'bm25plus' ? 1 : 0.5), 'delta', functionName, {
      min: 0,
    }),
    epsilon: assertNumber(options.epsilon ?? 0.25, 'epsilon', functionName, { min: 0 }),
  };
}

/**
 * The raw idf of a term in `df` of `n` documents (before Okapi's ε floor, see {@link bm25IdfTable}).
 * Only called for df ≥ 1.
 */
export function bm25RawIdf(variant: Bm25Variant, df: number, n: number): number {
  switch (variant) {
    case 'okapi':
      return Math.log((n - df + 0.5) / (df + 0.5));
    case 'lucene':
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    case 'atire':
      return Math.log(n / df);
    case 'bm25l':
      return Math.log((n + 1) / (df + 0.5));
    case 'bm25plus':
      return Math.log((n + 1) / df);
  }
}

/**
 * idf of every term given document frequencies (terms with df = 0 get 0 and do not count in the mean).
 * For `'okapi'`, negative idfs are replaced by ε·(mean raw idf of the terms with df ≥ 1), exactly as
 * rank_bm25 `BM25Okapi._calc_idf`.
 */
export function bm25IdfTable(df: ArrayLike<number>, n: number, params: Bm25Parameters): Float64Array {
  const idf = new Float64Array(df.length);
  let sum = 0;
  let terms = 0;
  for (let t = 0; t < df.length; t++) {
    if (df[t] > 0) {
      idf[t] = bm25RawIdf(params.variant, df[t], n);
      sum += idf[t];
      terms++;
    }
  }
  if (params.variant === 'okapi' && terms > 0) {
    const floor = (params.epsilon * sum) / terms;
    for (let t = 0; t < df.length; t++) if (df[t] > 0 && idf[t] < 0) idf[t] = floor;
  }
  return idf;
}

/**
 * The score one term contributes to one document containing it `tf` ≥ 1 times (see {@link Bm25Variant}).
 * Monotone non-decreasing in tf and non-increasing in docLength for non-negative idf, which is what
 * the search index's upper bounds rely on.
 */
export function bm25TermScore(
  params: Bm25Parameters,
  idf: number,
  tf: number,
  docLength: number,
  averageDocLength: number,
): number {
  return bm25TermScoreFromNorm(params, idf, tf, bm25LengthNorm(params.b, docLength, averageDocLength));
}

/** The length normalization L = 1 − b + b·|d|/avgdl of {@link Bm25Variant} (1 for an empty collection). */
export function bm25LengthNorm(b: number, docLength: number, averageDocLength: number): number {
  return averageDocLength > 0 ? 1 - b + (b * docLength) / averageDocLength : 1;
}

/**
 * {@link bm25TermScore} given the length normalization `l` = {@link bm25LengthNorm} — the same
 * arithmetic, so a search index can tabulate L per document length and get bit-identical scores.
 */
export function bm25TermScoreFromNorm(params: Bm25Parameters, idf: number, tf: number, l: number): number {
  const { k1, delta } = params;
  switch (params.variant) {
    case 'okapi':
    case 'atire':
      return (idf * ((k1 + 1) * tf)) / (tf + k1 * l);
    case 'lucene':
      return (idf * tf) / (tf + k1 * l);
    case 'bm25l': {
      const c = tf / l;
      return (idf * ((k1 + 1) * (c + delta))) / (k1 + c + delta);
    }
    case 'bm25plus':
      return idf * (((k1 + 1) * tf) / (tf + k1 * l) + delta);
  }
}
