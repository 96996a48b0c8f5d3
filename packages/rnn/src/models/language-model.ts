import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertOneOf, InvalidArgumentError, Random } from '@wordloom/core';
import { type Floats, type MatmulProvider, TfjsProvider } from '../bptt/matmul-provider.js';
import type { SequenceInput } from '../bptt/sequence-input.js';
import { SimdProvider } from '../bptt/simd-provider.js';
import type { RecurrentCell } from '../cells/cell.js';
import { variableFrom } from '../cells/variable-from.js';
import { type CellType, createEncoder } from '../layers/create-encoder.js';
import { assertDropoutRate, Rnn } from '../layers/rnn.js';
import { type SequenceLayer, subSeed } from '../layers/sequence-layer.js';
import { Stacked } from '../layers/stacked.js';
import { type SamplingOptions, sampleLogits } from './sampling.js';
import { SoftmaxHead, sampleCandidates, sampledSoftmaxLoss } from './softmax-head.js';
import {
  batchSeed,
  checkOptionNames,
  epochBatches,
  type FitOptions,
  type FitResult,
  holdOut,
  type TrainHooks,
  trainLoop,
} from './train-loop.js';

/** Configuration of a {@link LanguageModel} (serializable). */
export interface LanguageModelConfig {
  /** Tokens (words, or characters at `level: 'char'`) by id. */
  vocabulary: string[];
  /**
   * `word`: tokens are words (a string prompt is split with {@link tokenizeWords}). `char`: tokens are
   * characters (Unicode code points), as tfjs-examples' lstm-text-generation; strings are split into
   * characters wherever tokens are expected.
   * @default 'word'
   */
  level?: 'word' | 'char';
  /**
   * `window`: predict the next word from the previous `window` words only (Listing 4-4's 3-word
   * input, softmax on the last step). `full`: predict at every step from the whole history
   * (softmax at every step; training on chunks of `sequenceLength`).
   * @default 'window'
   */
  mode?: 'window' | 'full';
  /**
   * Tokens of context in `window` mode.
   * @default 3 (Listing 4-4); 40 at `level: 'char'` (tfjs-examples' lstm-text-generation `sampleLen`)
   */
  window?: number;
  /** Words per training segment in `full` mode (the truncated-BPTT length). @default 32 */
  sequenceLength?: number;
  /** @default 'lstm' */
  cell?: CellType;
  /** Stacked layers. @default 2 (as PyTorch's word_language_model) */
  layers?: number;
  /**
   * Units per layer. @default 200 (PyTorch's word_language_model `--nhid`; Listing 4-4 used 512 with
   * one-hot input, 54M parameters at 20k words)
   */
  units?: number;
  /**
   * Size of the learned embedding (0 = one-hot input: W_xh is the embedding, the chapter's setup, with
   * `V × 4·units` input weights). @default 200 (PyTorch's word_language_model `--emsize`: 2·V·200 +
   * 0.6M parameters — 8.6M at 20k words, built in well under a second)
   */
  embeddingSize?: number;
  /** Truncated BPTT window in `full` mode, 0 = full. @default 0 */
  truncate?: number;
  /** `fromTokens`: tokens seen fewer times than this become `unknownToken`. @default 1 */
  minCount?: number;
  /**
   * The token unseen words map to in `fit`, `evaluate` and `complete` (when the vocabulary holds it;
   * `fromTokens` always adds it). @default '<unk>'
   */
  unknownToken?: string;
  /**
   * Dropout fraction in training, placed as PyTorch's word_language_model places it: on the input of
   * every recurrent layer (the embedding, and each layer's output feeding the next — one mask per
   * sequence, Keras `dropout`) and on the top layer's outputs before the softmax (one mask per
   * output). Off at inference. @default 0
   */
  dropout?: number;
  /** Variational recurrent dropout of every layer (Keras `recurrent_dropout`). @default 0 */
  recurrentDropout?: number;
  /**
   * Tie the softmax weights to the embedding, `W_ho = Eᵀ` (Press & Wolf 2017; Inan et al. 2017): V·E
   * fewer parameters, usually lower perplexity. Needs `embeddingSize === units`. @default false
   */
  tieWeights?: boolean;
  /**
   * Train with a sampled softmax over this many candidates drawn per batch from a log-uniform
   * distribution over the frequency-ordered vocabulary (Jean et al. 2015, TensorFlow's
   * `sampled_softmax_loss`), instead of all V words: about V/K times cheaper output layer for large
   * vocabularies. `evaluate`, `complete` and validation always use the full softmax. 0 = full softmax.
   * @default 0
   */
  sampledSoftmax?: number;
  /**
   * Initial weights. `pytorch` (PyTorch's defaults, which the comparison in the README measured to
   * learn fastest here): the recurrent kernels, input kernels and biases U(−1/√H, 1/√H) (`nn.LSTM` /
   * `nn.GRU` / `nn.RNN`; the LSTM bias is the sum of its two bias vectors b_ih + b_hh, so no forget
   * bias of 1), the softmax U(−1/√O, 1/√O) with bias U(−1/√O, 1/√O) (`nn.Linear`). `glorot`: the
   * cells' own (Keras') defaults — Glorot-uniform W_xh, orthogonal W_hh, LSTM forget bias 1 — and a
   * Glorot-uniform softmax with zero bias. The embedding starts N(0, 1) (`nn.Embedding`) in both.
   * @default 'pytorch'
   */
  initializer?: 'pytorch' | 'glorot';
  /** @default 1 */
  seed?: number;
}

