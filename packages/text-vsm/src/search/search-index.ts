import { assertInteger, InvalidArgumentError, UnavailableError, WordloomError } from '@wordloom/core';
import {
  type Bm25Options,
  type Bm25Parameters,
  type Bm25Variant,
  bm25Parameters,
  bm25RawIdf,
  bm25TermScore,
} from '../bm25/bm25-formula.js';
import { inverseDocumentFrequency } from '../tf-idf.js';
import { createTokenizer, type Tokenizer, type TokenizerOptions } from '../tokenize/tokenizer.js';
import { type SearchHit, TopKHeap } from './top-k-heap.js';

/** How {@link SearchIndex.search} scores: a BM25 variant, or `'tfidf'` = Σ qtf·tf·(ln((1+N)/(1+df)) + 1). */
export type SearchScoring = Bm25Variant | 'tfidf';

/** All scoring names. */
export const SEARCH_SCORINGS: readonly SearchScoring[] = [
  'okapi',
  'lucene',
  'atire',
  'bm25l',
  'bm25plus',
  'tfidf',
];

/** Options of a {@link SearchIndex}. */
export interface SearchIndexOptions {
  /**
   * How documents and string queries are tokenized (saved with the index). Token arrays given to
   * {@link SearchIndex.add} or {@link SearchIndex.search} are used as they are.
   * @default {} (the default tokenizer: lowercase Unicode words)
   */
  tokenizer?: TokenizerOptions;
}

/** Options of {@link SearchIndex.search}. */
export interface SearchOptions extends Omit<Bm25Options, 'variant'> {
  /**
   * Number of hits to return.
   * @default 10
   */
  top?: number;
  /**
   * Scoring function; BM25 parameters default to that variant's anchor defaults (see {@link Bm25Options}).
   * @default 'okapi'
   */
  scoring?: SearchScoring;
}

/** Options of {@link SearchIndex.addDocuments}. */
export interface AddDocumentsOptions {
  /**
   * Called every `progressEvery` documents and at the end with (added so far, total).
   * @default undefined
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stops between documents (the promise rejects with the signal's reason); the documents added
   * before the abort stay in the index.
   * @default undefined
   */
  signal?: AbortSignal;
  /**
   * Documents between progress reports and abort checks.
   * @default 10000
   */
  progressEvery?: number;
}

const MAGIC = 'WLSIDX01';

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
  bound: number;
}

