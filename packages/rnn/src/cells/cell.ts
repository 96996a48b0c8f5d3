import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertOneOf, InvalidArgumentError, Random } from '@wordloom/core';
import type { Floats, MatmulProvider, MatrixHandle, SequenceProjection } from '../bptt/matmul-provider.js';
import { INITIALIZERS, type InitializerName, initialize } from '../init/initializers.js';
import { variableFrom } from './variable-from.js';

/** Options every cell accepts. */
export interface CellOptions {
  /** Features per time step (D). */
  inputSize: number;
  /** Hidden units (n in the chapter). */
  units: number;
  /** Initializer of the input kernel W_xh. @default 'glorotUniform' */
  kernelInitializer?: InitializerName;
  /** Initializer of the recurrent kernel W_hh. @default 'orthogonal' */
  recurrentInitializer?: InitializerName;
  /** Scale of the recurrent initializer (orthogonal / identity). @default 1 */
  recurrentGain?: number;
  /**
   * Seed of the initializers.
   * @default the next of 1, 2, 3, … in the order cells are built without a seed (as PyTorch's global
   * generator: repeatable for a given program, and two cells built alike still differ — a hand-built
   * `Bidirectional` does not start with both directions equal)
   */
  seed?: number;
}

let nextDefaultSeed = 1;

/** The serializable description of a cell (checkpoints). */
export interface CellConfig {
  type: 'simpleRnn' | 'lstm' | 'gru';
  inputSize: number;
  units: number;
  activation?: 'tanh' | 'relu' | 'sigmoid';
  resetAfter?: boolean;
}

/** Per-call weights: the variables as matrices of the provider. */
export interface PreparedWeights {
  kernel: MatrixHandle;
  recurrent: MatrixHandle;
  /** W_hhᵀ (or its blocks) for the backward pass; filled lazily. */
  recurrentT: MatrixHandle[] | null;
  bias: Floats;
  recurrentBias: Floats | null;
  /** Cell-specific column blocks of the recurrent kernel. */
  blocks: MatrixHandle[];
  /**
   * Set by the engine for the current step: the states entering it are zero (first step, no initial
   * state) and nothing needs their gradient, so recurrent products are known to be zero and skipped.
   */
  zeroState: boolean;
  /**
   * Variational recurrent dropout (Gal & Ghahramani 2016, Keras `recurrent_dropout`): one `B × H` mask
   * (0 or 1/(1−p)) per sequence multiplying h_{t−1} where it enters the recurrent products, at every
   * step; the state itself is carried unmasked. Null = off (inference).
   */
  recurrentMask: Floats | null;
}

/** What a cell keeps from the forward pass for the backward pass, all time-major. */
export interface CellCache {
  /** Post-activation gate values, `T × B × G·H`. */
  gates: Floats;
  /** Extra per-step buffer (LSTM tanh(c), GRU recurrent candidate part or r∗h), `T × B × H`. */
  extra: Floats | null;
}

/**
 * A recurrent cell: weights as tfjs Variables — `kernel` W_xh `[D, G·H]`, `recurrentKernel` W_hh
 * `[H, G·H]`, `bias` `[G·H]` — and the typed-array kernels of its forward step and its BPTT step.
 * G is the number of gate blocks (1 simple RNN, 4 LSTM, 3 GRU). Row-vector convention: the chapter's
 * `W_hh h_{t−1} + W_xh x_t` is `h_{t−1}·W_hh + x_t·W_xh` here, so one matmul serves all gates.
 */
export abstract class RecurrentCell {
  readonly inputSize: number;
  readonly units: number;
  /** Gate blocks G. */
  abstract readonly gates: number;
  /** 2 for LSTM (h and c), 1 otherwise. */
  abstract readonly stateCount: number;
  readonly kernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;
  /** GRU with reset after: the recurrent bias `[G·H]`; null otherwise. */
  recurrentBias: tf.Variable | null = null;

