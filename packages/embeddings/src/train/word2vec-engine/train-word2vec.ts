import {
  assertInteger,
  assertNumber,
  assertOneOf,
  availableThreads,
  Random,
  WordloomError,
} from '@wordloom/core';
import { TrainingDivergedError } from '../../errors/training-diverged-error.js';
import { KeyedVectors } from '../../keyed-vectors.js';
import { simdSupported } from '../../simd/simd-module.js';
import { assertKnownOptions } from '../../validate-options.js';
import { assertCorpus, type ScannedCorpus, type SentenceSource, scanCorpus } from './corpus-scan.js';
import { placeEngine } from './engine-memory.js';
import { buildHuffmanTree } from './huffman.js';
import type { EngineState } from './kernel.js';
import { type Slice, Word2VecRunner } from './runner.js';
import { buildUnigramTable } from './unigram-table.js';

/** Progress of a word2vec or GloVe run, reported through `onEpoch`. */
export interface EpochReport {
  /** 1-based epoch just finished. */
  epoch: number;
  epochs: number;
  /** Mean loss of the epoch (see {@link Word2VecResult.lossPerEpoch}); GloVe: the chapter's cost. */
  loss: number;
  /** GloVe only: the cost glove.c prints, ½ Σ h(X)·diff² / nonZeros (see `GloveResult.entryCostPerEpoch`). */
  entryCost?: number;
  seconds: number;
}