const CONFIG_KEYS = [
  'vocabulary',
  'level',
  'mode',
  'window',
  'sequenceLength',
  'cell',
  'layers',
  'units',
  'embeddingSize',
  'truncate',
  'minCount',
  'unknownToken',
  'dropout',
  'recurrentDropout',
  'tieWeights',
  'sampledSoftmax',
  'initializer',
  'seed',
];

/** The chapter's tokenization for Listing 4-4: lower-case, split on whitespace. */
export function tokenizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * Words by descending frequency, ties by first occurrence (Listing 4-4's `Counter.most_common`),
 * keeping those seen at least `minCount` times.
 */
export function buildVocabulary(tokens: readonly string[], options: { minCount?: number } = {}): string[] {
  const minCount = assertInteger(options.minCount ?? 1, 'minCount', 'buildVocabulary', 1);
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1])
    .map(([w]) => w);
}

/** Options of {@link LanguageModel.complete}. */
export interface CompleteOptions extends SamplingOptions {
  /** Words to generate (Listing 4-4: 28). @default 28 */
  words?: number;
  /** Seed of the sampling generator (ignored when greedy). @default 1 */
  seed?: number;
}

/** Next-word prediction quality. */
export interface LanguageModelEvaluation {
  /** Mean negative log-likelihood per predicted word (nats). */
  loss: number;
  /** `exp(loss)`. */
  perplexity: number;
  /** Fraction of words whose arg-max prediction is right. */
  accuracy: number;
  /** Words predicted. */
  count: number;
}

/** Options of {@link LanguageModel.fit}: the shared {@link FitOptions} plus the held-out pass's batch. */
export interface LanguageModelFitOptions extends FitOptions {
  /** Held-out tokens (words, ids, or a string at `level: 'char'`), scored after every epoch. @default none */
  validationData?: TokenInput;
  /**
   * `batchSize` of the per-epoch {@link LanguageModel.evaluate} on the held-out tokens: parts read side
   * by side in `full` mode (10 is PyTorch word_language_model's `eval_batch_size`, much faster on long
   * held-out streams than the exact single history), windows per batch in `window` mode.
   * @default evaluate's default (1 part in full mode, 256 windows)
   */
  validationBatchSize?: number;
}

/** Tokens a model method accepts: words (or characters), a character string at `level: 'char'`, or ids. */
export type TokenInput = readonly string[] | string | Int32Array;

/**
 * Recurrent language model (Listing 4-4), word- or character-level: one-hot or embedded tokens
 * through stacked LSTM/GRU/RNN layers, softmax over the vocabulary; next-token prediction, completion
 * with greedy / temperature / top-k sampling, held-out perplexity. Unseen words become `<unk>`.
 *
 * The matrix products and LSTM gate math run in wordloom's WebAssembly SIMD kernels
 * (`SimdProvider.shared()`), whatever the tfjs backend — the backend still holds the variables and runs
 * the optimizer; without WebAssembly SIMD they go to the active backend (`TfjsProvider`). Pass a
 * `MatmulProvider` as the second constructor argument to choose (e.g. `Float64Provider` for checks).
 */
