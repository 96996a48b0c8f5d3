import { KERNELS_WASM, KERNELS_WASM_SHARED } from '../generated/kernels.js';

/**
 * The WebAssembly SIMD module with the vector primitives of the word2vec and GloVe inner loops (gensim
 * gets them from BLAS sdot/saxpy; V8 does not vectorise JS loops), compiled at build time from the
 * AssemblyScript sources in `packages/embeddings/assembly/` (one file per concern: `dot.ts`,
 * `sgns-update.ts`, `glove-adagrad.ts`). All pointers are byte offsets into the imported memory; `n` is a
 * float count and must be a multiple of 4.
 *
 * - `dot(a, b, n) → f32`: Σ a[k]·b[k]
 * - `update(e, o, h, g, n)`: e[k] += g·o[k]; o[k] += g·h[k] (the SGNS/HS step, old o used for e)
 * - `update0(e, o, h, g, n)`: e[k] = g·o[k]; o[k] += g·h[k] (first update of a pair: no zeroing pass)
 * - `axpy(y, x, a, n)`: y[k] += a·x[k]
 * - `adagrad(w1, w2, g1, g2, f, n)`: the GloVe AdaGrad step of glove.c with t1 = f·w2, t2 = f·w1 (old
 *   values): w1 −= t1/√g1, w2 −= t2/√g2, g1 += t1², g2 += t2²
 */
export interface SimdKernels {
  dot(a: number, b: number, n: number): number;
  update(e: number, o: number, h: number, g: number, n: number): void;
  update0(e: number, o: number, h: number, g: number, n: number): void;
  axpy(y: number, x: number, a: number, n: number): void;
  adagrad(w1: number, w2: number, g1: number, g2: number, f: number, n: number): void;
}

/**
 * The module's bytes; `shared` picks the build that imports a shared memory (for worker threads). The
 * unshared build's memory import has no maximum, the shared one's 65536 pages, so one module serves
 * memories of any size.
 */
export function simdModuleBytes(shared: boolean): Uint8Array {
  const text = atob(shared ? KERNELS_WASM_SHARED : KERNELS_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** True when this runtime can compile the module (WebAssembly with SIMD). */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(simdModuleBytes(false) as BufferSource);
  } catch {
    return false;
  }
}

/** The two compiled modules (unshared, shared), compiled on first use: a worker compiles its own. */
const compiled: [WebAssembly.Module | undefined, WebAssembly.Module | undefined] = [undefined, undefined];

/** Instantiates the kernels over `memory` (synchronously: the module is well under 4 KB). */
export function instantiateSimd(memory: WebAssembly.Memory, shared: boolean): SimdKernels {
  const slot = shared ? 1 : 0;
  compiled[slot] ??= new WebAssembly.Module(simdModuleBytes(shared) as BufferSource);
  const instance = new WebAssembly.Instance(compiled[slot], { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}