/**
 * An inverted index over documents for ranked retrieval with BM25 (five variants) or tf-idf.
 *
 * Postings (doc ids ascending, term frequencies) are int32 typed arrays per term; documents get
 * consecutive ids from 0 in insertion order and keep them. Top-k retrieval is document-at-a-time
 * MaxScore (Turtle & Flood 1995): query terms sorted by an upper bound of their score (from each
 * term's largest tf and shortest document), terms whose bounds together cannot reach the current k-th
 * score are only probed for candidates found through the others, and candidates whose partial score
 * plus the remaining bounds falls short are dropped — the result is exactly the exhaustive ranking
 * (ties broken by smaller doc id), which {@link SearchIndex.searchExhaustive} computes for comparison.
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
  /**
   * How many documents the last {@link search} scored completely (the rest were skipped or pruned by
   * their bounds) — to see how much work MaxScore saved.
   */
  lastSearchScored = 0;

  /** An empty index. */
  constructor(options: SearchIndexOptions = {}) {
    this.tokenizerOptions = {
      ...options.tokenizer,
      ...(options.tokenizer?.stopWords ? { stopWords: [...options.tokenizer.stopWords] } : {}),
    };
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
   * Bytes held by the index's typed arrays (postings with their spare capacity, document and term
   * tables); the term strings and their Map come on top.
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
      bytes += this.postDocs[t].byteLength + this.postTfs[t].byteLength;
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
   * document of length 0: it counts in N and avgdl and never matches.
   */
  add(document: string | readonly string[]): number {
    const tokens = this.tokensOf(document, 'document', 'SearchIndex.add');
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
    }
    this.docTermStart[d + 1] = at;
    this.docLength[d] = length;
    this.docs++;
    this.live++;
    this.liveLength += length;
    this.version++;
    return d;
  }

  /**
   * Adds many documents, reporting progress and yielding to the event loop every `progressEvery`
   * documents so an {@link AbortSignal} can stop it. Returns the id of the first one added.
   */
  async addDocuments(
    documents: Iterable<string | readonly string[]>,
    options: AddDocumentsOptions = {},
  ): Promise<number> {
    const every = assertInteger(
      options.progressEvery ?? 10_000,
      'progressEvery',
      'SearchIndex.addDocuments',
      1,
    );
    const list = Array.isArray(documents) ? documents : [...documents];
    const first = this.docs;
    for (let i = 0; i < list.length; i++) {
      if (i % every === 0) {
        options.signal?.throwIfAborted();
        if (i > 0) {
          options.onProgress?.(i, list.length);
          await new Promise((resolve) => setTimeout(resolve, 0));
          options.signal?.throwIfAborted();
        }
      }
      this.add(list[i]);
    }
    options.onProgress?.(list.length, list.length);
    return first;
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
      let maxTf = 0;
      let minDl = 0x7fffffff;
      for (let i = 0; i < this.postLen[t]; i++) {
        const d = docs[i];
        if (this.deleted[d]) continue;
        docs[n] = d;
        tfs[n++] = tfs[i];
        if (tfs[i] > maxTf) maxTf = tfs[i];
        if (this.docLength[d] < minDl) minDl = this.docLength[d];
      }
      this.postDocs[t] = docs.slice(0, n);
      this.postTfs[t] = tfs.slice(0, n);
      this.postLen[t] = n;
      this.maxTf[t] = maxTf;
      this.minDl[t] = minDl;
    }
    this.version++;
  }

  private newTerm(token: string): number {
    const id = this.terms.length;
    this.terms.push(token);
    this.termIds.set(token, id);
    this.postDocs.push(new Int32Array(2));
    this.postTfs.push(new Int32Array(2));
    this.postLen = grow(this.postLen, id + 1);
    this.df = grow(this.df, id + 1);
    this.maxTf = grow(this.maxTf, id + 1);
    this.minDl = grow(this.minDl, id + 1);
    this.minDl[id] = 0x7fffffff;
    return id;
  }

  private tokensOf(input: string | readonly string[], argument: string, fn: string): readonly string[] {
    if (typeof input === 'string') return this.tokenizer(input);
    if (Array.isArray(input) && input.every((t) => typeof t === 'string')) return input;
    throw new InvalidArgumentError(argument, fn, 'a string or an array of tokens', input);
  }

  /** Unique query terms present in the index, in first-occurrence order, with their idf and bound. */
  private prepare(query: string | readonly string[], options: SearchOptions, fn: string) {
    const tokens = this.tokensOf(query, 'query', fn);
    const scoring = options.scoring ?? 'okapi';
    if (!SEARCH_SCORINGS.includes(scoring)) {
      throw new InvalidArgumentError(
        'scoring',
        fn,
        `one of ${SEARCH_SCORINGS.map((s) => `'${s}'`).join(', ')}`,
        scoring,
      );
    }
    const params = bm25Parameters({ ...options, variant: scoring === 'tfidf' ? 'okapi' : scoring }, fn);
    const top = assertInteger(options.top ?? 10, 'top', fn, 0);
    const n = this.live;
    const avgdl = this.averageDocLength;
    const qtf = new Map<number, number>();
    for (const token of tokens) {
      const id = this.termIds.get(token);
      if (id !== undefined && this.df[id] > 0) qtf.set(id, (qtf.get(id) ?? 0) + 1);
    }
    const terms: QueryTerm[] = [];
    for (const [term, count] of qtf) {
      const idf =
        scoring === 'tfidf' ? inverseDocumentFrequency(this.df[term], n, 'smooth') : this.idf(term, params);
      const best =
        scoring === 'tfidf'
          ? this.maxTf[term] * idf
          : bm25TermScore(params, idf, this.maxTf[term], this.minDl[term], avgdl);
      // Term scores grow with tf and shrink with document length, so (max tf, shortest doc) bounds them;
      // a negative idf (Okapi's floor below zero) contributes ≤ 0, bounded by 0.
      terms.push({ term, qtf: count, idf, bound: Math.max(0, count * best) });
    }
    return { terms, params, scoring, top, avgdl };
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
    const s = scoring === 'tfidf' ? tf * q.idf : bm25TermScore(params, q.idf, tf, this.docLength[doc], avgdl);
    return q.qtf * s;
  }

  /**
   * The `top` best documents for `query`, best first (ties: smaller doc id first). Only documents
   * containing at least one query term are returned; an empty query, or one of unknown terms only,
   * returns `[]`. Scores equal {@link scores} exactly.
   */
  search(query: string | readonly string[], options: SearchOptions = {}): SearchHit[] {
    const { terms, params, scoring, top, avgdl } = this.prepare(query, options, 'SearchIndex.search');
    this.lastSearchScored = 0;
    if (top === 0 || terms.length === 0) return [];
    const m = terms.length;
    // Why the result equals exhaustive scoring (sorted by score desc, doc asc):
    // 1. Every term's contribution to any document is ≤ its bound (monotone formulas, max tf / min
    //    length), so a document's score ≤ its partial score + the bounds of the terms not yet probed.
    // 2. Documents are visited in increasing id order, so a visited document ties with the current
    //    k-th hit only to lose (larger id); dropping it when its bound is < θ loses nothing.
    // 3. Terms become non-essential only while the sum of their bounds is strictly < θ (with slack for
    //    rounding), so a document containing only those terms cannot reach θ — not even to tie, which
    //    matters because it might have a smaller id than a kept hit.
    // 4. A kept document's score is summed in query-term order, the order `accumulate` uses, so the
    //    scores are bit-identical, not just close.
    const order = terms.map((_, i) => i).sort((a, b) => terms[a].bound - terms[b].bound || a - b);
    const prefix = new Float64Array(m);
    let acc = 0;
    order.forEach((i, r) => {
      acc += terms[i].bound;
      prefix[r] = acc;
    });
    // Rounding slack: a bound is only trusted to exclude documents when it is short by more than this.
    const slack = acc * 1e-9 + Number.MIN_VALUE;
    const pos = new Int32Array(m);
    const contrib = new Float64Array(m);
    const present = new Uint8Array(m);
    const heap = new TopKHeap(top);
    let firstEssential = 0; // ranks < firstEssential are non-essential
    for (;;) {
      let d = 0x7fffffff;
      for (let r = firstEssential; r < m; r++) {
        const i = order[r];
        if (pos[i] < this.postLen[terms[i].term]) {
          const doc = this.postDocs[terms[i].term][pos[i]];
          if (doc < d) d = doc;
        }
      }
      if (d === 0x7fffffff) break;
      present.fill(0);
      let partial = 0;
      for (let r = firstEssential; r < m; r++) {
        const i = order[r];
        const t = terms[i].term;
        if (pos[i] < this.postLen[t] && this.postDocs[t][pos[i]] === d) {
          if (!this.deleted[d]) {
            contrib[i] = this.contribution(terms[i], this.postTfs[t][pos[i]], d, params, scoring, avgdl);
            present[i] = 1;
            partial += contrib[i];
          }
          pos[i]++;
        }
      }
      if (this.deleted[d]) continue;
      const theta = heap.threshold;
      let pruned = false;
      for (let r = firstEssential - 1; r >= 0; r--) {
        if (partial + prefix[r] + slack < theta) {
          pruned = true;
          break;
        }
        const i = order[r];
        const t = terms[i].term;
        pos[i] = this.seek(t, pos[i], d);
        if (pos[i] < this.postLen[t] && this.postDocs[t][pos[i]] === d) {
          contrib[i] = this.contribution(terms[i], this.postTfs[t][pos[i]], d, params, scoring, avgdl);
          present[i] = 1;
          partial += contrib[i];
        }
      }
      if (pruned) continue;
      this.lastSearchScored++;
      let score = 0;
      for (let i = 0; i < m; i++) if (present[i]) score += contrib[i];
      if (heap.offer(d, score)) {
        const next = heap.threshold;
        while (firstEssential < m && prefix[firstEssential] + slack < next) firstEssential++;
      }
    }
    return heap.sorted();
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
   * The whole index as bytes (a small JSON header, then int32 sections): what {@link SearchIndex.load}
   * reads. `saveSearchIndex` in `@wordloom/text-vsm/node` writes it to a file atomically.
   */
  serialize(): Uint8Array {
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
      throw new UnavailableError(
        'little-endian',
        'SearchIndex files are little-endian; this platform is not',
      );
    }
    const header = new TextEncoder().encode(
      JSON.stringify({ version: 1, tokenizer: this.tokenizerOptions, docs: this.docs, terms: this.terms }),
    );
    const t = this.terms.length;
    let postings = 0;
    for (let i = 0; i < t; i++) postings += this.postLen[i];
    const headerBytes = MAGIC.length + 4 + header.length;
    const pad = (4 - (headerBytes % 4)) % 4;
    const ints = this.docs * 2 + t * 3 + postings * 2;
    const out = new Uint8Array(headerBytes + pad + ints * 4);
    out.set(new TextEncoder().encode(MAGIC), 0);
    new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
    out.set(header, MAGIC.length + 4);
    const body = new Int32Array(out.buffer, headerBytes + pad, ints);
    let at = 0;
    body.set(this.docLength.subarray(0, this.docs), at);
    at += this.docs;
    for (let d = 0; d < this.docs; d++) body[at++] = this.deleted[d];
    body.set(this.postLen.subarray(0, t), at);
    at += t;
    body.set(this.maxTf.subarray(0, t), at);
    at += t;
    body.set(this.minDl.subarray(0, t), at);
    at += t;
    for (let i = 0; i < t; i++) {
      body.set(this.postDocs[i].subarray(0, this.postLen[i]), at);
      at += this.postLen[i];
      body.set(this.postTfs[i].subarray(0, this.postLen[i]), at);
      at += this.postLen[i];
    }
    return out;
  }

  /** Rebuilds an index from {@link serialize} output; it searches exactly as the saved one did. */
  static load(bytes: Uint8Array): SearchIndex {
    const bad = (why: string) => new WordloomError(`SearchIndex.load: not a wordloom search index (${why})`);
    if (!(bytes instanceof Uint8Array))
      throw new InvalidArgumentError('bytes', 'SearchIndex.load', 'a Uint8Array', bytes);
    if (
      bytes.length < MAGIC.length + 4 ||
      new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC
    ) {
      throw bad(`missing ${MAGIC} magic`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(MAGIC.length, true);
    const headerBytes = MAGIC.length + 4 + headerLength;
    if (headerBytes > bytes.length) throw bad('truncated header');
    let header: { version: number; tokenizer: TokenizerOptions; docs: number; terms: string[] };
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerBytes)));
    } catch {
      throw bad('unreadable header');
    }
    if (header?.version !== 1) throw bad(`unsupported version ${header?.version}`);
    if (!Number.isInteger(header.docs) || header.docs < 0 || !Array.isArray(header.terms))
      throw bad('bad header');
    const start = headerBytes + ((4 - (headerBytes % 4)) % 4);
    if (start > bytes.length || (bytes.length - start) % 4 !== 0) throw bad('truncated body');
    // Copy into an aligned buffer (the file may sit at any offset of a larger one).
    const body = new Int32Array(bytes.slice(start).buffer);
    const index = new SearchIndex({ tokenizer: header.tokenizer });
    const n = header.docs;
    const t = header.terms.length;
    let at = 0;
    const take = (count: number) => {
      if (at + count > body.length) throw bad('truncated body');
      const part = body.subarray(at, at + count);
      at += count;
      return part;
    };
    index.docLength = take(n).slice();
    index.deleted = Uint8Array.from(take(n));
    index.postLen = take(t).slice();
    index.maxTf = take(t).slice();
    index.minDl = take(t).slice();
    index.df = new Int32Array(t);
    const perDoc = new Int32Array(n + 1);
    header.terms.forEach((term, i) => {
      index.terms.push(term);
      index.termIds.set(term, i);
      index.postDocs.push(take(index.postLen[i]).slice());
      index.postTfs.push(take(index.postLen[i]).slice());
      for (const d of index.postDocs[i]) {
        if (d < 0 || d >= n) throw bad('posting outside the documents');
        perDoc[d + 1]++;
        if (!index.deleted[d]) index.df[i]++;
      }
    });
    if (at !== body.length) throw bad('trailing bytes');
    // Rebuild the forward index (doc → terms) that deletion needs.
    for (let d = 0; d < n; d++) perDoc[d + 1] += perDoc[d];
    index.docTermStart = perDoc;
    index.docTerms = new Int32Array(perDoc[n]);
    const fill = perDoc.slice(0, n);
    for (let i = 0; i < t; i++) for (const d of index.postDocs[i]) index.docTerms[fill[d]++] = i;
    index.docs = n;
    for (let d = 0; d < n; d++) {
      if (!index.deleted[d]) {
        index.live++;
        index.liveLength += index.docLength[d];
      }
    }
    return index;
  }
}