export class LanguageModel {
  readonly config: Required<LanguageModelConfig>;
  readonly encoder: SequenceLayer;
  readonly head: SoftmaxHead;
  readonly embedding: tf.Variable | null;
  private readonly index: Map<string, number>;
  private readonly unknownId: number;
  private readonly p: MatmulProvider;

  constructor(
    config: LanguageModelConfig,
    provider: MatmulProvider = SimdProvider.shared() ?? new TfjsProvider(),
  ) {
    const fn = 'LanguageModel';
    if (config == null || !Array.isArray(config.vocabulary) || config.vocabulary.length < 2)
      throw new InvalidArgumentError('vocabulary', fn, 'an array of at least 2 words', config?.vocabulary);
    for (const key of Object.keys(config))
      if (!CONFIG_KEYS.includes(key))
        throw new InvalidArgumentError('config', fn, `known options (${CONFIG_KEYS.join(', ')})`, key);
    this.config = {
      vocabulary: [...config.vocabulary],
      level: assertOneOf(config.level ?? 'word', ['word', 'char'], 'level', fn),
      mode: assertOneOf(config.mode ?? 'window', ['window', 'full'], 'mode', fn),
      window: assertInteger(config.window ?? (config.level === 'char' ? 40 : 3), 'window', fn, 1),
      sequenceLength: assertInteger(config.sequenceLength ?? 32, 'sequenceLength', fn, 1),
      cell: config.cell ?? 'lstm',
      layers: assertInteger(config.layers ?? 2, 'layers', fn, 1),
      units: assertInteger(config.units ?? 200, 'units', fn, 1),
      embeddingSize: assertInteger(config.embeddingSize ?? 200, 'embeddingSize', fn, 0),
      truncate: assertInteger(config.truncate ?? 0, 'truncate', fn, 0),
      minCount: assertInteger(config.minCount ?? 1, 'minCount', fn, 1),
      unknownToken: config.unknownToken ?? '<unk>',
      dropout: assertDropoutRate(config.dropout ?? 0, 'dropout', fn),
      recurrentDropout: assertDropoutRate(config.recurrentDropout ?? 0, 'recurrentDropout', fn),
      tieWeights: config.tieWeights ?? false,
      sampledSoftmax: assertInteger(config.sampledSoftmax ?? 0, 'sampledSoftmax', fn, 0),
      initializer: assertOneOf(config.initializer ?? 'pytorch', ['pytorch', 'glorot'], 'initializer', fn),
      seed: assertInteger(config.seed ?? 1, 'seed', fn, 0, 2 ** 31),
    };
    if (typeof this.config.unknownToken !== 'string')
      throw new InvalidArgumentError('unknownToken', fn, 'a string', config.unknownToken);
    if (typeof this.config.tieWeights !== 'boolean')
      throw new InvalidArgumentError('tieWeights', fn, 'a boolean', config.tieWeights);
    this.index = new Map(this.config.vocabulary.map((w, i) => [w, i]));
    if (this.index.size !== this.config.vocabulary.length)
      throw new InvalidArgumentError('vocabulary', fn, 'distinct words', config.vocabulary);
    this.unknownId = this.index.get(this.config.unknownToken) ?? -1;
    const V = this.config.vocabulary.length;
    const E = this.config.embeddingSize;
    if (this.config.tieWeights && E !== this.config.units)
      throw new InvalidArgumentError(
        'tieWeights',
        fn,
        `embeddingSize equal to units (the softmax reads ${this.config.units}-d states through the ${E}-d embedding)`,
        true,
      );
    this.embedding =
      E > 0 ? variableFrom(tf.tensor2d(embeddingInit(V, E, this.config.seed + 55), [V, E])) : null;
    this.encoder = createEncoder({
      cell: this.config.cell,
      inputSize: E > 0 ? E : V,
      units: this.config.units,
      layers: this.config.layers,
      truncate: this.config.truncate,
      dropout: this.config.dropout,
      recurrentDropout: this.config.recurrentDropout,
      seed: this.config.seed,
    });
    this.head = new SoftmaxHead(
      this.encoder.outputSize,
      V,
      this.config.seed + 101,
      this.config.tieWeights ? this.embedding : null,
    );
    this.p = provider;
    if (this.config.initializer === 'pytorch') this.initializeAsPyTorch();
  }

