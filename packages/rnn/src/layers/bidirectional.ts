import { assertOneOf, InvalidArgumentError } from '@wordloom/core';
import type { Floats, MatmulProvider } from '../bptt/matmul-provider.js';
import { reverseTime, type SequenceInput } from '../bptt/sequence-input.js';
import type {
  SequenceBackward,
  SequenceForward,
  SequenceForwardOptions,
  SequenceLayer,
  SequenceUpstream,
} from './sequence-layer.js';
import { subSeed } from './sequence-layer.js';

/** How the two directions' outputs combine. */
export type MergeMode = 'concat' | 'sum' | 'average';

/** Options of {@link Bidirectional}. */
export interface BidirectionalOptions {
  /** `concat` is the chapter's `[→h_t; ←h_t]`. @default 'concat' */
  mergeMode?: MergeMode;
}

interface BiTape {
  forward: unknown;
  backward: unknown;
  steps: number;
  batch: number;
  mask: Uint8Array | null;
}

/**
 * The chapter's bidirectional RNN: `→h_t = f(→W_xh x_t + →W_hh →h_{t−1} + →b)`,
 * `←h_t = f(←W_xh x_t + ←W_hh ←h_{t+1} + ←b)`, output `[→h_t; ←h_t]` (or their sum / average). The
 * backward layer runs on the time-reversed batch; with a mask, post-padding becomes leading padding
 * that it skips. Its `last` output is `[→h_T; ←h_1]`, as in Keras.
 */
export class Bidirectional implements SequenceLayer {
  readonly mergeMode: MergeMode;

  constructor(
    readonly forwardLayer: SequenceLayer,
    readonly backwardLayer: SequenceLayer,
    options: BidirectionalOptions = {},
  ) {
    this.mergeMode = assertOneOf(
      options.mergeMode ?? 'concat',
      ['concat', 'sum', 'average'],
      'mergeMode',
      'Bidirectional',
    );
    if (
      forwardLayer.outputSize !== backwardLayer.outputSize ||
      forwardLayer.inputSize !== backwardLayer.inputSize
    )
      throw new InvalidArgumentError(
        'backwardLayer',
        'Bidirectional',
        `a layer of the same input and output sizes as the forward layer (${forwardLayer.inputSize} → ${forwardLayer.outputSize})`,
        `${backwardLayer.inputSize} → ${backwardLayer.outputSize}`,
      );
  }

  get inputSize(): number {
    return this.forwardLayer.inputSize;
  }

  get outputSize(): number {
    return this.mergeMode === 'concat' ? 2 * this.forwardLayer.outputSize : this.forwardLayer.outputSize;
  }

  get stateSizes(): number[] {
    return [...this.forwardLayer.stateSizes, ...this.backwardLayer.stateSizes];
  }

  get variables() {
    return [...this.forwardLayer.variables, ...this.backwardLayer.variables];
  }

  get variableNames(): string[] {
    return [
      ...this.forwardLayer.variableNames.map((n) => `forward/${n}`),
      ...this.backwardLayer.variableNames.map((n) => `backward/${n}`),
    ];
  }

  forwardRaw(
    p: MatmulProvider,
    input: SequenceInput,
    steps: number,
    batch: number,
    options: SequenceForwardOptions = {},
  ): SequenceForward {
    const nf = this.forwardLayer.stateSizes.length;
    const init = options.initialState ?? null;
    const fwd = this.forwardLayer.forwardRaw(p, input, steps, batch, {
      ...options,
      initialState: init?.slice(0, nf) ?? null,
      training: options.training ? { seed: subSeed(options.training.seed, 0) } : null,
    });
    const reversedInput = reverseInput(input, steps, batch);
    const mask = options.mask ? reverseTime(options.mask, steps, batch) : null;
    const bwd = this.backwardLayer.forwardRaw(p, reversedInput, steps, batch, {
      ...options,
      mask,
      initialState: init?.slice(nf) ?? null,
      training: options.training ? { seed: subSeed(options.training.seed, 1) } : null,
    });
    const H = this.forwardLayer.outputSize;
    const outputs = this.merge(p, fwd.outputs, reverseTime(bwd.outputs, steps, batch * H), steps * batch, H);
    // Padded steps output zeros (Keras' zero_output_for_mask, PyTorch's padded packed sequences), not
    // [last forward state, 0].
    if (options.mask) zeroMasked(outputs, options.mask, this.outputSize);
    const last = this.merge(p, fwd.last, bwd.last, batch, H);
    return {
      outputs,
      last,
      final: [...fwd.final, ...bwd.final],
      tape: options.keep
        ? ({
            forward: fwd.tape,
            backward: bwd.tape,
            steps,
            batch,
            mask: options.mask ?? null,
          } satisfies BiTape)
        : null,
    };
  }

