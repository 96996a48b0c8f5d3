import { instantiateSimd } from '../../simd/simd-module.js';
import { type GloveState, gloveEpoch, gloveEpochSimd } from './glove-kernel.js';

// Kept apart from the trainer so that worker threads load only the kernels (not tfjs-core).

/** The epoch function for a state: SIMD when its weights live in a WebAssembly memory. */
export function gloveRunner(
  state: GloveState,
  shared: boolean,
): (from: number, to: number, eta: number) => number {
  if (state.memory) {
    const kernels = instantiateSimd(state.memory, shared);
    return (from, to, eta) => gloveEpochSimd(state, from, to, eta, kernels).cost;
  }
  return (from, to, eta) => gloveEpoch(state, from, to, eta, 0).cost;
}
