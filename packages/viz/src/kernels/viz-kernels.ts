import { assertInteger, KernelPool, UnavailableError, WordloomError } from '@wordloom/core';
import { KERNELS_WASM, KERNELS_WASM_SHARED } from '../generated/kernels.js';

/**
 * The exports of the viz WebAssembly module, compiled at build time from the AssemblyScript sources in
 * `packages/viz/assembly/` (one file per concern, entry `assembly/index.ts`). Pointers are byte offsets
 * into the kernels' memory (from {@link VizKernels.alloc}); arrays are row-major, f64 unless said.
 *
 * - `tsneAttractive(y, dims, rowStart, columns, values, exaggeration, dof, from, to, out, invZ, computeKl,
 *   slot)` (`tsne-attractive.ts`): for rows i in [from, to) of the CSR matrix P (i32 `rowStart`, i32
 *   `columns`, f64 `values`), `out[i] = Σ_j e·p_ij·q̃_ij (y_i − y_j)` with `q̃ = 1 / (1 + d²)` (dof 1) or
 *   `(2 / (2 + d²))^1.5` (dof 2 in 3-D, scikit-learn's kernel; 2-D is always dof 1); the KL partial
 *   `Σ e·p_ij log(max(e·p_ij, tiny) / max(q̃_ij·invZ, tiny))` (f64) at `slot` when `computeKl` is 1, else 0.
 * - `tsneRepulsive2(nodes, sorted, order, groups, from, to, theta2, out, scratch, capacity, slot)`
 *   (`tsne-repulsive.ts`): the Barnes-Hut repulsion `Σ_j q̃_ij² (y_i − y_j)` of the points of groups
 *   [from, to) of a quadtree (one walk per group), this share of Z at `slot`.
 * - `tsneRepulsive3(nodes, sorted, order, from, to, theta2, dof, out, stack, slot)` (`tsne-repulsive.ts`):
 *   the same per point of an octree, sorted points [from, to), dof 1 or 2.
 * - `tsneTree(y, n, dims, leafSize, nodes, capacity, sorted, order, scratch) → count` (`tsne-tree.ts`):
 *   `SpaceTree.build` in the kernels' memory, bit-for-bit (one thread); −1 when `capacity` nodes are too few.
 * - `knnRows(x, tiles, n, d, k, from, to, outIdx, outDist, scratch)` (`knn.ts`): exact k nearest
 *   neighbours (squared Euclidean, float64, ties by index) of query rows [from, to).
 * - `fftLines(re, im, lineStride, elemStride, from, to, nIn, nOut, m, mode, kernel, cos, sin, work)`
 *   (`fft.ts`): the length-m mixed-radix FFT of lines [from, to) of a complex grid (f64 `re`, `im`; element
 *   t of line ℓ at `ℓ·lineStride + t·elemStride`), first `nIn` elements read, first `nOut` written; mode 0
 *   forward, 1 inverse, 2 forward × `kernel[t·m + ℓ]` then inverse; `cos` / `sin` the twiddles of
 *   src/tsne/fft.ts's `fftPlan(m)`; `work` 32·m f64 of the call's own.
 */
export interface VizExports {
  tsneAttractive(
    y: number,
    dims: number,
    rowStart: number,
    columns: number,
    values: number,
    exaggeration: number,
    dof: number,
    from: number,
    to: number,
    out: number,
    invZ: number,
    computeKl: number,
    slot: number,
  ): void;
  tsneRepulsive2(
    nodes: number,
    sorted: number,
    order: number,
    groups: number,
    from: number,
    to: number,
    theta2: number,
    out: number,
    scratch: number,
    capacity: number,
    slot: number,
  ): void;
  tsneRepulsive3(
    nodes: number,
    sorted: number,
    order: number,
    from: number,
    to: number,
    theta2: number,
    dof: number,
    out: number,
    stack: number,
    slot: number,
  ): void;
  tsneTree(
    y: number,
    n: number,
    dims: number,
    leafSize: number,
    nodes: number,
    capacity: number,
    sorted: number,
    order: number,
    scratch: number,
  ): number;
  knnRows(
    x: number,
    tiles: number,
    n: number,
    d: number,
    k: number,
    from: number,
    to: number,
    outIdx: number,
    outDist: number,
    scratch: number,
  ): void;
  fftLines(
    re: number,
    im: number,
    lineStride: number,
    elemStride: number,
    from: number,
    to: number,
    nIn: number,
    nOut: number,
    m: number,
    mode: number,
    kernel: number,
    cos: number,
    sin: number,
    work: number,
  ): void;
}

