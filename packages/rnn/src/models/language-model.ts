import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertOneOf, InvalidArgumentError, Random } from '@wordloom/core';
import { type Floats, type MatmulProvider, TfjsProvider } from '../bptt/matmul-provider.js';
import type { SequenceInput } from '../bptt/sequence-input.js';
import { SimdProvider } from '../bptt/simd-provider.js';
import { variableFrom } from '../cells/variable-from.js';
import { glorotUniform } from '../init/initializers.js';
import { type CellType, createEncoder } from '../layers/create-encoder.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { applyGradients } from './optimizer-step.js';
import { type SamplingOptions, sampleLogits } from './sampling.js';
import { SoftmaxHead } from './softmax-head.js';
import { epochOrder, type FitOptions, type FitResult, trainLoop } from './train-loop.js';

/** Configuration of a {@link LanguageModel} (serializable). */
export interface LanguageModelConfig {
  /** Words by id. */
  vocabulary: string[];
  /**
   * `window`: predict the next word from the previous `window` words only (Listing 4-4's 3-word
   * input, softmax on the last step). `full`: predict at every step from the whole history
   * (softmax at every step; training on chunks of `sequenceLength`).
   * @default 'window'
   */
  mode?: 'window' | 'full';
  /** Words of context in `window` mode. @default 3 */
  window?: number;
  /** Words per training segment in `full` mode (the truncated-BPTT length). @default 32 */
  sequenceLength?: number;
  /** @default 'lstm' */
  cell?: CellType;
  /** Stacked layers (Listing 4-4: 2). @default 2 */
  layers?: number;
  /** Units per layer (Listing 4-4: 512). @default 512 */
  units?: number;
  /** 0 = one-hot input (W_xh is the embedding, the chapter's setup); > 0 = a learned embedding of that size. @default 0 */
  embeddingSize?: number;
  /** Truncated BPTT window in `full` mode, 0 = full. @default 0 */
  truncate?: number;
  /** @default 1 */
  seed?: number;
}

