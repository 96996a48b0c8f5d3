import { crc32, InvalidArgumentError, Random, WordloomError } from '@wordloom/core';
import { ModelFileError } from '../errors/model-file-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { assertCorpus, type SentenceSource, scanCorpus } from '../train/word2vec-engine/corpus-scan.js';
import {
  createEngineState,
  type EpochReport,
  type ResolvedWord2VecOptions,
  resolveWord2VecOptions,
  runEpochs,
  type Word2VecOptions,
} from '../train/word2vec-engine/train-word2vec.js';
import { assertKnownOptions } from '../validate-options.js';

/** Options of {@link Word2Vec.train} (instance method): what may change between training calls. */
export interface Word2VecTrainOptions {
  /** Passes over this corpus. @default the model's `epochs` */
  epochs?: number;
  /** Initial learning rate of this call (decays linearly to `minAlpha`, as gensim's `train`). @default the model's `alpha` */
  alpha?: number;
  /** Final learning rate of this call. @default the model's `minAlpha` */
  minAlpha?: number;
  /** Called after every epoch. */
  onEpoch?: (report: EpochReport) => void;
  /** Called now and then with the fraction of this call done. */
  onProgress?: (fraction: number) => void;
  /** Stops training between slices of work (the weights keep the updates made so far). */
  signal?: AbortSignal;
}

/** Options of {@link Word2Vec.buildVocab}. */
export interface BuildVocabOptions {
  /**
   * Must be `true`: add the corpus' new words (count ≥ `minCount` in it) and add its counts to the known
   * words, as gensim's `build_vocab(update=True)`. (A model's first vocabulary comes from `Word2Vec.train`.)
   */
  update: true;
}

type StoredOptions = Omit<ResolvedWord2VecOptions, 'onEpoch' | 'onProgress' | 'signal'>;

const MAGIC = 'WLW2VEC1';
const encoder = new TextEncoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A trainable word2vec model that keeps everything needed to continue: the vocabulary with its counts,
 * the input vectors (syn0), the output weights (syn1neg for negative sampling, syn1 for hierarchical
 * softmax) and the options — gensim's `Word2Vec`, as opposed to the `KeyedVectors` a trainer returns.
 * Train with {@link Word2Vec.train}, grow the vocabulary with {@link Word2Vec.buildVocab} (`update:
 * true`) and continue with {@link Word2Vec.prototype.train}; save and load whole with `toBytes` /
 * `fromBytes` (or `saveWord2Vec` / `loadWord2Vec` from `@wordloom/embeddings/node`: atomic, with a
 * CRC-32 checked on load). One thread; the same seed and calls give bit-identical weights, with or
 * without a save and load in between.
 */
export class Word2Vec {
  /** Vocabulary, most frequent first. */
  get words(): readonly string[] {
    return this.vocab;
  }
  /** Corpus counts of the words (summed over every corpus given to `train` and `buildVocab`). */
  get counts(): Int32Array {
    return this.wordCounts.slice();
  }
  /** Mean loss per epoch of the last training call. */
  lossPerEpoch: number[] = [];
  private cachedVectors: KeyedVectors | undefined;

  private constructor(
    /** The model's options (gensim names), as given to `Word2Vec.train`. */
    readonly options: Readonly<StoredOptions>,
    private vocab: string[],
    private wordCounts: Int32Array,
    private syn0: Float32Array,
    private out: Float32Array,
    private trainCalls: number,
  ) {}

  /** Vector size. */
  get dim(): number {
    return this.options.dim;
  }

  /** The word vectors (syn0) as `KeyedVectors` (a snapshot; taken again after more training). */
  get vectors(): KeyedVectors {
    this.cachedVectors ??= new KeyedVectors(
      this.vocab.slice(),
      this.syn0.slice(),
      this.options.dim,
      this.wordCounts.slice(),
    );
    return this.cachedVectors;
  }