  /** PyTorch's default initialization of the cells and the softmax (see {@link LanguageModelConfig.initializer}). */
  private initializeAsPyTorch(): void {
    const random = new Random(subSeed(this.config.seed, 0x7071));
    const uniform = (n: number, k: number) =>
      Float32Array.from({ length: n }, () => (2 * random.next() - 1) * k);
    const cells: RecurrentCell[] = [];
    const walk = (layer: SequenceLayer) => {
      if (layer instanceof Rnn) cells.push(layer.cell);
      else if (layer instanceof Stacked) for (const l of layer.layers) walk(l);
    };
    walk(this.encoder);
    tf.tidy(() => {
      for (const cell of cells) {
        const k = 1 / Math.sqrt(cell.units);
        const G = cell.gates * cell.units;
        cell.kernel.assign(tf.tensor2d(uniform(cell.inputSize * G, k), [cell.inputSize, G]));
        cell.recurrentKernel.assign(tf.tensor2d(uniform(cell.units * G, k), [cell.units, G]));
        const b = uniform(G, k);
        if (cell.recurrentBias) cell.recurrentBias.assign(tf.tensor1d(uniform(G, k)));
        else {
          // b_ih + b_hh: one bias here, the sum of PyTorch's two.
          const bh = uniform(G, k);
          for (let i = 0; i < G; i++) b[i] += bh[i];
        }
        cell.bias.assign(tf.tensor1d(b));
      }
      const O = this.head.inputSize;
      const V = this.head.classes;
      const k = 1 / Math.sqrt(O);
      if (!this.head.tied) this.head.kernel.assign(tf.tensor2d(uniform(O * V, k), [O, V]));
      this.head.bias.assign(tf.tensor1d(uniform(V, k)));
    });
  }

  /**
   * A model whose vocabulary is built from `tokens`: every token seen at least `minCount` times, by
   * frequency, plus `unknownToken`. At `level: 'char'` a string is split into characters; at word
   * level pass an array of words (e.g. `tokenizeWords(text)`).
   */
  static fromTokens(
    tokens: readonly string[] | string,
    config: Omit<LanguageModelConfig, 'vocabulary'> = {},
  ): LanguageModel {
    if (typeof tokens === 'string' && config?.level !== 'char')
      throw new InvalidArgumentError(
        'tokens',
        'fromTokens',
        "an array of tokens (split the text first, e.g. tokenizeWords(text); or pass level: 'char')",
        tokens.length > 40 ? `${tokens.slice(0, 40)}…` : tokens,
      );
    const list = typeof tokens === 'string' ? Array.from(tokens) : tokens;
    if (!Array.isArray(list))
      throw new InvalidArgumentError('tokens', 'fromTokens', 'an array of tokens', tokens);
    const unk = config.unknownToken ?? '<unk>';
    const vocabulary = buildVocabulary(list, { minCount: config.minCount ?? 1 }).filter((w) => w !== unk);
    vocabulary.push(unk);
    return new LanguageModel({ ...config, vocabulary });
  }

  /** The words the model predicts, `<unk>` included (index = class id). */
  get vocabulary(): readonly string[] {
    return this.config.vocabulary;
  }

  /** Every trainable variable: embedding (if any), encoder, head. */
  get variables(): tf.Variable[] {
    return [...(this.embedding ? [this.embedding] : []), ...this.encoder.variables, ...this.head.variables];
  }

  /** Stable names of {@link variables} (checkpoints). */
  get variableNames(): string[] {
    return [
      ...(this.embedding ? ['embedding'] : []),
      ...this.encoder.variableNames.map((n) => `encoder/${n}`),
      ...(this.head.tied ? [] : ['head/kernel']),
      'head/bias',
    ];
  }

  /** Tokens of a string: characters at `level: 'char'`, {@link tokenizeWords} otherwise. */
  tokenize(text: string): string[] {
    return this.config.level === 'char' ? Array.from(text) : tokenizeWords(text);
  }

