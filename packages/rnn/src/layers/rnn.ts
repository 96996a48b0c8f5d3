import { assertInteger, InvalidArgumentError, Random } from '@wordloom/core';
import type { Floats, MatmulProvider } from '../bptt/matmul-provider.js';
import { backpropCell, type CellDropout, type CellTape, runCell } from '../bptt/run-cell.js';
import type { SequenceInput } from '../bptt/sequence-input.js';
import type { RecurrentCell } from '../cells/cell.js';
import type {
  SequenceBackward,
  SequenceForward,
  SequenceForwardOptions,
  SequenceLayer,
  SequenceUpstream,
} from './sequence-layer.js';

/** Options of {@link Rnn}. */
export interface RnnOptions {
  /**
   * Truncated BPTT: gradients flow back at most within consecutive windows of this many steps
   * (0 = full BPTT). States still flow across windows in the forward pass.
   * @default 0
   */
  truncate?: number;
  /**
   * Fraction p of the input features dropped in training (Keras `dropout`): one mask per sequence,
   * `x_t ⊙ m / (1 − p)` at every step; for token-id input the mask is over the vocabulary (a word's
   * one-hot input is dropped for the whole sequence). Off at inference.
   * @default 0
   */
  dropout?: number;
  /**
   * Fraction p of h_{t−1} dropped where it enters the recurrent products (Keras `recurrent_dropout`,
   * Gal & Ghahramani's variational RNN dropout): one mask per sequence for every step. Off at inference.
   * @default 0
   */
  recurrentDropout?: number;
}

/** Throws unless `value` is a dropout fraction in [0, 1); returns it. */
export function assertDropoutRate(value: unknown, argument: string, fn: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1))
    throw new InvalidArgumentError(argument, fn, 'a fraction p with 0 <= p < 1', value);
  return value;
}

/** `B·n` factors 0 or 1/(1−p), Bernoulli(1−p) from `random`. */
function dropoutMask(n: number, rate: number, random: Random): Float32Array {
  const keep = 1 - rate;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = random.next() < keep ? 1 / keep : 0;
  return out;
}

/** A uniform [0, 1) hash of (seed, sequence, token): the one-hot input mask without a `B × V` array. */
function tokenUniform(seed: number, b: number, id: number): number {
  let h = Math.imul(seed ^ Math.imul(b + 1, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(id + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * One recurrent cell run over a sequence `[batch, time, features]` (the chapter's unrolled RNN,
 * Figure 4-11), with explicit BPTT. Use {@link sequenceApply} / {@link sequenceCall} for tensors.
 */
export class Rnn implements SequenceLayer {
  readonly truncate: number;
  readonly dropout: number;
  readonly recurrentDropout: number;

  constructor(
    readonly cell: RecurrentCell,
    options: RnnOptions = {},
  ) {
    this.truncate = assertInteger(options.truncate ?? 0, 'truncate', 'Rnn', 0);
    this.dropout = assertDropoutRate(options.dropout ?? 0, 'dropout', 'Rnn');
    this.recurrentDropout = assertDropoutRate(options.recurrentDropout ?? 0, 'recurrentDropout', 'Rnn');
  }

  /** The masks of one training pass (null at inference or without dropout). */
  private masks(input: SequenceInput, steps: number, batch: number, seed: number): CellDropout | null {
    if (this.dropout === 0 && this.recurrentDropout === 0) return null;
    const random = new Random(seed);
    const out: { input?: Floats; rows?: Floats; recurrent?: Floats } = {};
    if (this.dropout > 0) {
      if (input.kind === 'dense') out.input = dropoutMask(batch * input.features, this.dropout, random);
      else {
        const keep = 1 - this.dropout;
        const s = random.nextUint32();
        out.rows = Float32Array.from({ length: steps * batch }, (_, r) =>
          tokenUniform(s, r % batch, input.ids[r]) < keep ? 1 / keep : 0,
        );
      }
    }
    if (this.recurrentDropout > 0)
      out.recurrent = dropoutMask(batch * this.cell.units, this.recurrentDropout, random);
    return out;
  }

  get inputSize(): number {
    return this.cell.inputSize;
  }

  get outputSize(): number {
    return this.cell.units;
  }

  get stateSizes(): number[] {
    return Array.from({ length: this.cell.stateCount }, () => this.cell.units);
  }

  get variables() {
    return this.cell.variables;
  }

  get variableNames(): string[] {
    return this.cell.variableNames;
  }

  forwardRaw(
    p: MatmulProvider,
    input: SequenceInput,
    steps: number,
    batch: number,
    options: SequenceForwardOptions = {},
  ): SequenceForward {
    const dropout = options.training ? this.masks(input, steps, batch, options.training.seed) : null;
    const run = runCell(p, this.cell, input, steps, batch, { ...options, dropout });
    return { outputs: run.outputs, last: run.final[0], final: run.final, tape: run.tape };
  }

  backwardRaw(
    p: MatmulProvider,
    tape: unknown,
    upstream: SequenceUpstream,
    options: { inputGradient?: boolean } = {},
  ): SequenceBackward {
    const dFinal = [...(upstream.dFinal ?? [])];
    if (upstream.dLast) {
      // The last output is the final h: their gradients add.
      const dh = upstream.dLast.slice();
      const extra = dFinal[0];
      if (extra) for (let i = 0; i < dh.length; i++) dh[i] += extra[i];
      dFinal[0] = dh;
    }
    return backpropCell(p, tape as CellTape, upstream.dOutputs ?? null, dFinal, {
      inputGradient: options.inputGradient,
      window: this.truncate,
    });
  }

  dispose(): void {
    this.cell.dispose();
  }
}