  protected constructor(options: CellOptions, gates: number, fn: string, initialBias?: Float32Array) {
    if (options == null || typeof options !== 'object')
      throw new InvalidArgumentError('options', fn, 'an object with inputSize and units', options);
    this.inputSize = assertInteger(options.inputSize, 'inputSize', fn, 1);
    this.units = assertInteger(options.units, 'units', fn, 1);
    const seed = assertInteger(options.seed ?? nextDefaultSeed++, 'seed', fn, -(2 ** 31), 2 ** 32 - 1);
    const kernelInit = assertOneOf(
      options.kernelInitializer ?? 'glorotUniform',
      INITIALIZERS,
      'kernelInitializer',
      fn,
    );
    const recurrentInit = assertOneOf(
      options.recurrentInitializer ?? 'orthogonal',
      INITIALIZERS,
      'recurrentInitializer',
      fn,
    );
    const gain = options.recurrentGain ?? 1;
    const random = new Random(seed);
    const { inputSize: d, units: h } = this;
    const gh = gates * h;
    if (kernelInit === 'identity' && gh % d !== 0)
      throw new InvalidArgumentError(
        'kernelInitializer',
        fn,
        'not identity unless G·units is a multiple of inputSize',
        kernelInit,
      );
    this.kernel = variableFrom(tf.tensor2d(initialize(kernelInit, d, gh, random), [d, gh]));
    this.recurrentKernel = variableFrom(tf.tensor2d(initialize(recurrentInit, h, gh, random, gain), [h, gh]));
    this.bias = variableFrom(tf.tensor1d(initialBias ?? new Float32Array(gh)));
  }

  /** The cell's trainable variables, in a fixed order. */
  get variables(): tf.Variable[] {
    const vars = [this.kernel, this.recurrentKernel, this.bias];
    if (this.recurrentBias) vars.push(this.recurrentBias);
    return vars;
  }

  /** Names of {@link variables}, in the same order. */
  get variableNames(): string[] {
    const names = ['kernel', 'recurrentKernel', 'bias'];
    if (this.recurrentBias) names.push('recurrentBias');
    return names;
  }

  /** Serializable description (checkpoints). */
  abstract getConfig(): CellConfig;

  /** Weights prepared for one forward/backward call. */
  prepare(p: MatmulProvider): PreparedWeights {
    const recurrent = p.matrix(this.recurrentKernel);
    return {
      kernel: p.matrix(this.kernel),
      recurrent,
      recurrentT: null,
      bias: p.vector(this.bias),
      recurrentBias: this.recurrentBias ? p.vector(this.recurrentBias) : null,
      blocks: this.recurrentBlocks(p, recurrent),
      zeroState: false,
      recurrentMask: null,
    };
  }

  /** Column blocks of W_hh the step multiplies separately (GRU reset-before); none by default. */
  protected recurrentBlocks(_p: MatmulProvider, _recurrent: MatrixHandle): MatrixHandle[] {
    return [];
  }

  /** Frees what {@link prepare} allocated. */
  release(p: MatmulProvider, w: PreparedWeights): void {
    for (const b of w.blocks) p.release(b);
    for (const t of w.recurrentT ?? []) p.release(t);
  }

  /** Buffers for a forward pass kept for BPTT. */
  createCache(p: MatmulProvider, steps: number, batch: number): CellCache {
    return { gates: p.alloc(steps * batch * this.gates * this.units), extra: null };
  }

  /**
   * One forward step for a batch: `xp` is `x_t·W_xh + b` (`B × G·H`), `prev` the states (`B × H`
   * each); returns the new states. Writes the gate values of step `t` into `cache` when given.
   */
  abstract step(
    p: MatmulProvider,
    w: PreparedWeights,
    t: number,
    batch: number,
    xp: Floats,
    prev: Floats[],
    cache: CellCache | null,
  ): Floats[];

  /**
   * One BPTT step: given `dNext` (∂C/∂h_t and, for LSTM, ∂C/∂c_t) and the states before the step,
   * writes ∂C/∂(pre-activations of the input part) into `dPreX` (`B × G·H`), the part multiplying W_hh
   * into `dPreH` (the same buffer unless GRU with reset after), and returns ∂C/∂(states at t−1): the
   * direct terms plus `dPreH · W_hhᵀ` (chapter eqs. 4.2.10–4.2.13, one step of the product).
   */
  abstract backStep(
    p: MatmulProvider,
    w: PreparedWeights,
    t: number,
    batch: number,
    dNext: Floats[],
    prev: Floats[],
    cache: CellCache,
    dPreX: Floats,
    dPreH: Floats,
  ): Floats[];

