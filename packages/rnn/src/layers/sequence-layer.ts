import type * as tf from '@tensorflow/tfjs-core';
import type { Floats, MatmulProvider } from '../bptt/matmul-provider.js';
import type { SequenceInput } from '../bptt/sequence-input.js';

/** Options of a forward pass on raw time-major buffers. */
export interface SequenceForwardOptions {
  /** Initial states, `B × H` each, in {@link SequenceLayer.stateSizes} order. @default zeros */
  initialState?: Floats[] | null;
  /** Time-major `T × B`, 1 = real step, 0 = padding. @default null (no masking) */
  mask?: Uint8Array | null;
  /** Keep what the backward pass needs. @default false */
  keep?: boolean;
  /**
   * Training pass: draw the layers' dropout masks from this seed (each layer and direction derives
   * its own stream, so equal seeds give equal masks — gradient checks and exact resumes rely on it).
   * Null = inference: no dropout, deterministic output.
   * @default null
   */
  training?: { seed: number } | null;
}

/** A seed for sub-layer `index` of a layer trained with `seed` (stacked layers, directions). */
export function subSeed(seed: number, index: number): number {
  let h = Math.imul((seed ^ 0x2545f491) >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A forward pass on raw buffers. */
export interface SequenceForward {
  /** Output at every step, time-major `T × B × O`. */
  readonly outputs: Floats;
  /** The output a `returnSequences: false` layer returns, `B × O`. */
  readonly last: Floats;
  /** Final states, `B × H` each. */
  readonly final: Floats[];
  /** Opaque record for {@link SequenceLayer.backwardRaw}; null unless `keep`. */
  readonly tape: unknown;
}

/** Gradients of a backward pass on raw buffers. */
export interface SequenceBackward {
  /** ∂C/∂input, time-major `T × B × D`; null when not requested or the input is token ids. */
  readonly dInput: Floats | null;
  /** ∂C/∂(initial states). */
  readonly dInitial: Floats[];
  /** ∂C/∂(each of `variables`), flat. */
  readonly grads: Floats[];
}

/** Upstream gradients for {@link SequenceLayer.backwardRaw}; any may be omitted (zero). */
export interface SequenceUpstream {
  /** ∂C/∂outputs, time-major `T × B × O`. */
  dOutputs?: Floats | null;
  /** ∂C/∂last, `B × O`. */
  dLast?: Floats | null;
  /** ∂C/∂(final states). */
  dFinal?: (Floats | null)[];
}

/**
 * What recurrent layers (one cell over time, stacks, bidirectional pairs) share: a forward pass that
 * keeps a tape and an explicit backward pass, both on time-major typed arrays with the matrix
 * products on a {@link MatmulProvider}. Models compose these; `toTensor` APIs wrap them.
 */
export interface SequenceLayer {
  readonly inputSize: number;
  /** Features of each output step (2H for a concatenating bidirectional layer). */
  readonly outputSize: number;
  /** Sizes of the states, in order (e.g. `[H, H]` for an LSTM, doubled for bidirectional). */
  readonly stateSizes: number[];
  /** Trainable variables in a fixed order. */
  readonly variables: tf.Variable[];
  /** Stable names of {@link variables} (checkpoints), e.g. `layer0/forward/kernel`. */
  readonly variableNames: string[];
  forwardRaw(
    p: MatmulProvider,
    input: SequenceInput,
    steps: number,
    batch: number,
    options?: SequenceForwardOptions,
  ): SequenceForward;
  backwardRaw(
    p: MatmulProvider,
    tape: unknown,
    upstream: SequenceUpstream,
    options?: { inputGradient?: boolean },
  ): SequenceBackward;
  dispose(): void;
}