/** Options of the production word2vec trainer (gensim 4 names and defaults). */
export interface Word2VecOptions {
  /** `'skipgram'` predicts context from word; `'cbow'` the word from the mean of its context. @default 'skipgram' */
  architecture?: 'skipgram' | 'cbow';
  /** `'ns'` negative sampling, `'hs'` hierarchical softmax. @default 'ns' */
  loss?: 'ns' | 'hs';
  /** Vector size. @default 100 */
  dim?: number;
  /** Maximum distance between word and context (the actual window is drawn in 1 … window). @default 5 */
  window?: number;
  /** Negative samples per positive pair (loss 'ns'), at most 1000 (word2vec uses 2–20). @default 5 */
  negative?: number;
  /** Exponent of the unigram distribution negatives are drawn from. @default 0.75 */
  nsExponent?: number;
  /** Subsampling threshold for frequent words (0 disables). @default 1e-3 */
  sample?: number;
  /** Words seen fewer times are dropped. @default 5 */
  minCount?: number;
  /** Passes over the corpus. @default 5 */
  epochs?: number;
  /** Initial learning rate. @default 0.025 */
  alpha?: number;
  /** Final learning rate (linear decay over all epochs). @default 0.0001 */
  minAlpha?: number;
  /** Seed of every random choice; with `threads: 1` the same seed gives bit-identical vectors. @default 1 */
  seed?: number;
  /**
   * Threads training shares the weights over (Hogwild, Recht et al. 2011: no locks, as word2vec.c and
   * gensim), each on a contiguous share of the sentences: worker threads of @wordloom/core's `KernelPool`
   * over one shared WebAssembly memory (Node, or a cross-origin-isolated page; elsewhere training runs on
   * one thread). With more than one thread the update order races and results vary from run to run;
   * `threads: 1` is bit-for-bit deterministic. The plain JS loop (`simd: false`) runs on one thread.
   * @default availableThreads()
   */
  threads?: number;
  /**
   * Train in the compiled WebAssembly SIMD kernel (when available and `dim % 4 === 0`); same algorithm
   * as the plain JS loop, several times faster.
   * @default true
   */
  simd?: boolean;
  /** Called after every epoch. */
  onEpoch?: (report: EpochReport) => void;
  /** Called now and then with the fraction of training done (0 … 1). */
  onProgress?: (fraction: number) => void;
  /** Stops training between slices of work; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What the word2vec trainer returns. */
export interface Word2VecResult {
  /** The input vectors (syn0), most frequent word first. */
  vectors: KeyedVectors;
  /** Output vectors: syn1neg (NS, V × dim) or syn1 (HS, (V−1) × dim). */
  outputVectors: Float32Array;
  /**
   * Mean loss per (input, target) pair in every epoch: −log σ(u·v) − Σₙ log σ(−u·vₙ) for NS, the
   * Huffman-path log loss for HS, accumulated during the epoch before each update (as gensim's
   * `compute_loss`, but averaged instead of summed). It is an online loss: with the learning rate
   * decaying towards `minAlpha` it can rise slightly in the last epochs (less fitting of locally
   * repeated pairs within the epoch) while the vectors still improve; with a constant rate it falls.
   */
  lossPerEpoch: number[];
  /** Corpus tokens (before minCount). */
  tokens: number;
  /** Vocabulary size after minCount. */
  vocab: number;
  seconds: number;
  /** Raw tokens × epochs / seconds. */
  wordsPerSecond: number;
}

/** Validated options with defaults filled in. */
export type ResolvedWord2VecOptions = Required<Omit<Word2VecOptions, 'onEpoch' | 'onProgress' | 'signal'>> &
  Pick<Word2VecOptions, 'onEpoch' | 'onProgress' | 'signal'>;

const WORD2VEC_OPTIONS = [
  'architecture',
  'loss',
  'dim',
  'window',
  'negative',
  'nsExponent',
  'sample',
  'minCount',
  'epochs',
  'alpha',
  'minAlpha',
  'seed',
  'threads',
  'simd',
  'onEpoch',
  'onProgress',
  'signal',
];

/** Most negative samples per pair: more never helps, and 1e9 would run for ever. */
export const MAX_NEGATIVE = 1000;

/**
 * Checks the options (unknown ones throw) and fills defaults (shared by the browser and Node trainers;
 * `extra` names the options only the caller knows).
 */
export function resolveWord2VecOptions(
  options: Word2VecOptions,
  fn: string,
  extra: readonly string[] = [],
  /** `threads` when not given (the trainers pass `availableThreads()`). */
  defaultThreads = 1,
): ResolvedWord2VecOptions {
  assertKnownOptions(options, [...WORD2VEC_OPTIONS, ...extra], fn);
  const o = {
    architecture: options.architecture ?? 'skipgram',
    loss: options.loss ?? 'ns',
    dim: options.dim ?? 100,
    window: options.window ?? 5,
    negative: options.negative ?? 5,
    nsExponent: options.nsExponent ?? 0.75,
    sample: options.sample ?? 1e-3,
    minCount: options.minCount ?? 5,
    epochs: options.epochs ?? 5,
    alpha: options.alpha ?? 0.025,
    minAlpha: options.minAlpha ?? 0.0001,
    seed: options.seed ?? 1,
    threads: options.threads ?? defaultThreads,
    simd: options.simd ?? true,
    onEpoch: options.onEpoch,
    onProgress: options.onProgress,
    signal: options.signal,
  };
  assertOneOf(o.architecture, ['skipgram', 'cbow'], 'architecture', fn);
  assertOneOf(o.loss, ['ns', 'hs'], 'loss', fn);
  assertInteger(o.dim, 'dim', fn, 1);
  assertInteger(o.window, 'window', fn, 1);
  assertInteger(o.negative, 'negative', fn, o.loss === 'ns' ? 1 : 0, MAX_NEGATIVE);
  assertNumber(o.nsExponent, 'nsExponent', fn);
  assertNumber(o.sample, 'sample', fn, { min: 0 });
  assertInteger(o.minCount, 'minCount', fn, 1);
  assertInteger(o.epochs, 'epochs', fn, 1);
  assertNumber(o.alpha, 'alpha', fn, { min: 0 });
  assertNumber(o.minAlpha, 'minAlpha', fn, { min: 0 });
  assertInteger(o.seed, 'seed', fn, 0, 2 ** 32 - 1);
  assertInteger(o.threads, 'threads', fn, 1, 256);
  return o;
}

/** Allocates typed-array storage of the plain JS kernel. */
export type Allocate = (bytes: number) => ArrayBufferLike;

/** The engine state and vocabulary, ready for {@link runEpochs}. */
export interface PreparedWord2Vec {
  state: EngineState;
  corpus: ScannedCorpus;
}

/** Scans the corpus and builds every table (Huffman tree, unigram table, subsampling thresholds, weights). */
export async function prepareWord2Vec(
  corpus: SentenceSource,
  o: ResolvedWord2VecOptions,
): Promise<PreparedWord2Vec> {
  const scanned = await scanCorpus(corpus, o.minCount, undefined, 'trainWord2Vec');
  const v = scanned.words.length;
  if (v < 2)
    throw new WordloomError(
      `The corpus has ${v} word(s) with count ≥ minCount=${o.minCount}; word2vec needs at least 2 (lower minCount or use a larger corpus)`,
    );
  return { state: createEngineState(scanned, o), corpus: scanned };
}

/** Initial weights of {@link createEngineState}: syn0 (V × dim) and syn1neg (V × dim) or syn1 ((V−1) × dim). */
export interface InitialWeights {
  syn0: Float32Array;
  out: Float32Array;
}

/**
 * The engine state for a vocabulary (`counts`, most frequent first or not) and an integer-encoded
 * corpus: weights (random as word2vec.c, or `initial`), Huffman tree, unigram table, subsampling. With
 * `o.simd` (and `dim % 4 === 0`, WebAssembly SIMD here) everything lives in one WebAssembly memory for the
 * compiled kernel, shared between threads when `shared` (default: `o.threads > 1`); else in typed arrays
 * from `allocate` for the plain JS kernel.
 */
export function createEngineState(
  scanned: Pick<ScannedCorpus, 'counts' | 'tokens' | 'starts'>,
  o: ResolvedWord2VecOptions,
  allocate: Allocate = (bytes) => new ArrayBuffer(bytes),
  shared = o.threads > 1,
  initial?: InitialWeights,
): EngineState {
  const v = scanned.counts.length;
  const d = o.dim;
  const hs = o.loss === 'hs';
  const f32 = (n: number) => new Float32Array(allocate(n * 4));
  const syn0 = f32(v * d);
  const out = f32((hs ? v - 1 : v) * d);
  if (initial) {
    syn0.set(initial.syn0);
    out.set(initial.out);
  } else {
    const rng = new Random(o.seed);
    // gensim/word2vec.c initialisation: uniform in [−0.5/d, 0.5/d); output layers start at zero.
    for (let i = 0; i < syn0.length; i++) syn0[i] = (rng.next() - 0.5) / d;
  }
  const tree = hs ? buildHuffmanTree(scanned.counts) : undefined;
  // Subsampling as gensim's `prepare_vocab`: keep probability (√(c/t) + 1)·t/c with t = sample·total.
  const keep = new Float64Array(v);
  let total = 0;
  for (let i = 0; i < v; i++) total += scanned.counts[i];
  const threshold = o.sample * total;
  for (let i = 0; i < v; i++) {
    const c = scanned.counts[i];
    const p = o.sample > 0 ? Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c)) : 1;
    keep[i] = p >= 1 ? 2 ** 33 : p * 2 ** 32;
  }
  const plain: EngineState = {
    dim: d,
    sg: o.architecture === 'skipgram' ? 1 : 0,
    hs: hs ? 1 : 0,
    negative: hs ? 0 : o.negative,
    window: o.window,
    syn0,
    syn1: hs ? out : new Float32Array(0),
    syn1neg: hs ? new Float32Array(0) : out,
    table: hs ? new Int32Array(1) : buildUnigramTable(scanned.counts, o.nsExponent),
    keep,
    codes: tree?.codes ?? new Uint8Array(0),
    points: tree?.points ?? new Int32Array(0),
    codeOffsets: tree?.offsets ?? new Int32Array(0),
    codeLengths: tree?.lengths ?? new Uint8Array(0),
    tokens: scanned.tokens,
    starts: scanned.starts,
  };
  if (!o.simd || d % 4 !== 0 || !simdSupported()) return plain;
  // Shared memory where it is available (else this state trains on one thread), unshared otherwise.
  return (shared ? placeEngine(plain, o.threads, true) : null) ?? placeEngine(plain, 1, false) ?? plain;
}

