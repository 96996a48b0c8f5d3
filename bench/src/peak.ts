import { KERNELS_WASM, KERNELS_WASM_RELAXED } from './generated/kernels.js';

/** A measured peak: GFLOP/s of one thread, and what instruction mix reached it. */
export interface Peak {
  gflops: number;
  /** `f32x4.mul + f32x4.add` or `f32x4.relaxed_madd (FMA)`. */
  kind: string;
}

/** The bench module's exports: the peak loop and rnn's sgemm (assembly/index.ts). */
export interface BenchKernels {
  peak(steps: number): number;
  sgemm(a: number, b: number, c: number, m: number, k: number, n: number, lda: number, o: number): void;
}

/**
 * The bench's kernels over `memory` (a fresh one-page memory when omitted): the relaxed-SIMD build with
 * `relaxed` — null where this runtime does not validate it.
 */
export function benchKernels(relaxed: boolean, memory?: WebAssembly.Memory): BenchKernels | null {
  const bytes = Uint8Array.from(atob(relaxed ? KERNELS_WASM_RELAXED : KERNELS_WASM), (c) => c.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const env = { memory: memory ?? new WebAssembly.Memory({ initial: 1 }) };
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env }).exports as unknown as BenchKernels;
}

function instantiate(base64: string): ((steps: number) => number) | null {
  const kernels = benchKernels(base64 === KERNELS_WASM_RELAXED);
  return kernels ? kernels.peak : null;
}

/** Best GFLOP/s of `repeats` runs of `steps` steps of bench/assembly/peak.ts (96 flops per step). */
function measure(peak: (steps: number) => number, steps: number, repeats: number): number {
  peak(Math.min(steps, 1e5));
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    peak(steps);
    best = Math.max(best, (96 * steps) / ((performance.now() - start) / 1000) / 1e9);
  }
  return best;
}

/**
 * The machine's f32x4 peak on this thread (one core): mul+add always, and relaxed-SIMD FMA when this
 * runtime validates it (Node 20 only behind `--experimental-wasm-relaxed-simd`; Chrome ≥ 114) — detected,
 * never required. `steps` of 96 flops each, best of `repeats`.
 */
export function measurePeaks(steps = 5e7, repeats = 5): { mulAdd: Peak; fma: Peak | null } {
  const plain = instantiate(KERNELS_WASM);
  if (!plain) throw new Error('this runtime has no WebAssembly SIMD');
  const relaxed = instantiate(KERNELS_WASM_RELAXED);
  return {
    mulAdd: { gflops: measure(plain, steps, repeats), kind: 'f32x4.mul + f32x4.add' },
    fma: relaxed ? { gflops: measure(relaxed, steps, repeats), kind: 'f32x4.relaxed_madd (FMA)' } : null,
  };
}