  /**
   * Token ids; a token outside the vocabulary becomes `unknownToken`'s id, or throws (naming it) when
   * the vocabulary has no `unknownToken`.
   */
  encode(tokens: TokenInput, argument = 'tokens', fn = 'encode'): Int32Array {
    if (tokens instanceof Int32Array) {
      const V = this.config.vocabulary.length;
      for (let i = 0; i < tokens.length; i++)
        if (!(tokens[i] >= 0 && tokens[i] < V))
          throw new InvalidArgumentError(argument, fn, `token ids below ${V}`, `${tokens[i]} at ${i}`);
      return tokens;
    }
    if (typeof tokens === 'string') {
      if (this.config.level !== 'char')
        throw new InvalidArgumentError(
          argument,
          fn,
          "an array of tokens (split the text first, e.g. tokenizeWords(text); strings are read as characters only at level: 'char')",
          tokens.length > 40 ? `${tokens.slice(0, 40)}…` : tokens,
        );
      tokens = Array.from(tokens);
    }
    if (!Array.isArray(tokens)) throw new InvalidArgumentError(argument, fn, 'an array of tokens', tokens);
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = this.index.get(tokens[i]) ?? this.unknownId;
      if (id < 0)
        throw new InvalidArgumentError(
          argument,
          fn,
          `words of the model vocabulary (it has no ${JSON.stringify(this.config.unknownToken)} for unseen words)`,
          `unknown word ${JSON.stringify(tokens[i])}`,
        );
      ids[i] = id;
    }
    return ids;
  }

  private input(ids: Int32Array): SequenceInput {
    const V = this.config.vocabulary.length;
    if (!this.embedding) return { kind: 'ids', ids, vocab: V };
    const w = this.p.matrix(this.embedding);
    const data = this.p.gatherRows(w, ids);
    this.p.release(w);
    return { kind: 'dense', data, features: this.config.embeddingSize };
  }

  /** Time-major window examples `window × B` starting at `starts`, and the word after each. */
  private windows(ids: Int32Array, starts: ArrayLike<number>): { x: Int32Array; y: Int32Array } {
    const B = starts.length;
    const W = this.config.window;
    const x = new Int32Array(W * B);
    const y = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < W; t++) x[t * B + b] = ids[starts[b] + t];
      y[b] = ids[starts[b] + W];
    }
    return { x, y };
  }

  /**
   * Loss, correct predictions and gradients of one batch: window mode, the windows starting at
   * `starts`; full mode, `steps` consecutive words from each start with a softmax at every step,
   * continuing from `initialState` (the states the previous segment ended in). With `training`, the
   * dropout masks of that seed are applied.
   */
  computeGradients(
    ids: Int32Array,
    starts: ArrayLike<number>,
    options: { steps?: number; initialState?: Floats[] | null; training?: { seed: number } | null } = {},
  ): { loss: number; correct: number; count: number; grads: Floats[]; final: Floats[] } {
    const B = starts.length;
    const full = this.config.mode === 'full';
    let x: Int32Array;
    let y: Int32Array;
    let steps: number;
    if (full) {
      steps = options.steps ?? this.config.sequenceLength;
      x = new Int32Array(steps * B);
      y = new Int32Array(steps * B);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < steps; t++) {
          x[t * B + b] = ids[starts[b] + t];
          y[t * B + b] = ids[starts[b] + t + 1];
        }
    } else {
      steps = this.config.window;
      ({ x, y } = this.windows(ids, starts));
    }
    const training = options.training ?? null;
    const run = this.encoder.forwardRaw(this.p, this.input(x), steps, B, {
      keep: true,
      initialState: options.initialState ?? null,
      training,
    });
    const rows = full ? steps * B : B;
    let top = full ? run.outputs : run.last;
    // Dropout on the top layer's outputs before the softmax (one mask per output value).
    const mask =
      training && this.config.dropout > 0 ? outputMask(top.length, this.config.dropout, training.seed) : null;
    if (mask) {
      top = top.slice();
      for (let i = 0; i < top.length; i++) top[i] *= mask[i];
    }
    const K = this.config.sampledSoftmax;
    const head =
      training && K > 0 && K < this.config.vocabulary.length
        ? sampledSoftmaxLoss(
            this.p,
            this.head,
            top,
            rows,
            y,
            sampleCandidates(this.config.vocabulary.length, K, new Random(subSeed(training.seed, 0x5a))),
          )
        : this.head.lossAndGradients(this.p, top, rows, y);
    if (mask) for (let i = 0; i < mask.length; i++) head.dInput[i] *= mask[i];
    const enc = this.encoder.backwardRaw(
      this.p,
      run.tape,
      full ? { dOutputs: head.dInput } : { dLast: head.dInput },
      { inputGradient: this.embedding !== null },
    );
    const grads = [...enc.grads, ...head.grads];
    if (this.embedding) {
      // The embedding lookup's gradient scatters ∂C/∂x_t back to each word's row (plus, when tied,
      // the softmax side's (o − y)ᵀ h).
      const E = this.config.embeddingSize;
      const dE = head.dTied ?? this.p.alloc(this.config.vocabulary.length * E);
      const dx = enc.dInput as Floats;
      for (let r = 0; r < x.length; r++) for (let e = 0; e < E; e++) dE[x[r] * E + e] += dx[r * E + e];
      grads.unshift(dE);
    }
    return { loss: head.loss, correct: head.correct, count: rows, grads, final: run.final };
  }

  /**
   * Trains on a token stream (words, ids, or a string at `level: 'char'`). Window mode: an epoch
   * visits every window once in a shuffled order. Full mode: the stream is cut into `batchSize`
   * parallel streams read `sequenceLength` words at a time, each batch starting from the states the
   * previous one ended in (truncated BPTT with carried state, as PyTorch's word_language_model).
   * `validationSplit` holds out the LAST fraction of the stream; `validationData` is a held-out
   * stream; each epoch then reports `validationLoss` / `validationPerplexity`. For an honest held-out
   * score build the vocabulary from the training part only (`fromTokens(train, …)`), so held-out words
   * outside it count as `<unk>`. Gradients are clipped
   * to global norm 5 unless `clipNorm` says otherwise (0 = off).
   * Listing 4-4 used RMSProp 1e-3 with batch 1 for 50,000 steps; mini-batches with Adam reach the same
   * training accuracy in far fewer steps.
   */
  async fit(tokens: TokenInput, options: LanguageModelFitOptions = {}): Promise<FitResult> {
    checkOptionNames(options, 'fit', ['validationBatchSize']);
    const validationBatch =
      options.validationBatchSize === undefined
        ? undefined
        : assertInteger(options.validationBatchSize, 'validationBatchSize', 'fit', 1);
    const all = this.encode(tokens, 'tokens', 'fit');
    const batchSize = assertInteger(options.batchSize ?? 32, 'batchSize', 'fit', 1);
    const full = this.config.mode === 'full';
    const { trainCount, validation } = holdOut(options, 'fit', {
      count: all.length,
      take: (start, end) => all.subarray(start, end),
      given: (held) => this.encode(held as TokenInput, 'validationData', 'fit'),
      size: (held) => held.length,
      // What evaluate() scores at least one prediction of: a target after the context.
      minHeld: full ? 2 : this.config.window + 1,
      unit: 'tokens',
    });
    const ids = all.subarray(0, trainCount);
    const hooks: TrainHooks = {
      variables: this.variables,
      defaultClipNorm: 5,
      extraOptions: ['validationBatchSize'],
      validate: validation
        ? () => {
            const e = this.evaluate(validation, validationBatch);
            return { loss: e.loss, accuracy: e.accuracy, perplexity: e.perplexity };
          }
        : undefined,
    };
    const seed = options.seed ?? 1;
    if (full) return this.fitFull(ids, batchSize, options, hooks);
    const n = ids.length - this.config.window;
    if (n < 1)
      throw new InvalidArgumentError('tokens', 'fit', `more than ${this.config.window} words`, ids.length);
    const batch = epochBatches(n, batchSize, seed);
    return trainLoop(
      'fit',
      options,
      Math.ceil(n / batchSize),
      (epoch, b) => {
        const r = this.computeGradients(ids, batch(epoch, b), {
          training: { seed: batchSeed(seed, epoch, b) },
        });
        return { loss: r.loss, correct: r.correct, count: r.count, grads: r.grads };
      },
      hooks,
    );
  }

  private fitFull(
    ids: Int32Array,
    batchSize: number,
    options: FitOptions,
    hooks: TrainHooks,
  ): Promise<FitResult> {
    if (ids.length < 3) throw new InvalidArgumentError('tokens', 'fit', 'at least 3 words', ids.length);
    const streams = Math.max(1, Math.min(batchSize, Math.floor((ids.length - 1) / 2)));
    const streamLength = Math.floor((ids.length - 1) / streams);
    const L = Math.min(this.config.sequenceLength, streamLength);
    // The last segment of each stream may be shorter (as word_language_model's get_batch): every token
    // is trained on every epoch, not only the first L·⌊streamLength/L⌋.
    const batches = Math.ceil(streamLength / L);
    const startsOf = (b: number) => Int32Array.from({ length: streams }, (_, s) => s * streamLength + b * L);
    const start = options.initialState;
    if (start && start.batch > 0 && !start.carried)
      throw new InvalidArgumentError(
        'initialState',
        'fit',
        'a state with `carried` (the hidden states a full-mode epoch carries between batches)',
        `batch ${start.batch} without carried states`,
      );
    const seed = options.seed ?? 1;
    return trainLoop(
      'fit',
      options,
      batches,
      (epoch, b, carried) => {
        const r = this.computeGradients(ids, startsOf(b), {
          steps: Math.min(L, streamLength - b * L),
          initialState: carried,
          training: { seed: batchSeed(seed, epoch, b) },
        });
        return { loss: r.loss, correct: r.correct, count: r.count, grads: r.grads, carried: r.final };
      },
      hooks,
    );
  }

  /** Logits `rows × V` for the last step of windows (window mode) or every step of one sequence (full). */
  private logitsOf(
    x: Int32Array,
    steps: number,
    batch: number,
    initialState: Floats[] | null = null,
    everyStep = false,
  ) {
    const run = this.encoder.forwardRaw(this.p, this.input(x), steps, batch, { initialState });
    const logits = this.head.logits(
      this.p,
      everyStep ? run.outputs : run.last,
      everyStep ? steps * batch : batch,
    );
    return { logits, final: run.final };
  }

  /**
   * Next-word loss, perplexity and accuracy on a token stream (held-out perplexity when the stream
   * was not trained on). Window mode predicts every word from the `window` words before it, `batchSize`
   * windows at a time (default 256). Full mode predicts every word from its history: the stream is
   * read as `batchSize` contiguous parts side by side (default 1, the whole stream as one history;
   * PyTorch's word_language_model evaluates 10 parts, faster, each part starting from zero state), in
   * segments of 256 steps carrying the state. Unseen words count as `unknownToken`.
   */
  evaluate(tokens: TokenInput, batchSize?: number): LanguageModelEvaluation {
    const ids = this.encode(tokens, 'tokens', 'evaluate');
    const full = this.config.mode === 'full';
    const B = assertInteger(batchSize ?? (full ? 1 : 256), 'batchSize', 'evaluate', 1);
    const V = this.config.vocabulary.length;
    let nll = 0;
    let correct = 0;
    let count = 0;
    const score = (logits: Floats, row: number, target: number) => {
      let max = -Infinity;
      let arg = 0;
      for (let j = 0; j < V; j++)
        if (logits[row * V + j] > max) {
          max = logits[row * V + j];
          arg = j;
        }
      let sum = 0;
      for (let j = 0; j < V; j++) sum += Math.exp(logits[row * V + j] - max);
      nll -= logits[row * V + target] - max - Math.log(sum);
      if (arg === target) correct++;
      count++;
    };
    if (full) {
      if (ids.length < 2)
        throw new InvalidArgumentError('tokens', 'evaluate', 'at least 2 words', ids.length);
      const targets = ids.length - 1;
      const S = Math.min(B, targets);
      const per = Math.ceil(targets / S);
      const lengths = Int32Array.from({ length: S }, (_, k) => Math.max(0, Math.min(per, targets - k * per)));
      const SEGMENT = 256;
      let state: Floats[] | null = null;
      for (let t0 = 0; t0 < per; t0 += SEGMENT) {
        const steps = Math.min(SEGMENT, per - t0);
        const x = new Int32Array(steps * S);
        // A part shorter than the others is padded at its end: the mask carries its state unchanged.
        const mask = new Uint8Array(steps * S);
        for (let t = 0; t < steps; t++)
          for (let k = 0; k < S; k++)
            if (t0 + t < lengths[k]) {
              x[t * S + k] = ids[k * per + t0 + t];
              mask[t * S + k] = 1;
            }
        const run = this.encoder.forwardRaw(this.p, this.input(x), steps, S, { initialState: state, mask });
        const logits = this.head.logits(this.p, run.outputs, steps * S);
        for (let t = 0; t < steps; t++)
          for (let k = 0; k < S; k++)
            if (mask[t * S + k]) score(logits, t * S + k, ids[k * per + t0 + t + 1]);
        state = run.final;
      }
    } else {
      const W = this.config.window;
      const n = ids.length - W;
      if (n < 1) throw new InvalidArgumentError('tokens', 'evaluate', `more than ${W} words`, ids.length);
      for (let s = 0; s < n; s += B) {
        const starts = Int32Array.from({ length: Math.min(B, n - s) }, (_, i) => s + i);
        const { x, y } = this.windows(ids, starts);
        const { logits } = this.logitsOf(x, W, starts.length);
        for (let b = 0; b < starts.length; b++) score(logits, b, y[b]);
      }
    }
    const loss = nll / count;
    return { loss, perplexity: Math.exp(loss), accuracy: correct / count, count };
  }

  /** Perplexity `exp(−(1/N) Σ log P(w_i | history))` of a token stream (see {@link evaluate}). */
  perplexity(tokens: TokenInput): number {
    return this.evaluate(tokens).perplexity;
  }

  /**
   * Sentence completion (Listing 4-4): appends `words` predicted tokens to `prompt`, each predicted
   * from the last `window` tokens (window mode) or the whole history (full mode). Greedy by default;
   * temperature / top-k sampling draws from a generator seeded with `seed`. A string prompt is split
   * with {@link tokenize}; unseen prompt words read as `unknownToken`.
   */
  complete(prompt: string | readonly string[], options: CompleteOptions = {}): string[] {
    const words = assertInteger(options.words ?? 28, 'words', 'complete', 0);
    const tokens = typeof prompt === 'string' ? this.tokenize(prompt) : [...prompt];
    const ids = Array.from(this.encode(tokens, 'prompt', 'complete'));
    const random = new Random(assertInteger(options.seed ?? 1, 'seed', 'complete', 0, 2 ** 32 - 1));
    const V = this.config.vocabulary.length;
    const out: string[] = [];
    if (this.config.mode === 'full') {
      if (ids.length === 0) throw new InvalidArgumentError('prompt', 'complete', 'at least one word', prompt);
      let { logits, final } = this.logitsOf(Int32Array.from(ids), ids.length, 1);
      for (let i = 0; i < words; i++) {
        const next = sampleLogits(logits, 0, V, options, random);
        out.push(this.config.vocabulary[next]);
        ({ logits, final } = this.logitsOf(Int32Array.of(next), 1, 1, final));
      }
      return out;
    }
    const W = this.config.window;
    if (ids.length < W)
      throw new InvalidArgumentError(
        'prompt',
        'complete',
        `at least ${W} words (the model's window)`,
        prompt,
      );
    for (let i = 0; i < words; i++) {
      const { logits } = this.logitsOf(Int32Array.from(ids.slice(ids.length - W)), W, 1);
      const next = sampleLogits(logits, 0, V, options, random);
      ids.push(next);
      out.push(this.config.vocabulary[next]);
    }
    return out;
  }

  /** Frees the variables. */
  dispose(): void {
    this.embedding?.dispose();
    this.encoder.dispose();
    this.head.dispose();
  }
}

/** Output-dropout factors 0 or 1/(1−p) for one batch, from the batch's training seed. */
function outputMask(n: number, rate: number, seed: number): Float32Array {
  const random = new Random(subSeed(seed, 0x0dd));
  const keep = 1 - rate;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = random.next() < keep ? 1 / keep : 0;
  return out;
}

/**
 * The embedding's initial values: N(0, 1), as PyTorch's `nn.Embedding` (see the README's comparison:
 * Glorot-uniform's ±√(6/(V+E)) — 0.04 at 3k words — left Adam sitting at the unigram distribution for
 * epochs).
 */
function embeddingInit(V: number, E: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: V * E }, () => random.normal());
}