/** Learning rate after `progress` ∈ [0, 1] of all epochs (linear decay, as word2vec.c and gensim). */
export function learningRate(o: ResolvedWord2VecOptions, progress: number): number {
  return o.alpha - (o.alpha - o.minAlpha) * Math.min(1, progress);
}

/**
 * Throws {@link TrainingDivergedError} when `loss` (of a slice or an epoch) is not finite, or, at the
 * end of an epoch (`weights`), when a weight is: a NaN weight can leave the table-based loss finite.
 */
export function checkDivergence(state: EngineState, epoch: number, loss: number, weights: boolean): void {
  if (!Number.isFinite(loss))
    throw new TrainingDivergedError('trainWord2Vec', epoch + 1, `the loss is ${loss}`, 'lower alpha');
  if (!weights) return;
  for (const a of [state.syn0, state.syn1, state.syn1neg])
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i]))
        throw new TrainingDivergedError('trainWord2Vec', epoch + 1, `a weight is ${a[i]}`, 'lower alpha');
}

/** Packs the trained state into the result object. */
export function word2vecResult(
  p: PreparedWord2Vec,
  lossPerEpoch: number[],
  seconds: number,
  epochs: number,
): Word2VecResult {
  const { state, corpus } = p;
  return {
    vectors: new KeyedVectors(corpus.words, Float32Array.from(state.syn0), state.dim, corpus.counts),
    outputVectors: Float32Array.from(state.hs ? state.syn1 : state.syn1neg),
    lossPerEpoch,
    tokens: corpus.rawTokens,
    vocab: corpus.words.length,
    seconds,
    wordsPerSecond: (corpus.rawTokens * epochs) / Math.max(seconds, 1e-9),
  };
}

