import { assertInteger, crc32, InvalidArgumentError, UnavailableError, WordloomError } from '@wordloom/core';
import {
  type Bm25Options,
  type Bm25Parameters,
  type Bm25Variant,
  bm25LengthNorm,
  bm25Parameters,
  bm25RawIdf,
  bm25TermScore,
  bm25TermScoreFromNorm,
} from '../bm25/bm25-formula.js';
import { inverseDocumentFrequency } from '../tf-idf.js';
import {
  createTokenizer,
  resolveTokenizerOptions,
  type Tokenizer,
  type TokenizerOptions,
} from '../tokenize/tokenizer.js';
import { type SearchHit, TopKHeap } from './top-k-heap.js';

/** How {@link SearchIndex.search} scores: a BM25 variant, or `'tfidf'` = Σ qtf·tf·(ln((1+N)/(1+df)) + 1). */
export type SearchScoring = Bm25Variant | 'tfidf';

/** All scoring names. */
export const SEARCH_SCORINGS: readonly SearchScoring[] = [
  'lucene',
  'okapi',
  'atire',
  'bm25l',
  'bm25plus',
  'tfidf',
];

/** Options of a {@link SearchIndex}. */
export interface SearchIndexOptions {
  /**
   * How documents and string queries are tokenized (saved with the index, every default filled in, so a
   * loaded index tokenizes as the saved one did). Token arrays given to {@link SearchIndex.add} or
   * {@link SearchIndex.search} are used as they are.
   * @default {} (the default tokenizer: UAX #29 words, NFKC, full case folding)
   */
  tokenizer?: TokenizerOptions;
}

/** Options of {@link SearchIndex.search}. */
export interface SearchOptions extends Omit<Bm25Options, 'variant'> {
  /**
   * Number of hits to return; any larger number (`Number.MAX_SAFE_INTEGER` for "all hits") is capped at
   * the number of documents in the index, so nothing is allocated beyond the hits.
   * @default 10
   */
  top?: number;
  /**
   * Scoring function; BM25 parameters default to that variant's anchor defaults (see {@link Bm25Options}).
   * `'lucene'` (Lucene's `BM25Similarity`: idf = ln(1 + (N − df + 0.5)/(df + 0.5)) > 0, k1 1.2, b 0.75)
   * is the default because its scores are positive for every matching document. `'okapi'` is rank_bm25's
   * `BM25Okapi` (idf = ln((N − df + 0.5)/(df + 0.5)), a term in more than half the documents gets the
   * floor ε·mean idf, k1 1.5): on small or homogeneous collections its scores are 0 or negative, and then
   * longer documents rank first.
   * @default 'lucene'
   */
  scoring?: SearchScoring;
}

/** Options of {@link SearchIndex.addDocuments}. */
export interface AddDocumentsOptions {
  /**
   * Called every `progressEvery` documents and at the end with (added so far, total); the total is
   * `undefined` when `documents` is not an array (an iterable or a stream has no length).
   * @default undefined
   */
  onProgress?: (done: number, total: number | undefined) => void;
  /**
   * Stops between documents: the promise rejects with the signal's reason and the index is left
   * exactly as it was before the call.
   * @default undefined
   */
  signal?: AbortSignal;
  /**
   * Documents between progress reports, abort checks and yields to the event loop.
   * @default 10000
   */
  progressEvery?: number;
}

/** Documents per block of postings (Lucene's block size): each block keeps its own score bounds. */
const BLOCK = 128;
/**
 * (tf, length) pairs kept per block: the block's competitive impacts, as Lucene's `Impacts` — pairs no
 * other pair beats on both (larger tf, shorter document). Past this many, the two of lowest tf merge into
 * (their larger tf, their shorter length), which still bounds both.
 */
const IMPACTS = 4;
const BLOCK_INTS = 2 * IMPACTS;
const NO_DOC = 0x7fffffff;
const MAGIC = 'WLSIDX02';
const MAGIC_V1 = 'WLSIDX01';
/** Lucene's `CodecUtil.FOOTER_MAGIC` (~CODEC_MAGIC). */
const FOOTER_MAGIC = 0xc02893e8;
/** magic (4) + algorithm id (4, 0 = CRC-32) + checksum (8, as Lucene's long). */
const FOOTER_BYTES = 16;

function grow<T extends Int32Array | Uint8Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2, 8));
  next.set(array);
  return next;
}

interface QueryTerm {
  term: number;
  qtf: number;
  idf: number;
  /** Upper bound of its contribution to any document. */
  bound: number;
  /** L = 1 − b + b·|d|/avgdl by document length |d| (shorter than the longest documents, see `norms`). */
  norm: Float64Array;
}

/**
 * A window's bound for a globally non-essential term is the largest of its blocks the window overlaps;
 * past this many blocks, its global bound (it is then about as tight, and cheaper).
 */
const RANGE_BLOCKS = 8;

/** What one {@link SearchIndex.search} keeps between its windows (arrays indexed by query term). */
interface WindowState {
  terms: QueryTerm[];
  params: Bm25Parameters;
  scoring: SearchScoring;
  avgdl: number;
  /** Rounding slack: a bound excludes documents only when short of θ by more than this. */
  slack: number;
  heap: TopKHeap;
  /** First posting not yet passed. */
  pos: Int32Array;
  /** Cursor of the candidate probes inside the current window. */
  probe: Int32Array;
  /** Bound of each term's contribution inside the current window (W). */
  bound: Float64Array;
  /** Terms by window bound ascending. */
  order: Int32Array;
  /** 1 for the terms of N in the current window. */
  nonEssential: Uint8Array;
  /** 1 for the globally non-essential terms (G). */
  global: Uint8Array;
  contrib: Float64Array;
  present: Uint8Array;
  cachedBlock: Int32Array;
  cachedBound: Float64Array;
  candidates: Int32Array;
  /** Partial scores of the candidates (term-at-a-time scoring). */
  partial: Float64Array;
}

/** Sorts `values[0, count)` ascending and removes repeats in place; returns the new count. */
function sortUnique(values: Int32Array, count: number): number {
  if (count <= 32) {
    for (let i = 1; i < count; i++) {
      const v = values[i];
      let j = i;
      while (j > 0 && values[j - 1] > v) {
        values[j] = values[j - 1];
        j--;
      }
      values[j] = v;
    }
  } else values.subarray(0, count).sort();
  let kept = 0;
  for (let i = 0; i < count; i++)
    if (kept === 0 || values[i] !== values[kept - 1]) values[kept++] = values[i];
  return kept;
}

/** Length normalizations are tabulated up to this document length; longer ones are computed. */
const NORM_TABLE = 1 << 16;

/** What {@link SearchIndex.addDocuments} needs to undo a failed call. */
interface Savepoint {
  docs: number;
  terms: number;
  live: number;
  liveLength: number;
}