  /** Output weights: syn1neg (V × dim) for negative sampling, syn1 ((V−1) × dim) for hierarchical softmax. */
  get outputVectors(): Float32Array {
    return this.out.slice();
  }

  /**
   * Builds the vocabulary of `corpus` (words with count ≥ `minCount`) and trains on it — the same
   * vectors as `trainWord2Vec(corpus, options)` with one thread.
   */
  static async train(corpus: SentenceSource, options: Word2VecOptions = {}): Promise<Word2Vec> {
    assertCorpus(corpus, 'Word2Vec.train');
    const o = resolveWord2VecOptions(options, 'Word2Vec.train');
    if (o.threads !== 1)
      throw new InvalidArgumentError(
        'threads',
        'Word2Vec.train',
        '1 (a trainable model trains on one thread)',
        o.threads,
      );
    const scanned = await scanCorpus(corpus, o.minCount, undefined, 'Word2Vec.train');
    if (scanned.words.length < 2)
      throw new WordloomError(
        `The corpus has ${scanned.words.length} word(s) with count ≥ minCount=${o.minCount}; word2vec needs at least 2`,
      );
    const state = createEngineState(scanned, o);
    const lossPerEpoch = await runEpochs(state, o, o.seed ^ 0x5bd1e995);
    const { onEpoch: _e, onProgress: _p, signal: _s, ...stored } = o;
    const model = new Word2Vec(
      stored,
      scanned.words,
      scanned.counts,
      Float32Array.from(state.syn0),
      Float32Array.from(state.hs ? state.syn1 : state.syn1neg),
      1,
    );
    model.lossPerEpoch = lossPerEpoch;
    return model;
  }