/** Words per slice of a thread: between slices the trainer yields to the event loop (progress, abort). */
const SLICE_WORDS = 50_000;

/**
 * Runs `o.epochs` epochs over the state's corpus with the learning rate falling linearly from `o.alpha`
 * to `o.minAlpha`, on up to `o.threads` threads (each on a contiguous share of the sentences of equal
 * words, in rounds of one slice of ~50,000 words per thread), yielding to the event loop every 200 ms
 * (progress, `signal`) and stopping with `TrainingDivergedError` at the first non-finite loss. Returns
 * the mean loss per epoch.
 */
export async function runEpochs(
  state: EngineState,
  o: ResolvedWord2VecOptions,
  seed: number,
): Promise<number[]> {
  const sentences = state.starts.length - 1;
  const totalWords = state.starts[sentences];
  const runner = await Word2VecRunner.create(state, o.threads);
  try {
    const threads = runner.threads;
    // Shares of (nearly) equal words: thread t trains sentences [bounds[t], bounds[t + 1]).
    const bounds = [0];
    for (let t = 1; t < threads; t++) {
      let s = bounds[t - 1];
      while (s < sentences && state.starts[s] < (totalWords * t) / threads) s++;
      bounds.push(s);
    }
    bounds.push(sentences);
    const seeds = new Random(seed);
    const rngs = bounds.slice(0, -1).map(() => seeds.nextUint32() | 1);
    const lossPerEpoch: number[] = [];
    let lastYield = performance.now();
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const epochStart = performance.now();
      const cursor = bounds.slice(0, -1);
      // Progress of thread t through its share, in epochs.
      const progress = (t: number, s: number) => {
        const from = state.starts[bounds[t]];
        const share = state.starts[bounds[t + 1]] - from || 1;
        return (epoch + (state.starts[s] - from) / share) / o.epochs;
      };
      let loss = 0;
      let pairs = 0;
      for (;;) {
        const slices: Slice[] = [];
        const owners: number[] = [];
        for (let t = 0; t < threads; t++) {
          const s = cursor[t];
          const to = bounds[t + 1];
          if (s >= to) continue;
          let e = s + 1;
          while (e < to && state.starts[e] - state.starts[s] < SLICE_WORDS) e++;
          slices.push({
            from: s,
            to: e,
            alphaFrom: learningRate(o, progress(t, s)),
            alphaTo: learningRate(o, progress(t, e)),
            rng: rngs[t],
          });
          owners.push(t);
        }
        if (slices.length === 0) break;
        const results = runner.run(slices);
        results.forEach((r, k) => {
          const t = owners[k];
          rngs[t] = r.rng;
          cursor[t] = slices[k].to;
          loss += r.loss;
          pairs += r.pairs;
        });
        checkDivergence(state, epoch, loss, false);
        if (performance.now() - lastYield > 200) {
          let done = 0;
          for (let t = 0; t < threads; t++) done += progress(t, cursor[t]);
          o.onProgress?.(done / threads);
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
          o.signal?.throwIfAborted();
        }
      }
      const mean = pairs > 0 ? loss / pairs : 0;
      checkDivergence(state, epoch, mean, true);
      lossPerEpoch.push(mean);
      o.onEpoch?.({
        epoch: epoch + 1,
        epochs: o.epochs,
        loss: mean,
        seconds: (performance.now() - epochStart) / 1000,
      });
    }
    o.onProgress?.(1);
    return lossPerEpoch;
  } finally {
    runner.close();
  }
}

/**
 * Trains word2vec — skip-gram or CBOW with negative sampling or hierarchical softmax (Mikolov et al.
 * 2013; the chapter's Listings 4-1a/b at production scale) — in the compiled WebAssembly kernel on
 * `threads` threads (see {@link Word2VecOptions.threads}). `corpus` may be an async iterable (streamed
 * once to build the vocabulary and the integer-encoded corpus). Browser-safe; for file corpora use
 * `trainWord2Vec` from `@wordloom/embeddings/node`.
 */
export async function trainWord2Vec(
  corpus: SentenceSource,
  options: Word2VecOptions = {},
): Promise<Word2VecResult> {
  assertCorpus(
    corpus,
    'trainWord2Vec',
    "a file path is read only by trainWord2Vec from '@wordloom/embeddings/node'",
  );
  const o = resolveWord2VecOptions(options, 'trainWord2Vec', [], availableThreads());
  o.signal?.throwIfAborted();
  const start = performance.now();
  const prepared = await prepareWord2Vec(corpus, o);
  const lossPerEpoch = await runEpochs(prepared.state, o, o.seed ^ 0x5bd1e995);
  return word2vecResult(prepared, lossPerEpoch, (performance.now() - start) / 1000, o.epochs);
}
