import { instantiateSimd, type SimdKernels } from '../../simd/simd-module.js';
import { type EngineState, type KernelResult, trainSentences } from './kernel.js';
import { trainSentencesSimd } from './kernel-simd.js';

// Kept apart from the trainer so that worker threads load only the kernels (not tfjs-core).

/**
 * The kernel bound to its scratch vectors for thread `thread`: the SIMD one when the state lives in a
 * WebAssembly memory, else the plain JS one.
 */
export function createRunner(
  state: EngineState,
  thread: number,
  shared: boolean,
): (from: number, to: number, alphaFrom: number, alphaTo: number, rng: number) => KernelResult {
  const d = state.dim;
  if (state.memory && state.scratch !== undefined) {
    const kernels: SimdKernels = instantiateSimd(state.memory, shared);
    const base = state.scratch + thread * 8 * d;
    const scratch = {
      sentence: new Int32Array(1024),
      neu1: new Float32Array(state.memory.buffer, base, d),
      neu1e: new Float32Array(state.memory.buffer, base + 4 * d, d),
    };
    return (from, to, a0, a1, rng) => trainSentencesSimd(state, from, to, a0, a1, rng, scratch, kernels);
  }
  const scratch = { sentence: new Int32Array(1024), neu1: new Float32Array(d), neu1e: new Float32Array(d) };
  return (from, to, a0, a1, rng) => trainSentences(state, from, to, a0, a1, rng, scratch);
}
