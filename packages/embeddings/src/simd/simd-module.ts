import { KernelPool } from '@wordloom/core';
import { KERNELS_WASM, KERNELS_WASM_SHARED } from '../generated/kernels.js';

/**
 * The WebAssembly SIMD module of the word2vec and GloVe trainers, compiled at build time from the
 * AssemblyScript sources in `packages/embeddings/assembly/` (one file per concern). All pointers are
 * byte offsets into the imported memory; `n` is a float count and must be a multiple of 4.
 *
 * - `trainSentences(cfg, scratch, from, to, alphaFrom, alphaTo, rng, out)`: the whole word2vec loop over
 *   sentences [from, to) (`word2vec-train.ts`; the layout is `engine-memory.ts`'s)
 * - `gloveEpoch(cfg, from, to, eta, out)`: one AdaGrad pass of GloVe over entries [from, to)
 *   (`glove-epoch.ts`; the layout is `glove-memory.ts`'s)
 * - `dot(a, b, n) → f32`: Σ a[k]·b[k]
 * - `dot2(a, b0, b1, n, out)`, `dot3(a, b0, b1, b2, n, out)`: the dots of `a` with two or three rows in
 *   one pass, each bit for bit `dot(a, bᵢ, n)`, stored as f32 at `out + 4i`
 * - `update(e, o, h, g, n)`: e[k] += g·o[k]; o[k] += g·h[k] (the SGNS/HS step, old o used for e)
 * - `update0(e, o, h, g, n)`: e[k] = g·o[k]; o[k] += g·h[k] (first update of a pair: no zeroing pass)
 * - `axpy(y, x, a, n)`: y[k] += a·x[k]
 * - `update1(e, h, o0, g0, n, mode)`, `update2(e, h, o0, o1, g0, g1, n, mode)`,
 *   `update3(e, h, o0, o1, o2, g0, g1, g2, n, mode)`: update (update0 with `mode & 1`) for distinct rows
 *   o₀, o₁, o₂ in turn, in one pass; with `mode & 2` then h[k] += e[k] instead of storing e (the end of a
 *   skip-gram pair). Bit for bit the separate calls
 * - `adagrad(w1, w2, g1, g2, f, n)`: the GloVe AdaGrad step of glove.c with t1 = f·w2, t2 = f·w1 (old
 *   values): w1 −= t1/√g1, w2 −= t2/√g2, g1 += t1², g2 += t2²
 */
export interface SimdKernels {
  trainSentences(
    cfg: number,
    scratch: number,
    from: number,
    to: number,
    alphaFrom: number,
    alphaTo: number,
    rng: number,
    out: number,
  ): void;
  gloveEpoch(cfg: number, from: number, to: number, eta: number, out: number): void;
  dot(a: number, b: number, n: number): number;
  dot2(a: number, b0: number, b1: number, n: number, out: number): void;
  dot3(a: number, b0: number, b1: number, b2: number, n: number, out: number): void;
  update(e: number, o: number, h: number, g: number, n: number): void;
  update0(e: number, o: number, h: number, g: number, n: number): void;
  axpy(y: number, x: number, a: number, n: number): void;
  update1(e: number, h: number, o0: number, g0: number, n: number, mode: number): void;
  update2(
    e: number,
    h: number,
    o0: number,
    o1: number,
    g0: number,
    g1: number,
    n: number,
    mode: number,
  ): void;
  update3(
    e: number,
    h: number,
    o0: number,
    o1: number,
    o2: number,
    g0: number,
    g1: number,
    g2: number,
    n: number,
    mode: number,
  ): void;
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

/** The two compiled modules (unshared, shared), compiled on first use. */
const compiled: [WebAssembly.Module | undefined, WebAssembly.Module | undefined] = [undefined, undefined];

/** The compiled module: the shared-memory build with `shared`. */
export function compileSimd(shared: boolean): WebAssembly.Module {
  const slot = shared ? 1 : 0;
  compiled[slot] ??= new WebAssembly.Module(simdModuleBytes(shared) as BufferSource);
  return compiled[slot];
}

/** True for a `WebAssembly.Memory({ shared: true })`. */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
}

/** Instantiates the kernels over `memory` (synchronously: the module is a few KB). */
export function instantiateSimd(memory: WebAssembly.Memory, shared = isSharedMemory(memory)): SimdKernels {
  const instance = new WebAssembly.Instance(compileSimd(shared), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}

/** The exports a {@link KernelThreads} runs on worker threads. */
const THREADED = ['trainSentences', 'gloveEpoch'] as const;

/**
 * The trainers' kernels on this thread and, over a shared memory, on worker threads of @wordloom/core's
 * `KernelPool` (Hogwild: every thread updates the same weights without locks, Recht et al. 2011).
 */
export class KernelThreads {
  /** This thread's instance of the kernels. */
  readonly kernels: SimdKernels;
  private pool: KernelPool | null;

  private constructor(kernels: SimdKernels, pool: KernelPool | null) {
    this.kernels = kernels;
    this.pool = pool;
  }

  /**
   * The kernels over `memory` with up to `threads` threads: a pool of `threads − 1` workers when the
   * memory is shared and this runtime has worker threads (Node; a cross-origin-isolated page), else
   * this thread alone. Waits (at most 10 s) for the workers to start, so that the first slices are not
   * all run here.
   */
  static async start(memory: WebAssembly.Memory, threads: number): Promise<KernelThreads> {
    const shared = isSharedMemory(memory);
    const kernels = instantiateSimd(memory, shared);
    const pool =
      shared && threads > 1
        ? KernelPool.create({ module: compileSimd(true), memory, names: [...THREADED], threads })
        : null;
    if (pool) await pool.whenReady();
    return new KernelThreads(kernels, pool);
  }

  /** Threads a call of {@link run} spreads over (1 without a pool). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /**
   * Calls export `name` once per argument list, the first on this thread and the others on workers
   * (or all here without a pool), and returns when all are done.
   */
  run(name: (typeof THREADED)[number], argsPerThread: number[][]): void {
    const local = this.kernels[name] as unknown as (...args: number[]) => void;
    if (this.pool) this.pool.run(name, argsPerThread, local);
    else for (const args of argsPerThread) local(...args);
  }

  /** Stops the workers. */
  close(): void {
    this.pool?.close();
    this.pool = null;
  }
}
