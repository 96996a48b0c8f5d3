import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@wordloom/core';
import { type Floats, type MatmulProvider, TfjsProvider } from '../bptt/matmul-provider.js';
import { backpropCell, runCell } from '../bptt/run-cell.js';
import type { RecurrentCell } from '../cells/cell.js';

/**
 * The chapter's vanishing/exploding-gradient quantity made measurable: for one input sequence
 * `x` (`[T, D]`), the Frobenius norms `‖∂h_T/∂h_k‖` for k = 0 … T (h_0 the initial state, h_T the
 * last), i.e. how much of the error at the last step reaches step k (eqs. 4.2.13 and (1) of the
 * vanishing-gradient section: a product of T − k Jacobians `diag(f′(z_g)) · W_hhᵀ`). Computed exactly
 * with one explicit BPTT pass over H copies of the sequence, seeding copy i with the unit vector e_i.
 * Element k = T is √H (the identity). For an LSTM the path runs through h and c (c_k held fixed).
 */
export function hiddenJacobianNorms(
  cell: RecurrentCell,
  x: tf.Tensor | Float32Array,
  options: { initialState?: Float32Array[]; provider?: MatmulProvider } = {},
): Float64Array {
  const D = cell.inputSize;
  const H = cell.units;
  const data = x instanceof Float32Array ? x : (x.dataSync() as Float32Array);
  if (data.length === 0 || data.length % D !== 0)
    throw new InvalidArgumentError(
      'x',
      'hiddenJacobianNorms',
      `a [steps, ${D}] sequence`,
      x instanceof Float32Array ? x : `shape [${x.shape}]`,
    );
  const T = data.length / D;
  const p = options.provider ?? new TfjsProvider();
  // Time-major T × H × D: the same sequence in every one of the H batch rows.
  const input = p.alloc(T * H * D);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < H; b++) input.set(data.subarray(t * D, (t + 1) * D), (t * H + b) * D);
  const initialState = options.initialState?.map((s) => {
    const rep = p.alloc(H * H);
    for (let b = 0; b < H; b++) rep.set(s, b * H);
    return rep;
  });
  const run = runCell(p, cell, { kind: 'dense', data: input, features: D }, T, H, {
    keep: true,
    initialState,
  });
  const seed = p.alloc(H * H);
  for (let i = 0; i < H; i++) seed[i * H + i] = 1;
  const norms = new Float64Array(T + 1);
  norms[T] = Math.sqrt(H);
  backpropCell(p, run.tape as NonNullable<typeof run.tape>, null, [seed], {
    onStep: (t: number, d: Floats[]) => {
      let sq = 0;
      for (let i = 0; i < d[0].length; i++) sq += d[0][i] * d[0][i];
      norms[t] = Math.sqrt(sq);
    },
  });
  return norms;
}