  /**
   * Runs every forward step at once where the provider can (no mask: the engine checks) from the input
   * projections `xp` (as {@link step} takes them, for all steps) or the dense input itself, filling blocks
   * 1…T of `states` (`(T+1) × B × H` each, block 0 the entering states) and `cache`, with the same
   * results as {@link step} one step at a time. `zeroFirst`: the entering states are zero. Returns false
   * (the default) when it cannot; the engine then calls {@link step} per step.
   */
  runSteps(
    _p: MatmulProvider,
    _w: PreparedWeights,
    _xp: Floats | SequenceProjection,
    _states: Floats[],
    _cache: CellCache | null,
    _steps: number,
    _batch: number,
    _zeroFirst: boolean,
  ): boolean {
    return false;
  }

  /**
   * Runs the whole BPTT recurrence at once where the provider can (no mask, no truncation window, no
   * per-step callback: the engine checks), with the same results as {@link backStep} per step: writes
   * `dPreX` and `dPreH` (`T × B × G·H`, the same buffer unless {@link separateRecurrentGrad}) and turns `d` (∂C/∂ the final states, `B × H` each, ∂C/∂h_t from above in
   * `dOutputs` added at each step) into ∂C/∂ the initial states. `zeroLast`: those are not needed (zero
   * states entered). Returns false (the default) when it cannot.
   */
  backSteps(
    _p: MatmulProvider,
    _w: PreparedWeights,
    _d: Floats[],
    _dOutputs: Floats | null,
    _states: Floats[],
    _cache: CellCache,
    _steps: number,
    _batch: number,
    _dPreX: Floats,
    _dPreH: Floats,
    _zeroLast: boolean,
  ): boolean {
    return false;
  }

  /**
   * Whether {@link step} adds `bias` itself (fused into its gate loop, saving a pass over `T·B·G·H`
   * values); otherwise the engine adds it to the input projections.
   */
  get fusedBias(): boolean {
    return false;
  }

  /** Whether `dPreH` differs from `dPreX` (then the engine keeps a separate buffer). */
  get separateRecurrentGrad(): boolean {
    return false;
  }

  /**
   * Whether ∂C/∂W_hh is the plain `hPrevᵀ · dPreX` of {@link recurrentGradient} (then the engine gets
   * ∂C/∂W_xh, ∂C/∂W_hh and ∂C/∂b from ONE product `[x_t | h_{t−1} | 1]ᵀ · dPre`).
   */
  get plainRecurrentGradient(): boolean {
    return !this.separateRecurrentGrad && this.recurrentBias === null;
  }

  /**
   * ∂C/∂W_hh from the whole sequence in one product per block: `hPrevᵀ · dPreH`, with `hPrev` the
   * `T·B × H` states entering each step (chapter eq. 4.2.12 summed over t in one matmul).
   */
  recurrentGradient(
    p: MatmulProvider,
    _w: PreparedWeights,
    hPrev: Floats,
    dPreH: Floats,
    _cache: CellCache,
    rows: number,
  ): Floats {
    return p.mulTransposeA(hPrev, this.units, dPreH, this.gates * this.units, rows);
  }

  /** `a · m`, or zeros without a matmul when the step's entering states are zero. */
  protected recur(p: MatmulProvider, w: PreparedWeights, a: Floats, batch: number, m: MatrixHandle): Floats {
    return w.zeroState ? p.alloc(batch * m.cols) : p.mul(a, batch, m);
  }

  /** h_{t−1} as the recurrent products see it: times the recurrent dropout mask when there is one. */
  protected recurrentInput(p: MatmulProvider, w: PreparedWeights, h: Floats): Floats {
    const m = w.recurrentMask;
    if (!m || w.zeroState) return h;
    const out = p.alloc(h.length);
    for (let i = 0; i < h.length; i++) out[i] = h[i] * m[i];
    return out;
  }

  /** ∂C/∂(masked h_{t−1}) → ∂C/∂h_{t−1}, in place: the mask is a constant factor. */
  protected maskRecurrentGradient(w: PreparedWeights, d: Floats): Floats {
    const m = w.recurrentMask;
    if (m) for (let i = 0; i < d.length; i++) d[i] *= m[i];
    return d;
  }

  /** `W_hhᵀ` (once per backward pass). */
  protected recurrentTranspose(p: MatmulProvider, w: PreparedWeights): MatrixHandle {
    w.recurrentT ??= [p.transpose(w.recurrent)];
    return w.recurrentT[0];
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Logistic sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * tanh through one `Math.exp` — about 1.6× faster than `Math.tanh` in V8 in the gate loops, exact to
 * float64 rounding (absolute error ≈ 1e-16; ±∞ saturate to ±1).
 */
export function tanh(x: number): number {
  return 1 - 2 / (Math.exp(2 * x) + 1);
}