/**
 * The exports {@link VizKernels.run} can spread over worker threads (each a function of byte offsets and
 * numbers that writes only its own share of the output). A new threaded kernel adds its name here.
 */
export const THREADED = [
  'tsneAttractive',
  'tsneRepulsive2',
  'tsneRepulsive3',
  'knnRows',
  'fftLines',
] as const;

/** The name of an export in {@link THREADED}. */
export type ThreadedExport = (typeof THREADED)[number];

/** Bytes of a WebAssembly page. */
const PAGE = 65536;

/** Pages a shared memory may grow to: the 4 GiB of wasm32 (the shared build's import maximum). */
const SHARED_MAXIMUM = 65536;

/** The module's bytes; `shared` picks the build that imports a shared memory (worker threads). */
function moduleBytes(shared: boolean): Uint8Array {
  const text = atob(shared ? KERNELS_WASM_SHARED : KERNELS_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let supported: boolean | undefined;

/** True when this runtime can compile the viz kernels (WebAssembly with SIMD); else t-SNE stays in JavaScript. */
export function vizSimdSupported(): boolean {
  if (supported === undefined) {
    try {
      supported = typeof WebAssembly === 'object' && WebAssembly.validate(moduleBytes(false) as BufferSource);
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** The two compiled modules (unshared, shared), compiled on first use. */
const compiled: [WebAssembly.Module | undefined, WebAssembly.Module | undefined] = [undefined, undefined];

function compile(shared: boolean): WebAssembly.Module {
  const slot = shared ? 1 : 0;
  compiled[slot] ??= new WebAssembly.Module(moduleBytes(shared) as BufferSource);
  return compiled[slot];
}

/** A shared memory where this runtime allows one (SharedArrayBuffer: Node, a cross-origin-isolated page). */
function sharedMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer !== 'function') return null;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM, shared: true });
  } catch {
    return null;
  }
}

/**
 * `n` items split into `parts` contiguous ranges `[from, to)` whose lengths differ by at most one (the
 * longer first), in order: the fixed partition that makes a threaded result depend only on the thread
 * count. `parts` is clamped to [1, max(n, 1)].
 */
export function splitRange(n: number, parts: number): Array<[number, number]> {
  assertInteger(n, 'n', 'splitRange', 0);
  assertInteger(parts, 'parts', 'splitRange', 1);
  const count = Math.min(parts, Math.max(n, 1));
  const base = Math.floor(n / count);
  const extra = n % count;
  const out: Array<[number, number]> = [];
  for (let p = 0, from = 0; p < count; p++) {
    const to = from + base + (p < extra ? 1 : 0);
    out.push([from, to]);
    from = to;
  }
  return out;
}

/**
 * The viz kernels over one WebAssembly memory they share with a pool of worker threads (@wordloom/core's
 * `KernelPool`) when more than one thread is asked for and the runtime allows it (Node; a
 * cross-origin-isolated page), else on this thread alone over an unshared memory.
 *
 * The memory is a bump arena: {@link alloc} hands out 16-byte aligned byte offsets and grows the memory,
 * {@link reset} forgets them all. Views must be taken fresh ({@link f64} …) after any `alloc`, since
 * growing replaces the memory's buffer. A threaded call ({@link run}) gets one argument list per share; a
 * caller that splits work with {@link splitRange} over {@link threads} and writes per-share partials to
 * their own slots, combined in slot order, gets results that depend only on the thread count — bit-for-bit
 * repeatable, and identical to the one-thread run when `threads` is 1.
 */