/** The chapter's tokenization for Listing 4-4: lower-case, split on whitespace. */
export function tokenizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** Words by descending frequency, ties by first occurrence (Listing 4-4's `Counter.most_common`). */
export function buildVocabulary(tokens: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
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

/**
 * Word-level recurrent language model (Listing 4-4): one-hot (or embedded) words through stacked
 * LSTM/GRU/RNN layers, softmax over the vocabulary; next-word prediction, sentence completion with
 * greedy / temperature / top-k sampling, perplexity.
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
  private readonly p: MatmulProvider;

  constructor(
    config: LanguageModelConfig,
    provider: MatmulProvider = SimdProvider.shared() ?? new TfjsProvider(),
  ) {
    const fn = 'LanguageModel';
    if (config == null || !Array.isArray(config.vocabulary) || config.vocabulary.length < 2)
      throw new InvalidArgumentError('vocabulary', fn, 'an array of at least 2 words', config?.vocabulary);
    this.config = {
      vocabulary: [...config.vocabulary],
      mode: assertOneOf(config.mode ?? 'window', ['window', 'full'], 'mode', fn),
      window: assertInteger(config.window ?? 3, 'window', fn, 1),
      sequenceLength: assertInteger(config.sequenceLength ?? 32, 'sequenceLength', fn, 1),
      cell: config.cell ?? 'lstm',
      layers: assertInteger(config.layers ?? 2, 'layers', fn, 1),
      units: assertInteger(config.units ?? 512, 'units', fn, 1),
      embeddingSize: assertInteger(config.embeddingSize ?? 0, 'embeddingSize', fn, 0),
      truncate: assertInteger(config.truncate ?? 0, 'truncate', fn, 0),
      seed: assertInteger(config.seed ?? 1, 'seed', fn, 0, 2 ** 31),
    };
    this.index = new Map(this.config.vocabulary.map((w, i) => [w, i]));
    if (this.index.size !== this.config.vocabulary.length)
      throw new InvalidArgumentError('vocabulary', fn, 'distinct words', config.vocabulary);
    const V = this.config.vocabulary.length;
    const E = this.config.embeddingSize;
    this.embedding =
      E > 0
        ? variableFrom(tf.tensor2d(glorotUniform(V, E, new Random(this.config.seed + 55)), [V, E]))
        : null;
    this.encoder = createEncoder({
      cell: this.config.cell,
      inputSize: E > 0 ? E : V,
      units: this.config.units,
      layers: this.config.layers,
      truncate: this.config.truncate,
      seed: this.config.seed,
    });
    this.head = new SoftmaxHead(this.encoder.outputSize, V, this.config.seed + 101);
    this.p = provider;
  }

  /** A model whose vocabulary is built from `tokens` (by frequency). */
  static fromTokens(
    tokens: readonly string[],
    config: Omit<LanguageModelConfig, 'vocabulary'> = {},
  ): LanguageModel {
    return new LanguageModel({ ...config, vocabulary: buildVocabulary(tokens) });
  }

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
      'head/kernel',
      'head/bias',
    ];
  }

  /** Word ids of tokens; unknown words throw, naming the first one. */
  encode(tokens: readonly string[], argument = 'tokens', fn = 'encode'): Int32Array {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = this.index.get(tokens[i]);
      if (id === undefined)
        throw new InvalidArgumentError(
          argument,
          fn,
          'words of the model vocabulary',
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
   * continuing from `initialState` (the states the previous segment ended in).
   */
  computeGradients(
    ids: Int32Array,
    starts: ArrayLike<number>,
    options: { steps?: number; initialState?: Floats[] | null } = {},
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
    const run = this.encoder.forwardRaw(this.p, this.input(x), steps, B, {
      keep: true,
      initialState: options.initialState ?? null,
    });
    const rows = full ? steps * B : B;
    const head = this.head.lossAndGradients(this.p, full ? run.outputs : run.last, rows, y);
    const enc = this.encoder.backwardRaw(
      this.p,
      run.tape,
      full ? { dOutputs: head.dInput } : { dLast: head.dInput },
      {
        inputGradient: this.embedding !== null,
      },
    );
    const grads = [...enc.grads, ...head.grads];
    if (this.embedding) {
      // The embedding lookup's gradient scatters ∂C/∂x_t back to each word's row.
      const E = this.config.embeddingSize;
      const dE = this.p.alloc(this.config.vocabulary.length * E);
      const dx = enc.dInput as Floats;
      for (let r = 0; r < x.length; r++) for (let e = 0; e < E; e++) dE[x[r] * E + e] += dx[r * E + e];
      grads.unshift(dE);
    }
    return { loss: head.loss, correct: head.correct, count: rows, grads, final: run.final };
  }

  /**
   * Trains on a token stream (words or ids). Window mode: an epoch visits every window once in a
   * shuffled order. Full mode: the stream is cut into `batchSize` parallel streams read
   * `sequenceLength` words at a time, each batch starting from the states the previous one ended in
   * (truncated BPTT at batch boundaries), so the model learns to use the whole history.
   * Listing 4-4 used RMSProp 1e-3 with batch 1 for 50,000 steps; mini-batches with Adam reach the same
   * training accuracy in far fewer steps.
   */
  async fit(tokens: readonly string[] | Int32Array, options: FitOptions = {}): Promise<FitResult> {
    const ids = tokens instanceof Int32Array ? tokens : this.encode(tokens, 'tokens', 'fit');
    const batchSize = assertInteger(options.batchSize ?? 32, 'batchSize', 'fit', 1);
    if (this.config.mode === 'full') return this.fitFull(ids, batchSize, options);
    const n = ids.length - this.config.window;
    if (n < 1)
      throw new InvalidArgumentError('tokens', 'fit', `more than ${this.config.window} words`, ids.length);
    const batches = Math.ceil(n / batchSize);
    let order: Int32Array | null = null;
    let orderEpoch = -1;
    return trainLoop('fit', options, batches, (epoch, b, optimizer) => {
      if (orderEpoch !== epoch) {
        order = epochOrder(n, options.seed ?? 1, epoch);
        orderEpoch = epoch;
      }
      const starts = (order as Int32Array).subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const { loss, correct, count, grads } = this.computeGradients(ids, starts);
      applyGradients(optimizer, this.variables, grads, options);
      return { loss, correct, count };
    });
  }

  private fitFull(ids: Int32Array, batchSize: number, options: FitOptions): Promise<FitResult> {
    if (ids.length < 2) throw new InvalidArgumentError('tokens', 'fit', 'at least 2 words', ids.length);
    const streams = Math.max(1, Math.min(batchSize, Math.floor((ids.length - 1) / 2)));
    const streamLength = Math.floor((ids.length - 1) / streams);
    const L = Math.min(this.config.sequenceLength, streamLength);
    const batches = Math.floor(streamLength / L);
    const startsOf = (b: number) => Int32Array.from({ length: streams }, (_, s) => s * streamLength + b * L);
    let carried: Floats[] | null = null;
    let carriedBatch = -1;
    return trainLoop('fit', options, batches, (_epoch, b, optimizer) => {
      if (b === 0) carried = null;
      else if (carriedBatch !== b - 1) {
        // Resumed mid-epoch: rebuild the carried states by reading the earlier segments (forward only).
        carried = null;
        for (let k = 0; k < b; k++) carried = this.readSegment(ids, startsOf(k), L, carried);
      }
      const r = this.computeGradients(ids, startsOf(b), { steps: L, initialState: carried });
      applyGradients(optimizer, this.variables, r.grads, options);
      carried = r.final;
      carriedBatch = b;
      return r;
    });
  }

  private readSegment(
    ids: Int32Array,
    starts: Int32Array,
    steps: number,
    initialState: Floats[] | null,
  ): Floats[] {
    const B = starts.length;
    const x = new Int32Array(steps * B);
    for (let b = 0; b < B; b++) for (let t = 0; t < steps; t++) x[t * B + b] = ids[starts[b] + t];
    return this.encoder.forwardRaw(this.p, this.input(x), steps, B, { initialState }).final;
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
   * Next-word loss, perplexity and accuracy on a token stream: window mode predicts every word from
   * the `window` words before it; full mode reads the stream as one sequence and predicts every word
   * from the whole history.
   */
  evaluate(tokens: readonly string[] | Int32Array, batchSize = 256): LanguageModelEvaluation {
    const ids = tokens instanceof Int32Array ? tokens : this.encode(tokens, 'tokens', 'evaluate');
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
    if (this.config.mode === 'full') {
      if (ids.length < 2)
        throw new InvalidArgumentError('tokens', 'evaluate', 'at least 2 words', ids.length);
      const { logits } = this.logitsOf(ids.subarray(0, ids.length - 1), ids.length - 1, 1, null, true);
      for (let t = 0; t < ids.length - 1; t++) score(logits, t, ids[t + 1]);
    } else {
      const W = this.config.window;
      const n = ids.length - W;
      if (n < 1) throw new InvalidArgumentError('tokens', 'evaluate', `more than ${W} words`, ids.length);
      for (let s = 0; s < n; s += batchSize) {
        const starts = Int32Array.from({ length: Math.min(batchSize, n - s) }, (_, i) => s + i);
        const { x, y } = this.windows(ids, starts);
        const { logits } = this.logitsOf(x, W, starts.length);
        for (let b = 0; b < starts.length; b++) score(logits, b, y[b]);
      }
    }
    const loss = nll / count;
    return { loss, perplexity: Math.exp(loss), accuracy: correct / count, count };
  }

  /** Perplexity `exp(−(1/N) Σ log P(w_i | history))` of a token stream (see {@link evaluate}). */
  perplexity(tokens: readonly string[] | Int32Array): number {
    return this.evaluate(tokens).perplexity;
  }

  /**
   * Sentence completion (Listing 4-4): appends `words` predicted words to `prompt`, each predicted from
   * the last `window` words (window mode) or the whole history (full mode). Greedy by default;
   * temperature / top-k sampling draws from a generator seeded with `seed`.
   */
  complete(prompt: string | readonly string[], options: CompleteOptions = {}): string[] {
    const words = assertInteger(options.words ?? 28, 'words', 'complete', 0);
    const tokens = typeof prompt === 'string' ? tokenizeWords(prompt) : [...prompt];
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