/**
 * An inverted index over documents for ranked retrieval with BM25 (five variants) or tf-idf.
 *
 * Postings (doc ids ascending, term frequencies) are int32 typed arrays per term, cut into blocks of 128
 * that each keep their competitive (tf, length) impacts. Documents get consecutive ids from 0 in
 * insertion order and keep them.
 *
 * Top-k retrieval is document-at-a-time block-max MaxScore (Turtle & Flood 1995; Ding & Suel 2011;
 * Lucene's `MaxScoreBulkScorer`). Terms whose global bounds together cannot reach the current k-th
 * score are only probed; the doc-id space is cut into windows along the postings blocks of the others,
 * and every term's bound in a window comes from the blocks it overlaps (score at a block's best
 * competitive (tf, length) pair). A window whose bounds together cannot reach the k-th score is skipped
 * unread; inside a window, only the postings of essential terms whose own contribution clears the k-th
 * score less the other terms' bounds become candidates (for a stop-word query in short documents, the
 * few with their block's largest tf), and a candidate is dropped once its partial score plus the bounds
 * not yet probed falls short. The result is exactly the exhaustive ranking (ties broken by the smaller
 * doc id), which {@link SearchIndex.searchExhaustive} computes for comparison.
 *
 * Deletion marks a document deleted and updates the collection statistics at once; its postings are
 * skipped until {@link SearchIndex.compact}.
 */
export class SearchIndex {
  private readonly tokenizerOptions: TokenizerOptions;
  private readonly tokenizer: Tokenizer;
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private postDocs: Int32Array[] = [];
  private postTfs: Int32Array[] = [];
  /**
   * Per term, per block of {@link BLOCK} postings: up to {@link IMPACTS} (tf, length) pairs, tf
   * ascending (and so length ascending); unused pairs have tf 0.
   */
  private blockBounds: Int32Array[] = [];
  private postLen = new Int32Array(0);
  private df = new Int32Array(0);
  private maxTf = new Int32Array(0);
  private minDl = new Int32Array(0);
  private docLength = new Int32Array(0);
  private deleted = new Uint8Array(0);
  private docTermStart = new Int32Array(1);
  private docTerms = new Int32Array(0);
  private docs = 0;
  private live = 0;
  private liveLength = 0;
  /** Bumped on every change; caches (Okapi's mean idf) compare against it. */
  private version = 0;
  private okapiMeanCache = { version: -1, n: 0, mean: 0 };
  private normCache = { version: -1, b: Number.NaN, table: new Float64Array(0) };
  /** Longest document added (an upper bound once documents are deleted or rolled back). */
  private maxDocLength = 0;
  /**
   * How many documents the last {@link search} scored completely (the rest were skipped or pruned by
   * their bounds) — to see how much work block-max MaxScore saved.
   */
  lastSearchScored = 0;

  /** An empty index. */
  constructor(options: SearchIndexOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('options', 'SearchIndex', 'an object', options);
    for (const key of Object.keys(options)) {
      if (key !== 'tokenizer')
        throw new InvalidArgumentError(key, 'SearchIndex', "not given (the only option is 'tokenizer')");
    }
    this.tokenizerOptions = resolveTokenizerOptions(options.tokenizer ?? {}, 'SearchIndex');
    this.tokenizer = createTokenizer(this.tokenizerOptions);
  }

  /** Number of documents in the index (deleted ones excluded). */
  get documentCount(): number {
    return this.live;
  }

  /** Number of doc ids handed out so far (the next {@link add} returns this id). */
  get size(): number {
    return this.docs;
  }

  /** Number of distinct terms ever indexed. */
  get termCount(): number {
    return this.terms.length;
  }

  /** Mean length in tokens of the documents in the index (0 when empty). */
  get averageDocLength(): number {
    return this.live > 0 ? this.liveLength / this.live : 0;
  }

  /**
   * Bytes held by the index's typed arrays (postings with their spare capacity, block bounds, document
   * and term tables); the term strings and their Map come on top.
   */
  get typedArrayBytes(): number {
    let bytes =
      this.postLen.byteLength +
      this.df.byteLength +
      this.maxTf.byteLength +
      this.minDl.byteLength +
      this.docLength.byteLength +
      this.deleted.byteLength +
      this.docTermStart.byteLength +
      this.docTerms.byteLength;
    for (let t = 0; t < this.terms.length; t++)
      bytes += this.postDocs[t].byteLength + this.postTfs[t].byteLength + this.blockBounds[t].byteLength;
    return bytes;
  }

  /** The tokens of `text` under this index's tokenizer. */
  tokenize(text: string): string[] {
    return this.tokenizer(text);
  }

  /** Whether `doc` is an id in the index that was not deleted. */
  has(doc: number): boolean {
    return Number.isInteger(doc) && doc >= 0 && doc < this.docs && this.deleted[doc] === 0;
  }