export class VizKernels {
  /** Threads a {@link run} spreads over: the pool's (caller included), 1 without a pool. */
  readonly threads: number;
  /** This thread's instance of the kernels. */
  readonly exports: VizExports;
  /** The memory every pointer refers to. */
  readonly memory: WebAssembly.Memory;
  private pool: KernelPool | null;
  private top = 0;

  private constructor(memory: WebAssembly.Memory, exports: VizExports, pool: KernelPool | null) {
    this.memory = memory;
    this.exports = exports;
    this.pool = pool;
    this.threads = pool?.threads ?? 1;
  }

  /**
   * Instantiates the kernels with up to `threads` threads (an integer ≥ 1): a shared memory and a pool of
   * `threads − 1` workers when `threads > 1` and this runtime has shared memory and worker threads, else
   * one thread over an unshared memory. Waits (at most 10 s) for the workers to start, like embeddings'
   * `KernelThreads.start`, so the first calls are not all run here. Throws `UnavailableError` without
   * WebAssembly SIMD (check {@link vizSimdSupported} first).
   */
  static async start(threads: number): Promise<VizKernels> {
    assertInteger(threads, 'threads', 'VizKernels.start', 1, 256);
    if (!vizSimdSupported())
      throw new UnavailableError(
        'WebAssembly SIMD',
        'VizKernels.start: this runtime has no WebAssembly SIMD',
      );
    const shared = threads > 1 ? sharedMemory() : null;
    const memory = shared ?? new WebAssembly.Memory({ initial: 1 });
    const exports = new WebAssembly.Instance(compile(shared !== null), { env: { memory } })
      .exports as unknown as VizExports;
    const pool = shared
      ? KernelPool.create({ module: compile(true), memory: shared, names: [...THREADED], threads })
      : null;
    if (pool) await pool.whenReady();
    return new VizKernels(memory, exports, pool);
  }

  /**
   * `bytes` bytes of the memory, 16-byte aligned (v128 loads); returns the byte offset. Grows the memory
   * as needed, which replaces its buffer: take views afterwards.
   */
  alloc(bytes: number): number {
    assertInteger(bytes, 'bytes', 'VizKernels.alloc', 0);
    const at = (this.top + 15) & ~15;
    const end = at + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        // At least double, so a run of small allocations does not grow page by page.
        this.memory.grow(Math.max(pages, Math.min(have / PAGE, SHARED_MAXIMUM - have / PAGE)));
      } catch (cause) {
        try {
          this.memory.grow(pages);
        } catch {
          throw new WordloomError(
            `VizKernels.alloc: cannot grow the kernels' memory to ${end.toLocaleString('en-US')} bytes`,
            { cause },
          );
        }
      }
    }
    this.top = end;
    return at;
  }

  /** Forgets every allocation (the start of a new layout); the memory keeps its size. */
  reset(): void {
    this.top = 0;
  }

  /** A fresh view of `length` f64 at byte offset `ptr` (8-aligned). */
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  /** A fresh view of `length` f32 at byte offset `ptr` (4-aligned). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /** A fresh view of `length` i32 at byte offset `ptr` (4-aligned). */
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  /**
   * Calls export `name` once per argument list and returns when all are done: the first on this thread,
   * the others on the pool's workers (on this thread too when a worker is not ready, or without a pool —
   * the result is the same, since each share writes only its own outputs). Throws a `WordloomError` if
   * a share trapped.
   */
  run(name: ThreadedExport, argsPerThread: number[][]): void {
    const local = this.exports[name] as unknown as (...args: number[]) => void;
    if (this.pool) this.pool.run(name, argsPerThread, local);
    else for (const args of argsPerThread) local(...args);
  }

  /** Stops the workers (idempotent); the instance on this thread stays usable with one thread. */
  close(): void {
    this.pool?.close();
    this.pool = null;
  }
}