  backwardRaw(
    p: MatmulProvider,
    tape: unknown,
    upstream: SequenceUpstream,
    options: { inputGradient?: boolean } = {},
  ): SequenceBackward {
    const { forward, backward, steps, batch, mask } = tape as BiTape;
    const H = this.forwardLayer.outputSize;
    const nf = this.forwardLayer.stateSizes.length;
    let dOutputs = upstream.dOutputs ?? null;
    if (dOutputs && mask) {
      // Constant zeros at padded steps: no gradient flows from there.
      dOutputs = dOutputs.slice();
      zeroMasked(dOutputs, mask, this.outputSize);
    }
    const dOut = dOutputs ? this.split(p, dOutputs, steps * batch, H) : null;
    const dLast = upstream.dLast ? this.split(p, upstream.dLast, batch, H) : null;
    const dFinal = upstream.dFinal ?? [];
    const gf = this.forwardLayer.backwardRaw(
      p,
      forward,
      { dOutputs: dOut?.[0] ?? null, dLast: dLast?.[0] ?? null, dFinal: dFinal.slice(0, nf) },
      options,
    );
    const gb = this.backwardLayer.backwardRaw(
      p,
      backward,
      {
        dOutputs: dOut ? reverseTime(dOut[1], steps, batch * H) : null,
        dLast: dLast?.[1] ?? null,
        dFinal: dFinal.slice(nf),
      },
      options,
    );
    let dInput: Floats | null = null;
    if (gf.dInput && gb.dInput) {
      dInput = gf.dInput;
      const back = reverseTime(gb.dInput, steps, batch * this.inputSize);
      for (let i = 0; i < dInput.length; i++) dInput[i] += back[i];
    }
    return { dInput, dInitial: [...gf.dInitial, ...gb.dInitial], grads: [...gf.grads, ...gb.grads] };
  }

  private merge(p: MatmulProvider, a: Floats, b: Floats, rows: number, H: number): Floats {
    if (this.mergeMode === 'concat') {
      const out = p.alloc(rows * 2 * H);
      for (let r = 0; r < rows; r++) {
        out.set(a.subarray(r * H, (r + 1) * H), r * 2 * H);
        out.set(b.subarray(r * H, (r + 1) * H), r * 2 * H + H);
      }
      return out;
    }
    const scale = this.mergeMode === 'average' ? 0.5 : 1;
    const out = p.alloc(rows * H);
    for (let i = 0; i < out.length; i++) out[i] = scale * (a[i] + b[i]);
    return out;
  }

  private split(p: MatmulProvider, d: Floats, rows: number, H: number): [Floats, Floats] {
    if (this.mergeMode === 'concat') {
      const a = p.alloc(rows * H);
      const b = p.alloc(rows * H);
      for (let r = 0; r < rows; r++) {
        a.set(d.subarray(r * 2 * H, r * 2 * H + H), r * H);
        b.set(d.subarray(r * 2 * H + H, (r + 1) * 2 * H), r * H);
      }
      return [a, b];
    }
    const scale = this.mergeMode === 'average' ? 0.5 : 1;
    const a = p.alloc(rows * H);
    for (let i = 0; i < a.length; i++) a[i] = scale * d[i];
    return [a, a.slice()];
  }

  dispose(): void {
    this.forwardLayer.dispose();
    this.backwardLayer.dispose();
  }
}

function reverseInput(input: SequenceInput, steps: number, batch: number): SequenceInput {
  return input.kind === 'dense'
    ? {
        kind: 'dense',
        data: reverseTime(input.data, steps, batch * input.features),
        features: input.features,
      }
    : { kind: 'ids', ids: reverseTime(input.ids, steps, batch), vocab: input.vocab };
}

/** Zeros the rows (`width` values each) of a time-major `T·B` buffer whose mask entry is 0. */
function zeroMasked(data: Floats, mask: Uint8Array, width: number): void {
  for (let r = 0; r < mask.length; r++) if (mask[r] === 0) data.fill(0, r * width, (r + 1) * width);
}