  /** Number of documents in the index containing `term` (after tokenization rules: pass the token). */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.df[id];
  }

  /**
   * Adds one document (a text to tokenize, or tokens) and returns its id. An empty document is a
   * document of length 0: it counts in N and avgdl and never matches. A document that is neither a
   * string nor an array of strings throws before anything changes.
   */
  add(document: string | readonly string[]): number {
    return this.addTokens(this.tokensOf(document, 'document', 'SearchIndex.add'));
  }

  private addTokens(tokens: readonly string[]): number {
    const d = this.docs;
    const counts = new Map<number, number>();
    for (const token of tokens) {
      let id = this.termIds.get(token);
      if (id === undefined) id = this.newTerm(token);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const length = tokens.length;
    this.docLength = grow(this.docLength, d + 1);
    this.deleted = grow(this.deleted, d + 1);
    this.docTermStart = grow(this.docTermStart, d + 2);
    const start = this.docTermStart[d];
    this.docTerms = grow(this.docTerms, start + counts.size);
    let at = start;
    for (const [t, tf] of counts) {
      this.docTerms[at++] = t;
      const n = this.postLen[t];
      if (n === this.postDocs[t].length) {
        this.postDocs[t] = grow(this.postDocs[t], n + 1);
        this.postTfs[t] = grow(this.postTfs[t], n + 1);
      }
      this.postDocs[t][n] = d;
      this.postTfs[t][n] = tf;
      this.postLen[t] = n + 1;
      this.df[t]++;
      if (tf > this.maxTf[t]) this.maxTf[t] = tf;
      if (length < this.minDl[t]) this.minDl[t] = length;
      this.addImpact(t, n, tf, length);
    }
    this.docTermStart[d + 1] = at;
    this.docLength[d] = length;
    this.deleted[d] = 0;
    this.docs++;
    this.live++;
    this.liveLength += length;
    if (length > this.maxDocLength) this.maxDocLength = length;
    this.version++;
    return d;
  }

  /**
   * Adds many documents — an array, any iterable, or an async iterable such as a `readline` interface
   * over a file (streamed: only the current document is held) — reporting progress and yielding to the
   * event loop every `progressEvery` documents so an {@link AbortSignal} can stop it. All or nothing: a
   * document that is neither a string nor an array of strings, an abort, or an error thrown by the
   * iterable leaves the index exactly as it was before the call. Returns the id of the first one added.
   */
  async addDocuments(
    documents: Iterable<string | readonly string[]> | AsyncIterable<string | readonly string[]>,
    options: AddDocumentsOptions = {},
  ): Promise<number> {
    const fn = 'SearchIndex.addDocuments';
    const every = assertInteger(options.progressEvery ?? 10_000, 'progressEvery', fn, 1);
    const isAsync =
      documents != null && typeof (documents as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
    const isSync =
      documents != null && typeof (documents as Iterable<unknown>)[Symbol.iterator] === 'function';
    if (typeof documents === 'string' || (!isAsync && !isSync)) {
      throw new InvalidArgumentError(
        'documents',
        fn,
        'an array, iterable or async iterable of documents (strings or token arrays)',
        documents,
      );
    }
    const total = Array.isArray(documents) ? documents.length : undefined;
    const savepoint: Savepoint = {
      docs: this.docs,
      terms: this.terms.length,
      live: this.live,
      liveLength: this.liveLength,
    };
    let count = 0;
    const one = async (document: unknown) => {
      if (count % every === 0) {
        options.signal?.throwIfAborted();
        if (count > 0) {
          options.onProgress?.(count, total);
          await new Promise((resolve) => setTimeout(resolve, 0));
          options.signal?.throwIfAborted();
        }
      }
      this.addTokens(this.tokensOf(document, `documents[${count}]`, fn));
      count++;
    };
    try {
      options.signal?.throwIfAborted();
      if (isAsync) {
        for await (const document of documents as AsyncIterable<unknown>) await one(document);
      } else {
        for (const document of documents as Iterable<unknown>) {
          if (count % every === 0) await one(document);
          else {
            this.addTokens(this.tokensOf(document, `documents[${count}]`, fn));
            count++;
          }
        }
      }
      options.signal?.throwIfAborted();
    } catch (error) {
      this.rollback(savepoint);
      throw error;
    }
    options.onProgress?.(count, total);
    return savepoint.docs;
  }

  /** Undoes every add since `savepoint` (no delete or compact happens in between). */
  private rollback(savepoint: Savepoint): void {
    const first = savepoint.docs;
    const touched = new Set<number>();
    for (let j = this.docTermStart[first]; j < this.docTermStart[this.docs]; j++)
      touched.add(this.docTerms[j]);
    for (const t of touched) {
      let n = this.postLen[t];
      while (n > 0 && this.postDocs[t][n - 1] >= first) {
        if (!this.deleted[this.postDocs[t][n - 1]]) this.df[t]--;
        n--;
      }
      this.postLen[t] = n;
      if (t < savepoint.terms) this.rebuildBounds(t);
    }
    for (let t = savepoint.terms; t < this.terms.length; t++) this.termIds.delete(this.terms[t]);
    this.terms.length = savepoint.terms;
    this.postDocs.length = savepoint.terms;
    this.postTfs.length = savepoint.terms;
    this.blockBounds.length = savepoint.terms;
    for (let d = first; d < this.docs; d++) {
      this.docLength[d] = 0;
      this.deleted[d] = 0;
      this.docTermStart[d + 1] = 0;
    }
    this.docs = first;
    this.live = savepoint.live;
    this.liveLength = savepoint.liveLength;
    this.version++;
  }

  /** Deletes document `doc`; returns false when it was not in the index. */
  delete(doc: number): boolean {
    if (!this.has(doc)) return false;
    this.deleted[doc] = 1;
    for (let j = this.docTermStart[doc]; j < this.docTermStart[doc + 1]; j++) this.df[this.docTerms[j]]--;
    this.live--;
    this.liveLength -= this.docLength[doc];
    this.version++;
    return true;
  }

  /**
   * Drops the postings of deleted documents and tightens the score bounds (doc ids do not change).
   * Worth calling after many deletions.
   */
  compact(): void {
    for (let t = 0; t < this.terms.length; t++) {
      const docs = this.postDocs[t];
      const tfs = this.postTfs[t];
      let n = 0;
      for (let i = 0; i < this.postLen[t]; i++) {
        const d = docs[i];
        if (this.deleted[d]) continue;
        docs[n] = d;
        tfs[n++] = tfs[i];
      }
      this.postDocs[t] = docs.slice(0, n);
      this.postTfs[t] = tfs.slice(0, n);
      this.postLen[t] = n;
      this.rebuildBounds(t);
    }
    // The forward index still lists the deleted documents' terms; drop them too.
    const start = new Int32Array(this.docs + 1);
    let kept = 0;
    for (let d = 0; d < this.docs; d++) {
      const from = this.docTermStart[d];
      const to = this.docTermStart[d + 1];
      start[d] = kept;
      if (!this.deleted[d]) for (let j = from; j < to; j++) this.docTerms[kept++] = this.docTerms[j];
    }
    start[this.docs] = kept;
    this.docTermStart = start;
    this.docTerms = this.docTerms.slice(0, kept);
    this.version++;
  }

  /** Records posting `i` (tf, document length) of term `t` in its block's competitive impacts. */
  private addImpact(t: number, i: number, tf: number, length: number): void {
    const at = BLOCK_INTS * Math.floor(i / BLOCK);
    if (i % BLOCK === 0) {
      this.blockBounds[t] = grow(this.blockBounds[t], at + BLOCK_INTS);
      this.blockBounds[t].fill(0, at, at + BLOCK_INTS);
    }
    const p = this.blockBounds[t];
    for (;;) {
      let size = 0;
      for (; size < IMPACTS && p[at + 2 * size] > 0; size++) {
        // Dominated by a kept pair (tf' ≥ tf and length' ≤ length): nothing to record.
        if (p[at + 2 * size] >= tf && p[at + 2 * size + 1] <= length) return;
      }
      // Drop the pairs the new one dominates.
      let kept = 0;
      for (let j = 0; j < size; j++) {
        const ptf = p[at + 2 * j];
        const plen = p[at + 2 * j + 1];
        if (tf >= ptf && length <= plen) continue;
        p[at + 2 * kept] = ptf;
        p[at + 2 * kept + 1] = plen;
        kept++;
      }
      for (let j = kept; j < size; j++) p[at + 2 * j] = 0;
      if (kept < IMPACTS) {
        let pos = kept;
        for (; pos > 0 && p[at + 2 * (pos - 1)] > tf; pos--) {
          p[at + 2 * pos] = p[at + 2 * (pos - 1)];
          p[at + 2 * pos + 1] = p[at + 2 * (pos - 1) + 1];
        }
        p[at + 2 * pos] = tf;
        p[at + 2 * pos + 1] = length;
        return;
      }
      // Full: merge the two pairs of lowest tf into (the larger tf, the shorter length), then retry.
      p[at + 1] = Math.min(p[at + 1], p[at + 3]);
      p[at] = p[at + 2];
      for (let j = 1; j < IMPACTS - 1; j++) {
        p[at + 2 * j] = p[at + 2 * (j + 1)];
        p[at + 2 * j + 1] = p[at + 2 * (j + 1) + 1];
      }
      p[at + 2 * (IMPACTS - 1)] = 0;
    }
  }

  /** Recomputes a term's largest tf, shortest document and block impacts from its postings. */
  private rebuildBounds(t: number): void {
    const n = this.postLen[t];
    const docs = this.postDocs[t];
    const tfs = this.postTfs[t];
    this.blockBounds[t] = new Int32Array(Math.max(BLOCK_INTS, BLOCK_INTS * Math.ceil(n / BLOCK)));
    let maxTf = 0;
    let minDl = NO_DOC;
    for (let i = 0; i < n; i++) {
      const tf = tfs[i];
      const length = this.docLength[docs[i]];
      this.addImpact(t, i, tf, length);
      if (tf > maxTf) maxTf = tf;
      if (length < minDl) minDl = length;
    }
    this.maxTf[t] = maxTf;
    this.minDl[t] = minDl;
  }

  private newTerm(token: string): number {
    const id = this.terms.length;
    this.terms.push(token);
    this.termIds.set(token, id);
    this.postDocs.push(new Int32Array(2));
    this.postTfs.push(new Int32Array(2));
    this.blockBounds.push(new Int32Array(BLOCK_INTS));
    this.postLen = grow(this.postLen, id + 1);
    this.df = grow(this.df, id + 1);
    this.maxTf = grow(this.maxTf, id + 1);
    this.minDl = grow(this.minDl, id + 1);
    this.postLen[id] = 0;
    this.df[id] = 0;
    this.maxTf[id] = 0;
    this.minDl[id] = NO_DOC;
    return id;
  }

  private tokensOf(input: unknown, argument: string, fn: string): readonly string[] {
    if (typeof input === 'string') return this.tokenizer(input);
    if (Array.isArray(input) && input.every((t) => typeof t === 'string')) return input;
    throw new InvalidArgumentError(
      argument,
      fn,
      'a string (tokenized by the index) or an array of string tokens',
      input,
    );
  }

  /** Unique query terms present in the index, in first-occurrence order, with their idf and bound. */
  private prepare(query: string | readonly string[], options: SearchOptions, fn: string) {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError('options', fn, 'an object', options);
    for (const key of Object.keys(options)) {
      if (!SEARCH_OPTION_KEYS.includes(key))
        throw new InvalidArgumentError(key, fn, `not given (options are ${SEARCH_OPTION_KEYS.join(', ')})`);
    }
    const tokens = this.tokensOf(query, 'query', fn);
    const scoring = options.scoring ?? 'lucene';
    if (!SEARCH_SCORINGS.includes(scoring)) {
      throw new InvalidArgumentError(
        'scoring',
        fn,
        `one of ${SEARCH_SCORINGS.map((s) => `'${s}'`).join(', ')}`,
        scoring,
      );
    }
    const { top: _top, scoring: _scoring, ...bm25 } = options;
    const params = bm25Parameters({ ...bm25, variant: scoring === 'tfidf' ? 'okapi' : scoring }, fn);
    // "All hits" (Number.MAX_SAFE_INTEGER, or more) is capped at the live documents: the heap holds k.
    const requested = options.top ?? 10;
    if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 0) {
      throw new InvalidArgumentError(
        'top',
        fn,
        'an integer >= 0 (Number.MAX_SAFE_INTEGER for all hits)',
        requested,
      );
    }
    const top = Math.min(requested, this.live);
    const n = this.live;
    const avgdl = this.averageDocLength;
    const qtf = new Map<number, number>();
    for (const token of tokens) {
      const id = this.termIds.get(token);
      if (id !== undefined && this.df[id] > 0) qtf.set(id, (qtf.get(id) ?? 0) + 1);
    }
    const terms: QueryTerm[] = [];
    const norm = scoring === 'tfidf' || qtf.size === 0 ? new Float64Array(0) : this.norms(params.b, avgdl);
    for (const [term, count] of qtf) {
      const idf =
        scoring === 'tfidf' ? inverseDocumentFrequency(this.df[term], n, 'smooth') : this.idf(term, params);
      const q: QueryTerm = { term, qtf: count, idf, bound: 0, norm };
      q.bound = this.boundOf(q, this.maxTf[term], this.minDl[term], params, scoring, avgdl);
      terms.push(q);
    }
    return { terms, params, scoring, top, avgdl };
  }

  /**
   * Upper bound of a term's contribution to any document with tf ≤ `maxTf` and length ≥ `minDl`: term
   * scores grow with tf and shrink with document length for idf ≥ 0; a negative idf (Okapi's floor
   * below zero) contributes ≤ 0, bounded by 0.
   */
  private boundOf(
    q: QueryTerm,
    maxTf: number,
    minDl: number,
    params: Bm25Parameters,
    scoring: SearchScoring,
    avgdl: number,
  ): number {
    const best = scoring === 'tfidf' ? maxTf * q.idf : bm25TermScore(params, q.idf, maxTf, minDl, avgdl);
    return Math.max(0, q.qtf * best);
  }

  /** The largest contribution term `q` can make to a document of its posting block `block`. */
  private blockBound(
    q: QueryTerm,
    block: number,
    params: Bm25Parameters,
    scoring: SearchScoring,
    avgdl: number,
  ): number {
    const pairs = this.blockBounds[q.term];
    const at = BLOCK_INTS * block;
    let best = 0;
    for (let j = 0; j < IMPACTS && pairs[at + 2 * j] > 0; j++) {
      const bound = this.boundOf(q, pairs[at + 2 * j], pairs[at + 2 * j + 1], params, scoring, avgdl);
      if (bound > best) best = bound;
    }
    return best;
  }

  /** L by document length for the current statistics, rebuilt when the index or b changed. */
  private norms(b: number, avgdl: number): Float64Array {
    const cache = this.normCache;
    if (cache.version !== this.version || cache.b !== b) {
      const table = new Float64Array(Math.min(this.maxDocLength, NORM_TABLE - 1) + 1);
      for (let dl = 0; dl < table.length; dl++) table[dl] = bm25LengthNorm(b, dl, avgdl);
      this.normCache = { version: this.version, b, table };
    }
    return this.normCache.table;
  }

  private idf(term: number, params: Bm25Parameters): number {
    const raw = bm25RawIdf(params.variant, this.df[term], this.live);
    if (params.variant !== 'okapi' || raw >= 0) return raw;
    if (this.okapiMeanCache.version !== this.version) {
      let sum = 0;
      let count = 0;
      for (let t = 0; t < this.terms.length; t++) {
        if (this.df[t] > 0) {
          sum += bm25RawIdf('okapi', this.df[t], this.live);
          count++;
        }
      }
      this.okapiMeanCache = { version: this.version, n: count, mean: count > 0 ? sum / count : 0 };
    }
    return params.epsilon * this.okapiMeanCache.mean;
  }

  private contribution(
    q: QueryTerm,
    tf: number,
    doc: number,
    params: Bm25Parameters,
    scoring: SearchScoring,
    avgdl: number,
  ) {
    if (scoring === 'tfidf') return q.qtf * (tf * q.idf);
    const dl = this.docLength[doc];
    const l = dl < q.norm.length ? q.norm[dl] : bm25LengthNorm(params.b, dl, avgdl);
    return q.qtf * bm25TermScoreFromNorm(params, q.idf, tf, l);
  }

  /**
   * The `top` best documents for `query`, best first (ties: smaller doc id first). Only documents
   * containing at least one query term are returned; an empty query, or one of unknown terms only,
   * returns `[]`. Scores equal {@link scores} exactly. A string query is tokenized with the index's
   * tokenizer; an array is taken as tokens.
   */
  search(query: string | readonly string[], options: SearchOptions = {}): SearchHit[] {
    const { terms, params, scoring, top, avgdl } = this.prepare(query, options, 'SearchIndex.search');
    this.lastSearchScored = 0;
    if (top === 0 || terms.length === 0) return [];
    const m = terms.length;
    // Why the result equals exhaustive scoring (sorted by score desc, doc asc). θ is the current k-th
    // score (−∞ until k documents were offered); it only grows, and a document whose score is below θ
    // at any time is below the final k-th score, so it loses even a tie. Bounds: every contribution is
    // ≥ 0 below its bound (monotone formulas at the largest tf and shortest document that a block's
    // impacts allow; a negative idf contributes ≤ 0 with bound 0).
    // 1. Globally non-essential terms G (smallest global bounds, Σ bound < θ): a document holding only
    //    terms of G scores < θ, so windows are cut along the postings blocks of the other terms only,
    //    and the documents between windows (G terms only) are skipped unread.
    // 2. A window whose bounds W sum to S < θ holds no competitive document and is skipped.
    // 3. Inside a window, a set N ⊇ G of terms with Σ_N W < θ is non-essential (MaxScore): a
    //    competitive document holds an essential term i, and then one with contribution
    //    c_i ≥ θ − (S − W_i) (if every present essential term fell short, the score would be
    //    < |P|(θ − S) + Σ_P W + Σ_N W ≤ θ, as θ ≤ S). So only the postings of essential terms that clear
    //    that floor are candidates: for stop words in short documents, the few with the block's largest tf.
    //    A term i with S − W_i < θ is in every competitive document (required), and c_i ≥ θ − (S − W_i)
    //    there: its postings that clear the floor are then all the candidates needed.
    // 4. A candidate is dropped once its partial score plus the bounds of the terms not yet probed is
    //    < θ. Every bound comparison keeps a rounding slack, so nothing competitive is ever dropped.
    // 5. A kept document's score is summed in query-term order, the order `accumulate` uses, so the
    //    scores are bit-identical, not just close.
    let total = 0;
    for (const q of terms) total += q.bound;
    const slack = total * 1e-9 + Number.MIN_VALUE;
    const s: WindowState = {
      terms,
      params,
      scoring,
      avgdl,
      slack,
      heap: new TopKHeap(top),
      pos: new Int32Array(m),
      probe: new Int32Array(m),
      bound: new Float64Array(m),
      order: new Int32Array(m),
      nonEssential: new Uint8Array(m),
      global: new Uint8Array(m),
      contrib: new Float64Array(m),
      present: new Uint8Array(m),
      cachedBlock: new Int32Array(m).fill(-1),
      cachedBound: new Float64Array(m),
      // An essential term's part of a window lies in one of its blocks: at most BLOCK candidates each.
      candidates: new Int32Array(m * BLOCK),
      partial: new Float64Array(m * BLOCK),
    };
    // Terms by global bound ascending; the first `ng` of them form G.
    const byBound = Int32Array.from(terms.keys()).sort((a, b) => terms[a].bound - terms[b].bound || a - b);
    let ng = 0;
    let gSum = 0;
    for (;;) {
      const theta = s.heap.threshold;
      while (ng < m && gSum + terms[byBound[ng]].bound + slack < theta) {
        gSum += terms[byBound[ng]].bound;
        s.global[byBound[ng++]] = 1;
      }
      // The window: from the smallest unread doc of a term outside G to the nearest end of one of their
      // current blocks.
      let lo = NO_DOC;
      let upTo = NO_DOC;
      for (let r = ng; r < m; r++) {
        const i = byBound[r];
        const t = terms[i].term;
        const n = this.postLen[t];
        if (s.pos[i] >= n) continue;
        const docs = this.postDocs[t];
        if (docs[s.pos[i]] < lo) lo = docs[s.pos[i]];
        const last = docs[Math.min(n, (Math.floor(s.pos[i] / BLOCK) + 1) * BLOCK) - 1];
        if (last + 1 < upTo) upTo = last + 1;
      }
      if (lo === NO_DOC) break;
      let sum = 0;
      for (let i = 0; i < m; i++) {
        s.bound[i] = s.global[i] ? this.rangeBound(s, i, lo, upTo) : this.currentBlockBound(s, i, upTo);
        sum += s.bound[i];
      }
      if (sum + slack >= theta) this.scoreWindow(s, upTo, sum);
      for (let r = ng; r < m; r++) {
        const i = byBound[r];
        const t = terms[i].term;
        const end = Math.min(this.postLen[t], (Math.floor(s.pos[i] / BLOCK) + 1) * BLOCK);
        // The window ends inside the current block (or at its end, then the next block starts).
        s.pos[i] = end > 0 && this.postDocs[t][end - 1] < upTo ? end : this.seek(t, s.pos[i], upTo);
      }
    }
    return s.heap.sorted();
  }

  /**
   * The bound of the block holding term `i`'s cursor, cached per block; 0 when the term has no posting
   * before `upTo` (the window then lies in a gap of its postings).
   */
  private currentBlockBound(s: WindowState, i: number, upTo: number): number {
    const t = s.terms[i].term;
    if (s.pos[i] >= this.postLen[t] || this.postDocs[t][s.pos[i]] >= upTo) return 0;
    return this.cachedBlockBound(s, i, Math.floor(s.pos[i] / BLOCK));
  }

  private cachedBlockBound(s: WindowState, i: number, block: number): number {
    if (s.cachedBlock[i] !== block) {
      s.cachedBlock[i] = block;
      s.cachedBound[i] = this.blockBound(s.terms[i], block, s.params, s.scoring, s.avgdl);
    }
    return s.cachedBound[i];
  }

  /**
   * The largest bound of the blocks of term `i` holding documents in [lo, upTo) (its cursor moved to
   * the first of them); past {@link RANGE_BLOCKS} blocks, the term's global bound, which is cheaper.
   */
  private rangeBound(s: WindowState, i: number, lo: number, upTo: number): number {
    const t = s.terms[i].term;
    const n = this.postLen[t];
    s.pos[i] = this.seek(t, s.pos[i], lo);
    const docs = this.postDocs[t];
    if (s.pos[i] >= n || docs[s.pos[i]] >= upTo) return 0;
    const first = Math.floor(s.pos[i] / BLOCK);
    let best = this.cachedBlockBound(s, i, first);
    for (let k = 1; (first + k) * BLOCK < n && docs[(first + k) * BLOCK] < upTo; k++) {
      if (k === RANGE_BLOCKS) return s.terms[i].bound;
      const bound = this.cachedBlockBound(s, i, first + k);
      if (bound > best) best = bound;
    }
    return best;
  }

  /**
   * The smallest tf at which a posting of term `q` in the block whose impacts start at `at` can reach
   * `floor` (at the block's shortest document); {@link NO_DOC} when no posting of the block can.
   */
  private minCompetitiveTf(q: QueryTerm, at: number, floor: number, s: WindowState): number {
    const pairs = this.blockBounds[q.term];
    const shortest = pairs[at + 1];
    if (this.boundOf(q, 1, shortest, s.params, s.scoring, s.avgdl) >= floor) return 1;
    let largest = 0;
    for (let j = 0; j < IMPACTS && pairs[at + 2 * j] > 0; j++) largest = pairs[at + 2 * j];
    if (largest <= 1 || this.boundOf(q, largest, shortest, s.params, s.scoring, s.avgdl) < floor)
      return NO_DOC;
    // bound(lo) < floor ≤ bound(hi)
    let lo = 1;
    let hi = largest;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.boundOf(q, mid, shortest, s.params, s.scoring, s.avgdl) >= floor) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Block-max MaxScore over the documents in [cursors, `upTo`) of one window whose bounds sum to `sum`. */
  private scoreWindow(s: WindowState, upTo: number, sum: number): void {
    const { terms, bound, order, nonEssential, probe, contrib, present, candidates, heap, slack } = s;
    const m = terms.length;
    let theta = heap.threshold;
    // Terms by window bound ascending (insertion sort: a query has few terms).
    for (let r = 0; r < m; r++) {
      const i = r;
      let at = r;
      while (at > 0 && bound[order[at - 1]] > bound[i]) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = i;
    }
    // N: G, then the terms of smallest window bound while Σ_N W stays below θ.
    let sumN = 0;
    for (let i = 0; i < m; i++) {
      nonEssential[i] = s.global[i];
      if (s.global[i]) sumN += bound[i];
    }
    for (let r = 0; r < m; r++) {
      const i = order[r];
      if (s.global[i]) continue;
      if (sumN + bound[i] + slack >= theta) break;
      nonEssential[i] = 1;
      sumN += bound[i];
    }
    // A term without which the others' bounds cannot reach θ (S − W_i < θ) is required: every
    // competitive document holds it, so the candidates are the postings of one required term alone —
    // the one with the fewest postings left in its block.
    let lead = -1;
    let leadPostings = NO_DOC;
    for (let i = 0; i < m; i++) {
      if (nonEssential[i] || sum - bound[i] + slack >= theta) continue;
      const t = terms[i].term;
      const left = Math.min(this.postLen[t], (Math.floor(s.pos[i] / BLOCK) + 1) * BLOCK) - s.pos[i];
      if (left < leadPostings) {
        lead = i;
        leadPostings = left;
      }
    }
    // Candidates: the postings of essential terms (or of the lead) that clear θ − (S − W_i).
    let count = 0;
    let sources = 0;
    for (let i = 0; i < m; i++) {
      probe[i] = s.pos[i];
      if (nonEssential[i] || (lead >= 0 && i !== lead)) continue;
      const q = terms[i];
      const t = q.term;
      const n = this.postLen[t];
      let j = s.pos[i];
      if (j >= n) continue;
      const floor = theta - (sum - bound[i]) - slack;
      const block = Math.floor(j / BLOCK);
      const tfMin = this.minCompetitiveTf(q, BLOCK_INTS * block, floor, s);
      if (tfMin === NO_DOC) continue;
      const docs = this.postDocs[t];
      const tfs = this.postTfs[t];
      const end = Math.min(n, (block + 1) * BLOCK);
      const before = count;
      for (; j < end && docs[j] < upTo; j++) {
        // The tf test is exact at the block's shortest document; the contribution test settles the rest.
        if (tfs[j] >= tfMin && this.contribution(q, tfs[j], docs[j], s.params, s.scoring, s.avgdl) >= floor)
          candidates[count++] = docs[j];
      }
      if (count > before) sources++;
    }
    if (sources > 1) count = sortUnique(candidates, count);
    if (theta > Number.NEGATIVE_INFINITY) {
      this.scoreCandidates(s, count, sum, theta);
      return;
    }
    for (let c = 0; c < count; c++) {
      const d = candidates[c];
      if (this.deleted[d] === 1) continue;
      // Probe by window bound descending, so what is left to bound shrinks fastest.
      let partial = 0;
      let rest = sum;
      let pruned = false;
      for (let r = m - 1; r >= 0; r--) {
        const i = order[r];
        rest -= bound[i];
        present[i] = 0;
        const t = terms[i].term;
        probe[i] = this.seek(t, probe[i], d);
        if (probe[i] < this.postLen[t] && this.postDocs[t][probe[i]] === d) {
          contrib[i] = this.contribution(
            terms[i],
            this.postTfs[t][probe[i]],
            d,
            s.params,
            s.scoring,
            s.avgdl,
          );
          present[i] = 1;
          partial += contrib[i];
        }
        if (partial + rest + slack < theta) {
          pruned = true;
          break;
        }
      }
      if (pruned) continue;
      this.lastSearchScored++;
      let score = 0;
      for (let i = 0; i < m; i++) if (present[i]) score += contrib[i];
      if (heap.offer(d, score)) theta = heap.threshold;
    }
  }

  /**
   * Scores the window's `count` candidates (ascending) term by term, in query-term order — the order
   * `accumulate` sums in, so scores are bit-identical — dropping after each term the candidates whose
   * partial score plus the bounds of the terms still to come is below θ (fixed for the window: the
   * heap is full). One tight pass per term over the candidates, with the Lucene formula inlined.
   */
  private scoreCandidates(s: WindowState, count: number, sum: number, theta: number): void {
    const { terms, bound, probe, candidates, partial, heap, slack, params, scoring, avgdl } = s;
    let alive = 0;
    for (let c = 0; c < count; c++) {
      const d = candidates[c];
      if (this.deleted[d] === 0) {
        candidates[alive] = d;
        partial[alive++] = 0;
      }
    }
    const lucene = scoring === 'lucene';
    const { k1, b } = params;
    const docLength = this.docLength;
    let rest = sum;
    for (let i = 0; i < terms.length && alive > 0; i++) {
      const q = terms[i];
      rest -= bound[i];
      const t = q.term;
      const docs = this.postDocs[t];
      const tfs = this.postTfs[t];
      const n = this.postLen[t];
      const { norm, idf, qtf } = q;
      let j = probe[i];
      let kept = 0;
      for (let c = 0; c < alive; c++) {
        const d = candidates[c];
        // A few linear steps (dense terms), else galloping (sparse candidates).
        let steps = 0;
        while (j < n && docs[j] < d && steps < 8) {
          j++;
          steps++;
        }
        if (j < n && docs[j] < d) j = this.seek(t, j, d);
        let score = partial[c];
        if (j < n && docs[j] === d) {
          const tf = tfs[j];
          if (lucene) {
            const dl = docLength[d];
            const l = dl < norm.length ? norm[dl] : bm25LengthNorm(b, dl, avgdl);
            score += qtf * ((idf * tf) / (tf + k1 * l));
          } else score += this.contribution(q, tf, d, params, scoring, avgdl);
        }
        if (score + rest + slack >= theta) {
          candidates[kept] = d;
          partial[kept++] = score;
        }
      }
      probe[i] = j;
      alive = kept;
    }
    this.lastSearchScored += alive;
    for (let c = 0; c < alive; c++) heap.offer(candidates[c], partial[c]);
  }

  /** First posting position ≥ `from` of `term` whose doc id is ≥ `doc` (galloping then binary search). */
  private seek(term: number, from: number, doc: number): number {
    const docs = this.postDocs[term];
    const n = this.postLen[term];
    if (from >= n || docs[from] >= doc) return from;
    let step = 1;
    let lo = from;
    let hi = from + 1;
    while (hi < n && docs[hi] < doc) {
      lo = hi;
      step *= 2;
      hi = from + step;
    }
    if (hi > n) hi = n;
    // invariant: docs[lo] < doc, and hi === n or docs[hi] >= doc
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (docs[mid] < doc) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /**
   * The score of every doc id for `query` by exhaustive term-at-a-time accumulation (0 for documents
   * without a query term and for deleted ones). Same formula and summation order as {@link search}.
   */
  scores(query: string | readonly string[], options: SearchOptions = {}): Float64Array {
    return this.accumulate(query, options, 'SearchIndex.scores').scores;
  }

  private accumulate(query: string | readonly string[], options: SearchOptions, fn: string) {
    const { terms, params, scoring, top, avgdl } = this.prepare(query, options, fn);
    const scores = new Float64Array(this.docs);
    const matched = new Uint8Array(this.docs);
    for (const q of terms) {
      const docs = this.postDocs[q.term];
      const tfs = this.postTfs[q.term];
      for (let j = 0; j < this.postLen[q.term]; j++) {
        const d = docs[j];
        if (this.deleted[d]) continue;
        scores[d] += this.contribution(q, tfs[j], d, params, scoring, avgdl);
        matched[d] = 1;
      }
    }
    return { scores, matched, top };
  }

  /** What {@link search} returns, computed by scoring every matching document and sorting (a reference). */
  searchExhaustive(query: string | readonly string[], options: SearchOptions = {}): SearchHit[] {
    const { scores, matched, top } = this.accumulate(query, options, 'SearchIndex.searchExhaustive');
    const hits: SearchHit[] = [];
    for (let d = 0; d < scores.length; d++) if (matched[d]) hits.push({ doc: d, score: scores[d] });
    return hits.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, top);
  }

  /**
   * The whole index as bytes: what {@link SearchIndex.load} reads. Layout (little-endian): the magic
   * `WLSIDX02`, a uint32 header length, a JSON header (format version, the resolved tokenizer options,
   * the number of doc ids, the terms), zero padding to 4 bytes, int32 sections (document lengths,
   * deleted flags, postings count per term, then each term's doc ids and term frequencies), and a
   * 16-byte footer as Lucene's `CodecUtil.writeFooter`: footer magic 0xC02893E8, algorithm id 0, and the
   * CRC-32 of every byte before the checksum as a 64-bit integer. Score bounds are not stored: they are
   * derived from the postings on load. `saveSearchIndex` in `@wordloom/text-vsm/node` writes it to a
   * file atomically.
   */
  serialize(): Uint8Array {
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
      throw new UnavailableError(
        'little-endian',
        'SearchIndex files are little-endian; this platform is not',
      );
    }
    const header = new TextEncoder().encode(
      JSON.stringify({ version: 2, tokenizer: this.tokenizerOptions, docs: this.docs, terms: this.terms }),
    );
    const t = this.terms.length;
    let postings = 0;
    for (let i = 0; i < t; i++) postings += this.postLen[i];
    const headerBytes = MAGIC.length + 4 + header.length;
    const pad = (4 - (headerBytes % 4)) % 4;
    const ints = this.docs * 2 + t + postings * 2;
    const bodyStart = headerBytes + pad;
    const out = new Uint8Array(bodyStart + ints * 4 + FOOTER_BYTES);
    const view = new DataView(out.buffer);
    out.set(new TextEncoder().encode(MAGIC), 0);
    view.setUint32(MAGIC.length, header.length, true);
    out.set(header, MAGIC.length + 4);
    const body = new Int32Array(out.buffer, bodyStart, ints);
    let at = 0;
    body.set(this.docLength.subarray(0, this.docs), at);
    at += this.docs;
    for (let d = 0; d < this.docs; d++) body[at++] = this.deleted[d];
    body.set(this.postLen.subarray(0, t), at);
    at += t;
    for (let i = 0; i < t; i++) {
      body.set(this.postDocs[i].subarray(0, this.postLen[i]), at);
      at += this.postLen[i];
      body.set(this.postTfs[i].subarray(0, this.postLen[i]), at);
      at += this.postLen[i];
    }
    const footer = bodyStart + ints * 4;
    view.setUint32(footer, FOOTER_MAGIC, true);
    view.setUint32(footer + 4, 0, true);
    view.setUint32(footer + 8, crc32(out.subarray(0, footer + 8)), true);
    view.setUint32(footer + 12, 0, true);
    return out;
  }

  /**
   * Rebuilds an index from {@link serialize} output; it searches exactly as the saved one did. Nothing
   * is trusted before it is checked: the CRC-32 footer first (any flipped bit, truncation or appended
   * byte is refused), then every size against the bytes present before allocating, and what a checksum
   * cannot catch (a buggy or hostile writer): header fields, unique terms, doc ids < the document count,
   * postings strictly increasing, term frequencies ≥ 1, each document's length equal to the sum of its
   * term frequencies. Every refusal is a `WordloomError` saying what is wrong.
   */
  static load(bytes: Uint8Array): SearchIndex {
    const bad = (why: string) =>
      new WordloomError(`SearchIndex.load: not a valid wordloom search index (${why})`);
    if (!(bytes instanceof Uint8Array))
      throw new InvalidArgumentError('bytes', 'SearchIndex.load', 'a Uint8Array', bytes);
    const magic = bytes.length >= MAGIC.length ? String.fromCharCode(...bytes.subarray(0, MAGIC.length)) : '';
    if (magic === MAGIC_V1) {
      throw bad(
        'format version 1, written by an older @wordloom/text-vsm without a checksum and with the old tokenizer; rebuild the index',
      );
    }
    if (magic !== MAGIC) throw bad(`missing ${MAGIC} magic`);
    if (bytes.length < MAGIC.length + 4 + FOOTER_BYTES) throw bad('truncated');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const footer = bytes.length - FOOTER_BYTES;
    if (view.getUint32(footer, true) !== FOOTER_MAGIC) throw bad('no checksum footer: truncated or extended');
    if (view.getUint32(footer + 4, true) !== 0) throw bad('unknown checksum algorithm');
    const stored = view.getUint32(footer + 8, true);
    const actual = crc32(bytes.subarray(0, footer + 8));
    if (view.getUint32(footer + 12, true) !== 0 || stored !== actual) {
      throw bad(
        `checksum mismatch: footer says ${view.getUint32(footer + 12, true) ? 'a 64-bit value' : stored.toString(16).padStart(8, '0')}, the bytes give ${actual.toString(16).padStart(8, '0')}; the file is corrupt`,
      );
    }
    const headerLength = view.getUint32(MAGIC.length, true);
    const headerBytes = MAGIC.length + 4 + headerLength;
    if (headerBytes > footer) throw bad('header longer than the file');
    let header: { version: number; tokenizer: TokenizerOptions; docs: number; terms: unknown[] };
    try {
      header = JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(MAGIC.length + 4, headerBytes)),
      );
    } catch {
      throw bad('unreadable header');
    }
    if (header === null || typeof header !== 'object') throw bad('unreadable header');
    if (header.version !== 2) throw bad(`unsupported version ${JSON.stringify(header.version)}`);
    if (!Number.isSafeInteger(header.docs) || header.docs < 0 || header.docs > 0x7ffffffe)
      throw bad('bad document count');
    if (!Array.isArray(header.terms)) throw bad('bad term list');
    let index: SearchIndex;
    try {
      index = new SearchIndex({ tokenizer: header.tokenizer });
    } catch (error) {
      throw bad(`bad tokenizer options: ${(error as Error).message}`);
    }
    const start = headerBytes + ((4 - (headerBytes % 4)) % 4);
    if (start > footer || (footer - start) % 4 !== 0) throw bad('body not a whole number of int32');
    const n = header.docs;
    const t = header.terms.length;
    const available = (footer - start) / 4;
    if (2 * n + t > available) throw bad('document or term count larger than the file');
    // Copy into an aligned buffer (the file may sit at any offset of a larger one).
    const body = new Int32Array(bytes.slice(start, footer).buffer);
    let at = 0;
    const take = (count: number) => {
      const part = body.subarray(at, at + count);
      at += count;
      return part;
    };
    const docLength = take(n).slice();
    const deletedFlags = take(n);
    const postLen = take(t).slice();
    let postings = 0;
    for (let i = 0; i < t; i++) {
      if (postLen[i] < 0 || postLen[i] > n)
        throw bad(`term ${i} has ${postLen[i]} postings for ${n} documents`);
      postings += postLen[i];
    }
    if (at + 2 * postings !== available) throw bad('postings do not fill the body exactly');
    index.docLength = docLength;
    index.deleted = new Uint8Array(n);
    for (let d = 0; d < n; d++) {
      if (docLength[d] < 0) throw bad(`document ${d} has a negative length`);
      if (deletedFlags[d] !== 0 && deletedFlags[d] !== 1) throw bad(`document ${d} has a bad deleted flag`);
      index.deleted[d] = deletedFlags[d];
    }
    index.postLen = postLen;
    index.df = new Int32Array(t);
    index.maxTf = new Int32Array(t);
    index.minDl = new Int32Array(t);
    const perDoc = new Int32Array(n + 1);
    const tfSum = new Float64Array(n);
    for (let i = 0; i < t; i++) {
      const term = header.terms[i];
      if (typeof term !== 'string') throw bad(`term ${i} is not a string`);
      if (index.termIds.has(term)) throw bad(`term ${JSON.stringify(term)} appears twice`);
      index.terms.push(term);
      index.termIds.set(term, i);
      const docs = take(postLen[i]).slice();
      const tfs = take(postLen[i]).slice();
      let previous = -1;
      for (let j = 0; j < docs.length; j++) {
        const d = docs[j];
        if (d <= previous) throw bad(`postings of term ${i} not strictly increasing`);
        if (d >= n) throw bad(`posting of term ${i} names document ${d} of ${n}`);
        if (tfs[j] < 1) throw bad(`term ${i} has a term frequency below 1`);
        previous = d;
        perDoc[d + 1]++;
        tfSum[d] += tfs[j];
        if (!index.deleted[d]) index.df[i]++;
      }
      index.postDocs.push(docs);
      index.postTfs.push(tfs);
      index.blockBounds.push(new Int32Array(BLOCK_INTS));
    }
    for (let d = 0; d < n; d++) {
      // Every token of a document is indexed; compact() drops a deleted document's postings entirely.
      const compacted = index.deleted[d] === 1 && tfSum[d] === 0;
      if (tfSum[d] !== docLength[d] && !compacted)
        throw bad(`document ${d} has length ${docLength[d]} but its term frequencies sum to ${tfSum[d]}`);
    }
    // Rebuild the forward index (doc → terms) that deletion needs.
    for (let d = 0; d < n; d++) perDoc[d + 1] += perDoc[d];
    index.docTermStart = perDoc;
    index.docTerms = new Int32Array(perDoc[n]);
    const fill = perDoc.slice(0, n);
    for (let i = 0; i < t; i++) for (const d of index.postDocs[i]) index.docTerms[fill[d]++] = i;
    index.docs = n;
    for (let d = 0; d < n; d++) {
      if (index.docLength[d] > index.maxDocLength) index.maxDocLength = index.docLength[d];
      if (!index.deleted[d]) {
        index.live++;
        index.liveLength += index.docLength[d];
      }
    }
    for (let i = 0; i < t; i++) index.rebuildBounds(i);
    return index;
  }
}

const SEARCH_OPTION_KEYS = ['top', 'scoring', 'k1', 'b', 'delta', 'epsilon'];
