import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@wordloom/core';
import { type Floats, TfjsProvider } from '../bptt/matmul-provider.js';
import { type SequenceInput, toBatchMajor, toTimeMajor } from '../bptt/sequence-input.js';
import type { SequenceForward, SequenceLayer } from './sequence-layer.js';

/** Options of {@link sequenceCall} and {@link sequenceApply}. */
export interface SequenceTensorOptions {
  /** Return the output of every step `[B, T, O]` instead of the last `[B, O]`. @default false */
  returnSequences?: boolean;
  /** Initial states, `[B, H]` each, in the layer's `stateSizes` order. @default zeros */
  initialState?: tf.Tensor[];
  /** `[B, T]`, 1 for real steps and 0 for padding; padded steps carry the state forward. @default none */
  mask?: tf.Tensor | number[][];
}

interface Prepared {
  input: SequenceInput;
  batch: number;
  steps: number;
  mask: Uint8Array | null;
  initialState: Floats[] | null;
}

function prepare(layer: SequenceLayer, x: tf.Tensor, options: SequenceTensorOptions, fn: string): Prepared {
  if (!(x instanceof tf.Tensor) || x.rank !== 3 || x.shape[2] !== layer.inputSize)
    throw new InvalidArgumentError(
      'x',
      fn,
      `a tensor of shape [batch, time, ${layer.inputSize}]`,
      x instanceof tf.Tensor ? `shape [${x.shape}]` : x,
    );
  const [batch, steps, features] = x.shape as [number, number, number];
  const data = toTimeMajor(x.dataSync(), batch, steps, features, new Float32Array(batch * steps * features));
  let mask: Uint8Array | null = null;
  if (options.mask != null) {
    const m = options.mask instanceof tf.Tensor ? options.mask.dataSync() : options.mask.flat();
    if (m.length !== batch * steps)
      throw new InvalidArgumentError(
        'mask',
        fn,
        `a [${batch}, ${steps}] array of 0/1`,
        options.mask instanceof tf.Tensor ? `shape [${options.mask.shape}]` : options.mask,
      );
    mask = new Uint8Array(batch * steps);
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < steps; t++) mask[t * batch + b] = m[b * steps + t] ? 1 : 0;
  }
  let initialState: Floats[] | null = null;
  if (options.initialState) {
    const sizes = layer.stateSizes;
    if (options.initialState.length !== sizes.length)
      throw new InvalidArgumentError(
        'initialState',
        fn,
        `an array of ${sizes.length} tensors [batch, units]`,
        options.initialState,
      );
    initialState = options.initialState.map((s, i) => {
      if (s.size !== batch * sizes[i])
        throw new InvalidArgumentError(
          `initialState[${i}]`,
          fn,
          `a tensor of shape [${batch}, ${sizes[i]}]`,
          `shape [${s.shape}]`,
        );
      return s.dataSync() as Float32Array;
    });
  }
  return { input: { kind: 'dense', data, features }, batch, steps, mask, initialState };
}

function outputTensor(
  layer: SequenceLayer,
  run: SequenceForward,
  batch: number,
  steps: number,
  returnSequences: boolean,
): tf.Tensor {
  const O = layer.outputSize;
  if (!returnSequences) return tf.tensor2d(run.last as Float32Array, [batch, O]);
  return tf.tensor3d(
    toBatchMajor(run.outputs, batch, steps, O, new Float32Array(batch * steps * O)) as Float32Array,
    [batch, steps, O],
  );
}

/**
 * Runs a layer on a `[batch, time, features]` tensor without recording gradients: the output
 * (`[B, O]`, or `[B, T, O]` with `returnSequences`) and the final states (`returnState` in Keras terms).
 */
export function sequenceCall(
  layer: SequenceLayer,
  x: tf.Tensor,
  options: SequenceTensorOptions = {},
): { output: tf.Tensor; states: tf.Tensor[] } {
  const { input, batch, steps, mask, initialState } = prepare(layer, x, options, 'sequenceCall');
  const run = layer.forwardRaw(new TfjsProvider(), input, steps, batch, { mask, initialState });
  return {
    output: outputTensor(layer, run, batch, steps, options.returnSequences ?? false),
    states: run.final.map((s, i) => tf.tensor2d(s as Float32Array, [batch, layer.stateSizes[i]])),
  };
}

/**
 * Runs a layer on a `[batch, time, features]` tensor as one differentiable tfjs op whose gradient is
 * the layer's explicit BPTT (a `tf.customGrad`): the layer's variables, `x` and the initial states are
 * the op's inputs, so `tf.variableGrads`, `tf.grads` and `optimizer.minimize(() => loss(...))` work
 * as with any tfjs op — at the cost of a handful of large ops instead of thousands of small ones.
 */
export function sequenceApply(
  layer: SequenceLayer,
  x: tf.Tensor,
  options: SequenceTensorOptions = {},
): tf.Tensor {
  const vars = layer.variables;
  const states = options.initialState ?? [];
  const returnSequences = options.returnSequences ?? false;
  const op = tf.customGrad((...args: unknown[]) => {
    const inputs = args.slice(0, -1) as tf.Tensor[];
    const xs = inputs[0];
    const { input, batch, steps, mask, initialState } = prepare(
      layer,
      xs,
      { ...options, initialState: states.length ? inputs.slice(1, 1 + states.length) : undefined },
      'sequenceApply',
    );
    const p = new TfjsProvider();
    const run = layer.forwardRaw(p, input, steps, batch, { mask, initialState, keep: true });
    const value = outputTensor(layer, run, batch, steps, returnSequences);
    const gradFunc = (dy: tf.Tensor) => {
      const O = layer.outputSize;
      const d = dy.dataSync();
      const upstream = returnSequences
        ? { dOutputs: toTimeMajor(d, batch, steps, O, new Float32Array(batch * steps * O)) }
        : { dLast: Float32Array.from(d) };
      const g = layer.backwardRaw(p, run.tape, upstream, { inputGradient: true });
      const D = layer.inputSize;
      const dx = tf.tensor3d(
        toBatchMajor(
          g.dInput as Floats,
          batch,
          steps,
          D,
          new Float32Array(batch * steps * D),
        ) as Float32Array,
        [batch, steps, D],
      );
      const dStates = states.map((_, i) =>
        tf.tensor2d(g.dInitial[i] as Float32Array, [batch, layer.stateSizes[i]]),
      );
      const dVars = g.grads.map((gr, i) => tf.tensor(gr as Float32Array, vars[i].shape));
      return [dx, ...dStates, ...dVars];
    };
    return { value, gradFunc };
  });
  return op(x, ...states, ...vars) as tf.Tensor;
}
