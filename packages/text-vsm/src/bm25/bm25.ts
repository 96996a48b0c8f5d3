import { assertTokenArrays, assertTokens } from '../tokens-argument.js';
import {
  type Bm25Options,
  type Bm25Parameters,
  bm25IdfTable,
  bm25Parameters,
  bm25TermScore,
} from './bm25-formula.js';

/**
 * BM25 by direct evaluation over tokenized documents, the shape of rank_bm25's `BM25Okapi(corpus)
 * .get_scores(query)`: every document is scored, summing each query token's term score (a token
 * repeated in the query counts again). Use {@link SearchIndex} to search large collections; this class
 * is the plain reference.
 */
export class Bm25 {
  readonly params: Bm25Parameters;
  /** Number of documents N. */
  readonly documentCount: number;
  /** avgdl: mean document length in tokens. */
  readonly averageDocLength: number;
  private readonly termFrequencies: Map<string, number>[];
  private readonly lengths: Int32Array;
  private readonly idfs: Map<string, number>;

  private constructor(documents: readonly (readonly string[])[], params: Bm25Parameters) {
    this.params = params;
    this.documentCount = documents.length;
    this.lengths = Int32Array.from(documents, (d) => d.length);
    const total = this.lengths.reduce((s, l) => s + l, 0);
    this.averageDocLength = documents.length > 0 ? total / documents.length : 0;
    const df = new Map<string, number>();
    this.termFrequencies = documents.map((doc) => {
      const tf = new Map<string, number>();
      for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
      return tf;
    });
    const terms = [...df.keys()];
    const idf = bm25IdfTable(
      terms.map((t) => df.get(t)!),
      documents.length,
      params,
    );
    this.idfs = new Map(terms.map((t, i) => [t, idf[i]]));
  }

  /** Indexes tokenized `documents` for scoring with the given variant and parameters. */
  static fit(documents: readonly (readonly string[])[], options: Bm25Options = {}): Bm25 {
    assertTokenArrays(documents, 'documents', 'Bm25.fit');
    return new Bm25(documents, bm25Parameters(options, 'Bm25.fit'));
  }

  /** idf of `term` (0 for a term in no document). */
  idf(term: string): number {
    return this.idfs.get(term) ?? 0;
  }

  /**
   * The score of every document for the tokenized `query` (0 where no query term occurs). A string is
   * refused: pass `tokenize(text)`.
   */
  scores(query: readonly string[]): Float64Array {
    assertTokens(query, 'query', 'Bm25.scores');
    const out = new Float64Array(this.documentCount);
    for (const t of query) {
      const idf = this.idfs.get(t);
      if (idf === undefined) continue;
      for (let d = 0; d < this.documentCount; d++) {
        const tf = this.termFrequencies[d].get(t);
        if (tf !== undefined)
          out[d] += bm25TermScore(this.params, idf, tf, this.lengths[d], this.averageDocLength);
      }
    }
    return out;
  }
}