  /**
   * Adds the words of `corpus` that the model does not know and that occur at least `minCount` times in
   * it (their vectors start random, as word2vec.c's, their output weights at zero), and adds the
   * corpus' counts to the known words — gensim's `build_vocab(corpus, update=True)`. The vocabulary
   * stays sorted by count (vectors move with their words). Returns the number of words added.
   */
  async buildVocab(corpus: SentenceSource, options: BuildVocabOptions): Promise<number> {
    assertKnownOptions(options, ['update'], 'buildVocab');
    if (options?.update !== true)
      throw new InvalidArgumentError(
        'update',
        'buildVocab',
        'true (the first vocabulary comes from Word2Vec.train; later corpora add to it)',
        options?.update,
      );
    const scanned = await scanCorpus(corpus, 1, undefined, 'buildVocab');
    const d = this.options.dim;
    const index = new Map(this.vocab.map((w, i) => [w, i]));
    const counts = Array.from(this.wordCounts);
    const words = this.vocab.slice();
    const added: string[] = [];
    scanned.words.forEach((w, i) => {
      const id = index.get(w);
      if (id !== undefined) counts[id] += scanned.counts[i];
      else if (scanned.counts[i] >= this.options.minCount) {
        index.set(w, words.length);
        words.push(w);
        counts.push(scanned.counts[i]);
        added.push(w);
      }
    });
    const v = words.length;
    const hs = this.options.loss === 'hs';
    const syn0 = new Float32Array(v * d);
    syn0.set(this.syn0);
    const rng = new Random((this.options.seed ^ Math.imul(this.vocab.length + 1, 0x9e3779b1)) >>> 0);
    for (let i = this.syn0.length; i < syn0.length; i++) syn0[i] = (rng.next() - 0.5) / d;
    const out = new Float32Array((hs ? v - 1 : v) * d);
    out.set(this.out);
    // Keep "most frequent first" (the Huffman tree and restrictVocab rely on it): a stable sort by count.
    const order = Array.from({ length: v }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
    this.vocab = order.map((i) => words[i]);
    this.wordCounts = Int32Array.from(order, (i) => counts[i]);
    this.syn0 = new Float32Array(v * d);
    order.forEach((from, to) => {
      this.syn0.set(syn0.subarray(from * d, (from + 1) * d), to * d);
    });
    if (hs)
      this.out = out; // inner-node rows: the tree is rebuilt from the counts at the next train
    else {
      this.out = new Float32Array(v * d);
      order.forEach((from, to) => {
        this.out.set(out.subarray(from * d, (from + 1) * d), to * d);
      });
    }
    this.cachedVectors = undefined;
    return added.length;
  }

  /**
   * Continues training on `corpus` (words outside the vocabulary are skipped, as gensim's `train`), the
   * learning rate falling from `alpha` to `minAlpha` over this call. Returns the mean loss per epoch.
   */
  async train(corpus: SentenceSource, options: Word2VecTrainOptions = {}): Promise<number[]> {
    assertCorpus(corpus, 'train');
    assertKnownOptions(options, ['epochs', 'alpha', 'minAlpha', 'onEpoch', 'onProgress', 'signal'], 'train');
    const o = resolveWord2VecOptions(
      {
        ...this.options,
        epochs: options.epochs ?? this.options.epochs,
        alpha: options.alpha ?? this.options.alpha,
        minAlpha: options.minAlpha ?? this.options.minAlpha,
        ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      'train',
    );
    o.signal?.throwIfAborted();
    const scanned = await scanCorpus(corpus, 1, undefined, 'train');
    const index = new Map(this.vocab.map((w, i) => [w, i]));
    const remap = scanned.words.map((w) => index.get(w) ?? -1);
    const tokens = new Int32Array(scanned.tokens.length);
    const starts = new Int32Array(scanned.starts.length);
    let n = 0;
    for (let s = 0; s + 1 < scanned.starts.length; s++) {
      for (let t = scanned.starts[s]; t < scanned.starts[s + 1]; t++) {
        const id = remap[scanned.tokens[t]];
        if (id >= 0) tokens[n++] = id;
      }
      starts[s + 1] = n;
    }
    const state = createEngineState(
      { counts: this.wordCounts, tokens: tokens.subarray(0, n), starts },
      o,
      undefined,
      false,
      { syn0: this.syn0, out: this.out },
    );
    const seed = (o.seed ^ 0x5bd1e995 ^ Math.imul(this.trainCalls, 0x9e3779b1)) | 0;
    try {
      this.lossPerEpoch = await runEpochs(state, o, seed);
    } finally {
      // Updates made before an abort are kept, as gensim keeps them.
      this.syn0 = Float32Array.from(state.syn0);
      this.out = Float32Array.from(state.hs ? state.syn1 : state.syn1neg);
      this.trainCalls++;
      this.cachedVectors = undefined;
    }
    return this.lossPerEpoch;
  }

  /**
   * The whole model in wordloom's word2vec model format: `WLW2VEC1`, a little-endian u32 header length,
   * a JSON header (options, words, counts), zero padding to 4 bytes, syn0 and the output weights as
   * little-endian float32, and a CRC-32 (IEEE) of every byte before it. Yields a few chunks (the
   * weights are not copied on little-endian hosts).
   */
  *toBytes(): Generator<Uint8Array> {
    const header = encoder.encode(
      JSON.stringify({
        format: 'wordloom-word2vec',
        version: 1,
        options: this.options,
        words: this.vocab,
        counts: Array.from(this.wordCounts),
        trainCalls: this.trainCalls,
      }),
    );
    const pad = (4 - ((12 + header.length) % 4)) % 4;
    const head = new Uint8Array(12 + header.length + pad);
    head.set(encoder.encode(MAGIC));
    new DataView(head.buffer).setUint32(8, header.length, true);
    head.set(header, 12);
    let crc = crc32(head);
    yield head;
    for (const a of [this.syn0, this.out]) {
      const bytes = floatBytes(a);
      crc = crc32(bytes, crc);
      yield bytes;
    }
    const footer = new Uint8Array(4);
    new DataView(footer.buffer).setUint32(0, crc, true);
    yield footer;
  }

  /**
   * Reads a model written by {@link Word2Vec.toBytes}, checking the magic, every length against the
   * size, the CRC-32, the options and the vocabulary before building anything; a problem throws
   * {@link ModelFileError} naming `source`.
   */
  static fromBytes(bytes: Uint8Array, source = '<bytes>'): Word2Vec {
    const fail = (problem: string, cause?: unknown): never => {
      throw new ModelFileError(source, problem, cause === undefined ? undefined : { cause });
    };
    if (bytes.length < 16 || new TextDecoder('latin1').decode(bytes.subarray(0, 8)) !== MAGIC)
      fail(`not a wordloom word2vec model (expected the magic ${MAGIC})`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const stored = view.getUint32(bytes.length - 4, true);
    const actual = crc32(bytes.subarray(0, bytes.length - 4));
    if (stored !== actual)
      fail(
        `checksum mismatch (stored CRC-32 ${stored}, computed ${actual}): the file is corrupt or truncated`,
      );
    const headerLength = view.getUint32(8, true);
    if (headerLength > bytes.length - 16)
      fail(`header length ${headerLength} exceeds the file size ${bytes.length}`);
    let header: Record<string, unknown> = {};
    try {
      header = JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength)),
      );
    } catch (error) {
      fail('the header is not valid JSON', error);
    }
    if (
      header === null ||
      typeof header !== 'object' ||
      header.format !== 'wordloom-word2vec' ||
      header.version !== 1
    )
      fail('unknown format or version (expected wordloom-word2vec version 1)');
    if (header.options === null || typeof header.options !== 'object') fail('the header has no options');
    let o: ResolvedWord2VecOptions | undefined;
    try {
      o = resolveWord2VecOptions(header.options as Word2VecOptions, 'Word2Vec.fromBytes');
    } catch (error) {
      fail(`invalid options: ${(error as Error).message}`, error);
    }
    const { words, counts, trainCalls } = header as { words: unknown; counts: unknown; trainCalls: unknown };
    if (!Array.isArray(words) || words.length < 2 || words.some((w) => typeof w !== 'string' || w === ''))
      fail('the vocabulary must be a list of at least 2 non-empty words');
    const vocab = words as string[];
    if (new Set(vocab).size !== vocab.length) fail('the vocabulary holds a word twice');
    if (
      !Array.isArray(counts) ||
      counts.length !== vocab.length ||
      counts.some((c, i) => !Number.isInteger(c) || c < 1 || c > 2 ** 31 - 1 || (i > 0 && c > counts[i - 1]))
    )
      fail('counts must be one positive integer per word, in descending order');
    if (!Number.isInteger(trainCalls) || (trainCalls as number) < 1)
      fail('trainCalls must be a positive integer');
    const d = o!.dim;
    const v = vocab.length;
    const outRows = o!.loss === 'hs' ? v - 1 : v;
    const start = 12 + headerLength + ((4 - ((12 + headerLength) % 4)) % 4);
    const expected = start + (v + outRows) * d * 4 + 4;
    if (expected !== bytes.length)
      fail(
        `expected ${expected} bytes for ${v} words × ${d} dims (${o!.loss}), the file has ${bytes.length}`,
      );
    const syn0 = readFloats(bytes, start, v * d);
    const out = readFloats(bytes, start + v * d * 4, outRows * d);
    for (const a of [syn0, out])
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) fail(`weight ${i + 1} is ${a[i]}`);
    const { onEpoch: _e, onProgress: _p, signal: _s, ...options } = o!;
    return new Word2Vec(options, vocab, Int32Array.from(counts as number[]), syn0, out, trainCalls as number);
  }
}

/** The little-endian bytes of `a` (a view on little-endian hosts). */
function floatBytes(a: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i], true);
  return out;
}

function readFloats(bytes: Uint8Array, offset: number, n: number): Float32Array {
  const out = new Float32Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + n * 4));
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * 4);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}
