import type * as tf from '@tensorflow/tfjs-core';
import {
  assertInteger,
  assertOneOf,
  availableThreads,
  InvalidArgumentError,
  KernelPool,
} from '@wordloom/core';
import {
  copyRows,
  type Floats,
  type MatmulProvider,
  type MatrixHandle,
  type SequenceProjection,
} from './matmul-provider.js';
import {
  compileSimdKernels,
  instantiateSimdKernels,
  SIMD_KERNEL_NAMES,
  type SimdKernels,
} from './simd-kernels.js';

/** Options of {@link SimdProvider.create}. */
export interface SimdProviderOptions {
  /**
   * Threads the products and gate steps are split over (rows of the output, in multiples of 4, so every
   * element is computed by the same operations in the same order: results are bit-identical for any
   * count). More than 1 needs worker threads and shared WebAssembly memory (Node, or a cross-origin
   * isolated page); elsewhere the provider runs on 1.
   * @default availableThreads() (Node: the available cores; browser: hardwareConcurrency when isolated, else 1)
   */
  threads?: number;
  /**
   * How a product is split over threads. `'rows'`: every product and gate step in bands of output rows
   * (each element computed by the same operations in the same order, so results are bit-identical for
   * any thread count). `'batch'`: the same, except the weight-gradient products Xᵀ·dZ, which sum over
   * all T·B samples: each thread sums its share of the samples into a buffer of its own (data-parallel
   * halves of the batch), then the partial sums are added — the float32 summation order changes, so
   * gradients agree with one thread's within rounding. Both are the same on one thread.
   * @default 'rows'
   */
  split?: 'rows' | 'batch';
}

/**
 * Smallest product (2·M·K·N flops) split over threads: below it, waking a worker (≈ 10–50 µs) costs more
 * than the half it would take.
 */
const MIN_SPLIT_FLOPS = 1 << 20;
/** Smallest gate step (batch · units) split over threads. */
const MIN_SPLIT_CELLS = 4096;

interface SimdHandle extends MatrixHandle {
  readonly data: Float32Array;
  /** For {@link SimdProvider.transpose}: the matrix this is the transpose of (packed from it directly). */
  readonly transposeOf?: SimdHandle;
}

/** Blocks of the inner dimension K for long products (`Xᵀ·dPre` has K = T·B): a panel of B stays in cache. */
const K_BLOCK = 256;
/**
 * Blocks of K for products with a packed resident B ({@link SimdProvider.gemmInHeap}): its panels are
 * contiguous (a 512-row panel is 16 KiB, inside L1), so blocking only re-reads C.
 */
const K_BLOCK_PACKED = 512;

/**
 * Matrix products in wordloom's own WebAssembly SIMD kernel (`instantiateSimdKernels`), independent of
 * the tfjs backend: buffers are `Float32Array`, weights are read once per forward/backward call with
 * `dataSync()`, and a product costs two `Float32Array` copies into and out of the kernel's memory
 * instead of a tensor upload, a backend op and a `dataSync` download. The weight matrix of consecutive
 * products (W_hh at every step) stays in the kernel's memory between calls, packed once into the
 * 8-column panels the kernel reads sequentially; the other operand is packed per call into a scratch
 * region per thread after the product's buffers (same bits as unpacked). Products whose output is
 * narrower than a multiple of 8 columns are zero-padded. {@link lstmStep} fuses an LSTM step:
 * recurrent product accumulated onto the input projection, then the gate math in SIMD.
 *
 * Get one with {@link SimdProvider.shared} or {@link SimdProvider.create}; both return null where
 * WebAssembly SIMD is missing.
 */
export class SimdProvider implements MatmulProvider {
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: SimdKernels;
  private heap: Float32Array;
  /** The handle whose values are at offset 0 of the heap (cache for repeated products with it). */
  private resident: SimdHandle | null = null;
  /** Float offset and per-thread size of the products' packing scratch (see {@link reserveWithScratch}). */
  private scratch = 0;
  private scratchSize = 0;

  /**
   * Where the last whole LSTM or GRU forward pass ({@link lstmSequence}, {@link gruSequence}) left its
   * gate values and states in the heap, while no product has reserved memory over them since: its BPTT
   * ({@link lstmBackSequence}, {@link gruBackSequence}) then reads them there instead of copying the
   * tape back in. Keyed by the tape's own buffers (`cStates`: the LSTM's c, the GRU's h states).
   */
  private tape: ResidentTape | null = null;

  /** The resident tape when it is that of `gates` and `states` for this shape, else null. */
  private residentTape(
    kind: ResidentTape['kind'],
    gates: Floats,
    states: Floats,
    steps: number,
    batch: number,
    units: number,
  ): ResidentTape | null {
    const t = this.tape;
    return t !== null &&
      t.kind === kind &&
      t.gates === gates &&
      t.cStates === states &&
      t.steps === steps &&
      t.batch === batch &&
      t.units === units
      ? t
      : null;
  }

  /** The worker threads sharing {@link memory}, or null on one thread. */
  private pool: KernelPool | null;

  /** See {@link SimdProviderOptions.split}. */
  private readonly split: 'rows' | 'batch';

  private constructor(
    memory: WebAssembly.Memory,
    kernel: SimdKernels,
    pool: KernelPool | null,
    split: 'rows' | 'batch',
  ) {
    this.split = split;
    this.memory = memory;
    this.kernel = kernel;
    this.pool = pool;
    this.heap = new Float32Array(memory.buffer);
  }

  /** Threads a product can run on (1 without a pool). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /**
   * The process-wide provider the models use by default (one kernel memory, grown to the largest
   * product seen, shared by every model), or null without WebAssembly SIMD.
   */
  static shared(): SimdProvider | null {
    if (sharedProvider === undefined) sharedProvider = SimdProvider.create();
    return sharedProvider;
  }

  /**
   * A provider with its own kernel memory (and, with `threads` > 1, its own worker threads sharing it),
   * or null when this runtime cannot compile WebAssembly SIMD.
   */
  static create(options: SimdProviderOptions = {}): SimdProvider | null {
    for (const key of Object.keys(options))
      if (key !== 'threads' && key !== 'split')
        throw new InvalidArgumentError(
          'options',
          'SimdProvider.create',
          'only the options "threads", "split"',
          key,
        );
    const split = assertOneOf(options.split ?? 'rows', ['rows', 'batch'], 'split', 'SimdProvider.create');
    const threads = assertInteger(
      options.threads ?? availableThreads(),
      'threads',
      'SimdProvider.create',
      1,
      256,
    );
    if (typeof WebAssembly !== 'object') return null;
    if (threads > 1) {
      const memory = sharedMemory();
      const module = memory && compileSimdKernels(true);
      const kernel = memory && instantiateSimdKernels(memory);
      const pool =
        memory && module && kernel
          ? KernelPool.create({ module, memory, names: [...SIMD_KERNEL_NAMES], threads })
          : null;
      if (memory && kernel && pool) return new SimdProvider(memory, kernel, pool, split);
    }
    const memory = new WebAssembly.Memory({ initial: 64 });
    const kernel = instantiateSimdKernels(memory);
    return kernel ? new SimdProvider(memory, kernel, null, split) : null;
  }

  /**
   * Resolves with the threads usable now once the worker threads have started (products before that run
   * on the threads already started: waiting is never required, only useful before timing).
   */
  async whenReady(): Promise<number> {
    return this.pool ? this.pool.whenReady() : 1;
  }

  /** Products and gate steps run on worker threads so far (0 on one thread). */
  get workerShares(): number {
    return this.pool?.workerShares ?? 0;
  }

  /** Stops this provider's worker threads (a no-op on one thread); products then run on this thread. */
  dispose(): void {
    this.pool?.close();
    this.pool = null;
  }

  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  matrix(variable: tf.Variable): MatrixHandle {
    const [rows, cols] = variable.shape;
    return { rows, cols, data: variable.dataSync() as Float32Array } as SimdHandle;
  }

  vector(variable: tf.Variable): Float32Array {
    return variable.dataSync() as Float32Array;
  }

  sliceColumns(m: MatrixHandle, start: number, size: number): MatrixHandle {
    const src = (m as SimdHandle).data;
    const data = new Float32Array(m.rows * size);
    for (let r = 0; r < m.rows; r++)
      data.set(src.subarray(r * m.cols + start, r * m.cols + start + size), r * size);
    return { rows: m.rows, cols: size, data } as SimdHandle;
  }

  transpose(m: MatrixHandle): MatrixHandle {
    const source = m as SimdHandle;
    let data: Float32Array | null = null;
    // Lazy: the products only ever pack it (straight from `source`, see uploadPacked); the transposed
    // copy is made only for the other uses of a handle (sliceColumns, gatherRows).
    return {
      rows: m.cols,
      cols: m.rows,
      transposeOf: source,
      get data(): Float32Array {
        data ??= transposed(source.data, source.rows, source.cols);
        return data;
      },
    } as SimdHandle;
  }

  mul(a: Floats, rows: number, m: MatrixHandle): Float32Array {
    const h = m as SimdHandle;
    return this.product(a, rows, m.rows, h.data, m.cols, h);
  }

  mulTransposeA(a: Floats, aCols: number, b: Floats, bCols: number, rows: number): Float32Array {
    if (rows === 0 || aCols === 0) return new Float32Array(aCols * bCols);
    // aᵀ·b by the transposed-A kernel: `a` goes in as stored, no transposing pass.
    const width = (bCols + 7) & ~7;
    const padded = (aCols + 3) & ~3;
    const aOff = align(rows * width);
    // The kernel's vector loads of the last row of `a` run up to 3 floats past it: keep them inside.
    const cOff = aOff + align(rows * aCols + 4);
    const blocks = Math.ceil(rows / K_BLOCK);
    const parts =
      this.pool && this.split === 'batch' && 2 * rows * padded * width >= MIN_SPLIT_FLOPS
        ? Math.min(this.pool.threads, blocks)
        : 1;
    const size = align(padded * width);
    this.reserveWithScratch(
      cOff + (parts > 1 ? parts * size : padded * width),
      padded,
      Math.min(K_BLOCK, rows),
    );
    const heap = this.heap;
    this.upload(b, rows, bCols, width);
    heap.set(a.subarray(0, rows * aCols), aOff);
    if (parts > 1) return this.mulTransposeABatch(aOff, cOff, rows, aCols, width, bCols, parts);
    for (let k0 = 0; k0 < rows; k0 += K_BLOCK) {
      const kc = Math.min(K_BLOCK, rows - k0);
      this.sgemm(
        true,
        (aOff + k0 * aCols) * 4,
        k0 * width * 4,
        cOff * 4,
        padded,
        kc,
        width,
        aCols,
        k0 === 0 ? 1 : 0,
      );
    }
    if (width === bCols) return heap.slice(cOff, cOff + aCols * bCols);
    const out = new Float32Array(aCols * bCols);
    for (let r = 0; r < aCols; r++)
      out.set(heap.subarray(cOff + r * width, cOff + r * width + bCols), r * bCols);
    return out;
  }

  /**
   * {@link mulTransposeA} split over the samples (`split: 'batch'`): blocks of K_BLOCK rows of `a` and
   * `b` go round-robin to `parts` threads, each accumulating into its own `padded × width` partial sum
   * (one pool call per round of blocks), and the partial sums are added in thread order at the end.
   */
  private mulTransposeABatch(
    aOff: number,
    cOff: number,
    rows: number,
    aCols: number,
    width: number,
    bCols: number,
    parts: number,
  ): Float32Array {
    const padded = (aCols + 3) & ~3;
    const size = align(padded * width);
    const blocks = Math.ceil(rows / K_BLOCK);
    const pool = this.pool as KernelPool;
    for (let round = 0; round * parts < blocks; round++) {
      const calls: number[][] = [];
      for (let t = 0; t < parts && round * parts + t < blocks; t++) {
        const k0 = (round * parts + t) * K_BLOCK;
        const kc = Math.min(K_BLOCK, rows - k0);
        calls.push([
          (aOff + k0 * aCols) * 4,
          k0 * width * 4,
          (cOff + t * size) * 4,
          padded,
          kc,
          width,
          aCols,
          round === 0 ? 1 : 0,
          this.scratchAt(t),
        ]);
      }
      pool.run('sgemmT', calls, this.kernel.sgemmT);
    }
    // The reduction: C = C₀ + C₁ + … (every part has at least the block of round 0).
    const heap = this.heap;
    for (let t = 1; t < parts; t++) {
      const from = cOff + t * size;
      for (let i = 0; i < padded * width; i++) heap[cOff + i] += heap[from + i];
    }
    if (width === bCols) return heap.slice(cOff, cOff + aCols * bCols);
    const out = new Float32Array(aCols * bCols);
    for (let r = 0; r < aCols; r++)
      out.set(heap.subarray(cOff + r * width, cOff + r * width + bCols), r * bCols);
    return out;
  }

  gatherRows(m: MatrixHandle, ids: Int32Array): Float32Array {
    return copyRows((m as SimdHandle).data, m.cols, ids, new Float32Array(ids.length * m.cols));
  }

  release(): void {}

  /** `a · b` with `a` `rows × inner`, `b` `inner × cols`; `handle` marks `b` as cacheable. */
  private product(
    a: Floats,
    rows: number,
    inner: number,
    b: Floats,
    cols: number,
    handle: SimdHandle | null,
  ): Float32Array {
    if (rows === 0 || inner === 0) return new Float32Array(rows * cols);
    // The kernel works on 8-column blocks: narrower outputs (a 10-class head, any vocabulary) get B
    // zero-padded to a multiple of 8 columns and C copied out row by row.
    const width = (cols + 7) & ~7;
    const padded = (rows + 3) & ~3;
    const aOff = align(inner * width);
    const cOff = aOff + align(padded * inner);
    this.reserveWithScratch(cOff + padded * width, padded, Math.min(K_BLOCK_PACKED, inner));
    const heap = this.heap;
    if (handle) this.makeResident(handle);
    else this.uploadPacked(b, inner, cols, null);
    this.gemm(a, aOff, cOff, rows, inner, width, true);
    if (width === cols) return heap.slice(cOff, cOff + rows * cols);
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++)
      out.set(heap.subarray(cOff + r * width, cOff + r * width + cols), r * cols);
    return out;
  }

  /** Writes `b` (`rows × cols`) at offset 0 with rows of `width` floats (zero-padded). */
  private upload(b: Floats, rows: number, cols: number, width: number): void {
    const heap = this.heap;
    if (width === cols) heap.set(b.subarray(0, rows * cols), 0);
    else
      for (let r = 0; r < rows; r++) {
        heap.set(b.subarray(r * cols, (r + 1) * cols), r * width);
        heap.fill(0, r * width + cols, (r + 1) * width);
      }
    this.resident = null;
  }

  /**
   * Writes `b` (`rows × cols`) at offset 0 packed for `sgemmP`: panels of 8 columns (the last
   * zero-padded), each `rows` consecutive rows of 8 floats, so the products' inner loop reads B as one
   * sequential stream instead of rows `cols·4` bytes apart (a power of two for the gate matrices: few
   * cache sets, one 4 KiB page per row). `cols` rounded up to 8 floats in all.
   */
  private uploadPacked(b: Floats, rows: number, cols: number, handle: SimdHandle | null): void {
    const heap = this.heap;
    const full = cols & ~7;
    for (let j = 0; j < full; j += 8) {
      const base = j * rows;
      for (let r = 0; r < rows; r++) {
        const src = r * cols + j;
        const dst = base + r * 8;
        heap[dst] = b[src];
        heap[dst + 1] = b[src + 1];
        heap[dst + 2] = b[src + 2];
        heap[dst + 3] = b[src + 3];
        heap[dst + 4] = b[src + 4];
        heap[dst + 5] = b[src + 5];
        heap[dst + 6] = b[src + 6];
        heap[dst + 7] = b[src + 7];
      }
    }
    if (full < cols) {
      const base = full * rows;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < 8; c++) heap[base + r * 8 + c] = full + c < cols ? b[r * cols + full + c] : 0;
    }
    this.resident = handle;
  }

  /**
   * `C = a · B` (`overwrite`) or `C += a · B` in the heap: `a` (`rows × inner`) is copied to `aOff` and
   * padded to a multiple of 4 rows, `B` is the matrix packed at offset 0 ({@link uploadPacked}), `C` at
   * `cOff` has `rows` rounded up to 4 rows.
   */
  private gemm(
    a: Floats,
    aOff: number,
    cOff: number,
    rows: number,
    inner: number,
    cols: number,
    overwrite: boolean,
  ): void {
    this.heap.set(a, aOff);
    this.heap.fill(0, aOff + rows * inner, aOff + ((rows + 3) & ~3) * inner);
    this.gemmInHeap(aOff, cOff, rows, inner, cols, overwrite);
  }

  /** {@link gemm} with `A` already in the heap (padding rows zero). */
  private gemmInHeap(
    aOff: number,
    cOff: number,
    rows: number,
    inner: number,
    cols: number,
    overwrite: boolean,
  ): void {
    const padded = (rows + 3) & ~3;
    for (let k0 = 0; k0 < inner; k0 += K_BLOCK_PACKED) {
      const kc = Math.min(K_BLOCK_PACKED, inner - k0);
      const first = overwrite && k0 === 0 ? 1 : 0;
      // Row k0 of every packed panel of B: panels are `inner` rows of 8 floats apart.
      this.sgemmPacked((aOff + k0) * 4, k0 * 32, cOff * 4, padded, kc, cols, inner, first, inner);
    }
  }

  /**
   * One fused LSTM forward step (see {@link MatmulProvider.lstmStep}): `z = xp + h_prev·W_hh` by the
   * SIMD product accumulated onto `xp`, then σ / tanh, `c` and `h` in the SIMD gate kernel. Returns
   * null (the cell then runs its typed-array loop) when `units` is not a multiple of 4.
   */
  lstmStep(
    xp: Floats,
    hPrev: Floats | null,
    recurrent: MatrixHandle,
    bias: Floats,
    cPrev: Floats,
    batch: number,
    units: number,
    gatesOut: Floats | null,
    tanhCOut: Floats | null,
  ): [Float32Array, Float32Array] | null {
    const H = units;
    const G = 4 * H;
    if (H % 4 !== 0 || batch === 0) return null;
    const padded = (batch + 3) & ~3;
    const BH = batch * H;
    const aOff = align(H * G);
    const zOff = aOff + align(padded * H);
    const biasOff = zOff + align(padded * G);
    const cpOff = biasOff + align(G);
    const hOff = cpOff + align(BH);
    const cOff = hOff + align(BH);
    const tcOff = cOff + align(BH);
    this.reserveWithScratch(tcOff + BH, padded, Math.min(K_BLOCK_PACKED, H));
    const heap = this.heap;
    heap.set(xp.subarray(0, batch * G), zOff);
    heap.fill(0, zOff + batch * G, zOff + padded * G);
    if (hPrev) {
      this.makeResident(recurrent as SimdHandle);
      this.gemm(hPrev, aOff, zOff, batch, H, G, false);
    }
    heap.set(bias, biasOff);
    heap.set(cPrev, cpOff);
    const gates = (b0: number, rows: number): number[] => [
      (zOff + b0 * G) * 4,
      biasOff * 4,
      (cpOff + b0 * H) * 4,
      (hOff + b0 * H) * 4,
      (cOff + b0 * H) * 4,
      (tcOff + b0 * H) * 4,
      rows,
      H,
    ];
    this.splitRows('lstmGates', batch, 1, batch * H >= MIN_SPLIT_CELLS, gates, this.kernel.lstmGates);
    gatesOut?.set(heap.subarray(zOff, zOff + batch * G));
    tanhCOut?.set(heap.subarray(tcOff, tcOff + BH));
    return [heap.slice(hOff, hOff + BH), heap.slice(cOff, cOff + BH)];
  }

  /** Makes `m` the resident matrix at offset 0 of the heap, packed ({@link uploadPacked}). */
  private makeResident(m: SimdHandle): void {
    if (this.resident === m) return;
    if (m.transposeOf) this.uploadPackedTransposed(m.transposeOf.data, m.rows, m.cols, m);
    else this.uploadPacked(m.data, m.rows, m.cols, m);
  }

  /**
   * {@link uploadPacked} of `bᵀ` (`rows × cols`) from `b` (`cols × rows`, row-major): element (r, c) of
   * the transpose is `b[c·rows + r]`, read along rows of `b`, written 8 floats apart in its panel.
   */
  private uploadPackedTransposed(b: Floats, rows: number, cols: number, handle: SimdHandle): void {
    const heap = this.heap;
    const width = (cols + 7) & ~7;
    for (let c = 0; c < width; c++) {
      const dst = (c >> 3) * rows * 8 + (c & 7);
      if (c >= cols) {
        for (let r = 0; r < rows; r++) heap[dst + r * 8] = 0;
        continue;
      }
      const src = c * rows;
      for (let r = 0; r < rows; r++) heap[dst + r * 8] = b[src + r];
    }
    this.resident = handle;
  }

  /**
   * One fused LSTM BPTT step (see {@link MatmulProvider.lstmBackStep}): the gate derivatives in the
   * SIMD kernel, then `∂C/∂h_{t−1} = dPre · W_hhᵀ` straight from the heap.
   */
  lstmBackStep(
    dh: Floats,
    dc: Floats,
    cPrev: Floats,
    gates: Floats,
    tanhC: Floats,
    recurrentT: MatrixHandle | null,
    batch: number,
    units: number,
    dPreOut: Floats,
  ): [Float32Array, Float32Array] | null {
    const H = units;
    const G = 4 * H;
    // ∂C/∂h_{t−1} = dPre·W_hhᵀ has H columns: the kernel's 8-column blocks need H a multiple of 8.
    if (H % 8 !== 0 || batch === 0) return null;
    const padded = (batch + 3) & ~3;
    const BH = batch * H;
    const gOff = align(H * G);
    const dPreOff = gOff + align(batch * G);
    const dhPrevOff = dPreOff + align(padded * G);
    const dhOff = dhPrevOff + align(padded * H);
    const dcOff = dhOff + align(BH);
    const cpOff = dcOff + align(BH);
    const tcOff = cpOff + align(BH);
    const dcPrevOff = tcOff + align(BH);
    this.reserveWithScratch(dcPrevOff + BH, padded, Math.min(K_BLOCK_PACKED, G));
    const heap = this.heap;
    heap.set(gates.subarray(0, batch * G), gOff);
    heap.set(dh, dhOff);
    heap.set(dc, dcOff);
    heap.set(cPrev, cpOff);
    heap.set(tanhC.subarray(0, BH), tcOff);
    const back = (b0: number, rows: number): number[] => [
      (dhOff + b0 * H) * 4,
      (dcOff + b0 * H) * 4,
      (cpOff + b0 * H) * 4,
      (gOff + b0 * G) * 4,
      (tcOff + b0 * H) * 4,
      (dPreOff + b0 * G) * 4,
      (dcPrevOff + b0 * H) * 4,
      rows,
      H,
    ];
    this.splitRows('lstmBackGates', batch, 1, batch * H >= MIN_SPLIT_CELLS, back, this.kernel.lstmBackGates);
    dPreOut.set(heap.subarray(dPreOff, dPreOff + batch * G));
    if (!recurrentT) return [new Float32Array(BH), heap.slice(dcPrevOff, dcPrevOff + BH)];
    this.makeResident(recurrentT as SimdHandle);
    heap.fill(0, dPreOff + batch * G, dPreOff + padded * G);
    this.gemmInHeap(dPreOff, dhPrevOff, batch, G, H, true);
    return [heap.slice(dhPrevOff, dhPrevOff + BH), heap.slice(dcPrevOff, dcPrevOff + BH)];
  }

  /**
   * Writes the input projections of a whole-sequence pass (`rows × G`) at `zOff`: copied from `xp`, or
   * computed here from the dense input exactly as {@link mul} would (W_xh packed resident, the same
   * product; the input staged at `xOff`) with `bias` then added as the engine adds it — the same bits,
   * without copying the `rows × G` projections out of kernel memory and back in.
   */
  private projections(
    xp: Floats | SequenceProjection,
    kernel: MatrixHandle,
    bias: Floats | null,
    zOff: number,
    xOff: number,
    rows: number,
    G: number,
  ): void {
    const heap = this.heap;
    if (!('features' in xp)) {
      heap.set(xp.subarray(0, rows * G), zOff);
      return;
    }
    this.makeResident(kernel as SimdHandle);
    this.gemm(xp.data.subarray(0, rows * xp.features), xOff, zOff, rows, xp.features, G, true);
    if (bias)
      for (let r = 0; r < rows; r++) {
        const o = zOff + r * G;
        for (let j = 0; j < G; j++) heap[o + j] += bias[j];
      }
  }

  /**
   * The whole LSTM forward pass in kernel memory (see {@link MatmulProvider.lstmSequence}): one pool call
   * in which each thread runs every step of its band of batch rows (`lstmForward`), instead of two
   * calls and the copies in and out per step. Needs `units` a multiple of 8 and `batch` of 4 (bands of
   * whole 4-row blocks); returns false otherwise.
   */
  lstmSequence(
    xp: Floats | SequenceProjection,
    kernel: MatrixHandle,
    recurrent: MatrixHandle,
    bias: Floats,
    states: Floats[],
    gatesOut: Floats | null,
    tanhCOut: Floats | null,
    steps: number,
    batch: number,
    units: number,
    zeroFirst: boolean,
  ): boolean {
    const H = units;
    const G = 4 * H;
    if (!wholeSequenceFits(H, batch, steps)) return false;
    const BH = batch * H;
    const D = 'features' in xp ? xp.features : 0;
    const zOff = align(Math.max(H, D) * G);
    const hOff = zOff + align(steps * batch * G);
    const cOff = hOff + align((steps + 1) * BH);
    const tcOff = cOff + align((steps + 1) * BH);
    const biasOff = tcOff + align(steps * BH);
    const xOff = biasOff + align(G);
    const rows = steps * batch;
    this.reserveWithScratch(xOff + rows * D, rows, Math.min(K_BLOCK_PACKED, Math.max(H, D)));
    this.projections(xp, kernel, null, zOff, xOff, rows, G);
    this.makeResident(recurrent as SimdHandle);
    const heap = this.heap;
    heap.set(states[0].subarray(0, BH), hOff);
    heap.set(states[1].subarray(0, BH), cOff);
    heap.set(bias, biasOff);
    const band = (b0: number, rows: number, part: number): number[] => [
      (zOff + b0 * G) * 4,
      0,
      biasOff * 4,
      (hOff + b0 * H) * 4,
      (cOff + b0 * H) * 4,
      (tcOff + b0 * H) * 4,
      steps,
      batch,
      rows,
      H,
      zeroFirst ? 1 : 0,
      this.scratchAt(part),
    ];
    const worth = 2 * steps * batch * H * G >= MIN_SPLIT_FLOPS;
    this.splitRows('lstmForward', batch, 4, worth, band, this.kernel.lstmForward);
    gatesOut?.set(heap.subarray(zOff, zOff + steps * batch * G));
    tanhCOut?.set(heap.subarray(tcOff, tcOff + steps * BH));
    states[0].set(heap.subarray(hOff + BH, hOff + (steps + 1) * BH), BH);
    states[1].set(heap.subarray(cOff + BH, cOff + (steps + 1) * BH), BH);
    if (gatesOut && tanhCOut)
      this.tape = {
        kind: 'lstm',
        gates: gatesOut,
        cStates: states[1],
        steps,
        batch,
        units: H,
        zOff,
        cOff,
        tcOff,
        end: biasOff,
      };
    return true;
  }

  /**
   * The whole LSTM BPTT recurrence in kernel memory (see {@link MatmulProvider.lstmBackSequence}): one
   * pool call, each thread running every step of its band of rows (`lstmBackward`). Same conditions
   * as {@link lstmSequence}.
   */
  lstmBackSequence(
    dPreOut: Floats,
    recurrentT: MatrixHandle,
    gates: Floats,
    tanhC: Floats,
    cStates: Floats,
    dOutputs: Floats | null,
    dh: Floats,
    dc: Floats,
    steps: number,
    batch: number,
    units: number,
    zeroLast: boolean,
  ): boolean {
    const H = units;
    const G = 4 * H;
    if (!wholeSequenceFits(H, batch, steps)) return false;
    const BH = batch * H;
    // The forward's gates, c states and tanh(c) still in the heap (W_hhᵀ, G·H floats, fits below them).
    const tape = this.residentTape('lstm', gates, cStates, steps, batch, H);
    const resident = tape !== null;
    const dPreOff = resident ? align(tape.end) : align(G * H);
    const gOff = resident ? tape.zOff : dPreOff + align(steps * batch * G);
    const cOff = resident ? tape.cOff : gOff + align(steps * batch * G);
    const tcOff = resident ? tape.tcOff : cOff + align(steps * BH);
    const dOutOff = resident ? dPreOff + align(steps * batch * G) : tcOff + align(steps * BH);
    const dhOff = dOutOff + (dOutputs ? align(steps * BH) : 0);
    const dcOff = dhOff + align(BH);
    this.reserveWithScratch(dcOff + BH, batch, Math.min(K_BLOCK_PACKED, G), resident);
    this.makeResident(recurrentT as SimdHandle);
    const heap = this.heap;
    if (!resident) {
      heap.set(gates.subarray(0, steps * batch * G), gOff);
      heap.set(cStates.subarray(0, steps * BH), cOff);
      heap.set(tanhC.subarray(0, steps * BH), tcOff);
    }
    if (dOutputs) heap.set(dOutputs.subarray(0, steps * BH), dOutOff);
    heap.set(dh.subarray(0, BH), dhOff);
    heap.set(dc.subarray(0, BH), dcOff);
    const band = (b0: number, rows: number, part: number): number[] => [
      (dPreOff + b0 * G) * 4,
      0,
      (gOff + b0 * G) * 4,
      (cOff + b0 * H) * 4,
      (tcOff + b0 * H) * 4,
      dOutputs ? (dOutOff + b0 * H) * 4 : 0,
      (dhOff + b0 * H) * 4,
      (dcOff + b0 * H) * 4,
      steps,
      batch,
      rows,
      H,
      zeroLast ? 1 : 0,
      this.scratchAt(part),
    ];
    const worth = 2 * steps * batch * H * G >= MIN_SPLIT_FLOPS;
    this.splitRows('lstmBackward', batch, 4, worth, band, this.kernel.lstmBackward);
    dPreOut.set(heap.subarray(dPreOff, dPreOff + steps * batch * G));
    dh.set(heap.subarray(dhOff, dhOff + BH));
    dc.set(heap.subarray(dcOff, dcOff + BH));
    return true;
  }

  /**
   * The whole GRU (reset after) forward pass in kernel memory (see {@link MatmulProvider.gruSequence}):
   * one pool call, each thread running every step of its band of rows (`gruForward`). Same conditions
   * as {@link lstmSequence}.
   */
  gruSequence(
    xp: Floats | SequenceProjection,
    kernel: MatrixHandle,
    bias: Floats,
    recurrent: MatrixHandle,
    recurrentBias: Floats,
    hStates: Floats,
    gatesOut: Floats | null,
    hcOut: Floats | null,
    steps: number,
    batch: number,
    units: number,
    zeroFirst: boolean,
  ): boolean {
    const H = units;
    const G = 3 * H;
    if (!wholeSequenceFits(H, batch, steps)) return false;
    const BH = batch * H;
    const D = 'features' in xp ? xp.features : 0;
    const xOff = align(Math.max(H, D) * G);
    const hOff = xOff + align(steps * batch * G);
    const uOff = hOff + align((steps + 1) * BH);
    const hcOff = uOff + align(batch * G);
    const biasOff = hcOff + align(steps * BH);
    const inOff = biasOff + align(G);
    const rows = steps * batch;
    this.reserveWithScratch(inOff + rows * D, rows, Math.min(K_BLOCK_PACKED, Math.max(H, D)));
    this.projections(xp, kernel, bias, xOff, inOff, rows, G);
    this.makeResident(recurrent as SimdHandle);
    const heap = this.heap;
    heap.set(hStates.subarray(0, BH), hOff);
    heap.set(recurrentBias, biasOff);
    const band = (b0: number, rows: number, part: number): number[] => [
      (xOff + b0 * G) * 4,
      0,
      biasOff * 4,
      (hOff + b0 * H) * 4,
      (uOff + b0 * G) * 4,
      (hcOff + b0 * H) * 4,
      steps,
      batch,
      rows,
      H,
      zeroFirst ? 1 : 0,
      this.scratchAt(part),
    ];
    const worth = 2 * steps * batch * H * G >= MIN_SPLIT_FLOPS;
    this.splitRows('gruForward', batch, 4, worth, band, this.kernel.gruForward);
    gatesOut?.set(heap.subarray(xOff, xOff + steps * batch * G));
    hcOut?.set(heap.subarray(hcOff, hcOff + steps * BH));
    hStates.set(heap.subarray(hOff + BH, hOff + (steps + 1) * BH), BH);
    if (gatesOut && hcOut)
      this.tape = {
        kind: 'gru',
        gates: gatesOut,
        cStates: hStates,
        steps,
        batch,
        units: H,
        zOff: xOff,
        cOff: hOff,
        tcOff: hcOff,
        end: biasOff,
      };
    return true;
  }

  /**
   * The whole GRU (reset after) BPTT recurrence in kernel memory (see
   * {@link MatmulProvider.gruBackSequence}): one pool call, each thread running every step of its band
   * of rows (`gruBackward`).
   */
  gruBackSequence(
    dPreXOut: Floats,
    dPreHOut: Floats,
    recurrentT: MatrixHandle,
    gates: Floats,
    hc: Floats,
    hStates: Floats,
    dOutputs: Floats | null,
    dh: Floats,
    steps: number,
    batch: number,
    units: number,
    zeroLast: boolean,
  ): boolean {
    const H = units;
    const G = 3 * H;
    if (!wholeSequenceFits(H, batch, steps)) return false;
    const BH = batch * H;
    // The forward's gates, h states and hc still in the heap (W_hhᵀ, G·H floats, fits below them).
    const tape = this.residentTape('gru', gates, hStates, steps, batch, H);
    const resident = tape !== null;
    const dPreXOff = resident ? align(tape.end) : align(G * H);
    const dPreHOff = dPreXOff + align(steps * batch * G);
    const gOff = resident ? tape.zOff : dPreHOff + align(steps * batch * G);
    const hOff = resident ? tape.cOff : gOff + align(steps * batch * G);
    const hcOff = resident ? tape.tcOff : hOff + align(steps * BH);
    const dOutOff = resident ? dPreHOff + align(steps * batch * G) : hcOff + align(steps * BH);
    const dhOff = dOutOff + (dOutputs ? align(steps * BH) : 0);
    // The kernel keeps the direct term in the B × H floats right after dh.
    this.reserveWithScratch(dhOff + 2 * BH, batch, Math.min(K_BLOCK_PACKED, G), resident);
    this.makeResident(recurrentT as SimdHandle);
    const heap = this.heap;
    if (!resident) {
      heap.set(gates.subarray(0, steps * batch * G), gOff);
      heap.set(hStates.subarray(0, steps * BH), hOff);
      heap.set(hc.subarray(0, steps * BH), hcOff);
    }
    if (dOutputs) heap.set(dOutputs.subarray(0, steps * BH), dOutOff);
    heap.set(dh.subarray(0, BH), dhOff);
    const band = (b0: number, rows: number, part: number): number[] => [
      (dPreXOff + b0 * G) * 4,
      (dPreHOff + b0 * G) * 4,
      0,
      (gOff + b0 * G) * 4,
      (hOff + b0 * H) * 4,
      (hcOff + b0 * H) * 4,
      dOutputs ? (dOutOff + b0 * H) * 4 : 0,
      (dhOff + b0 * H) * 4,
      steps,
      batch,
      rows,
      H,
      zeroLast ? 1 : 0,
      this.scratchAt(part),
    ];
    const worth = 2 * steps * batch * H * G >= MIN_SPLIT_FLOPS;
    this.splitRows('gruBackward', batch, 4, worth, band, this.kernel.gruBackward);
    dPreXOut.set(heap.subarray(dPreXOff, dPreXOff + steps * batch * G));
    dPreHOut.set(heap.subarray(dPreHOff, dPreHOff + steps * batch * G));
    dh.set(heap.subarray(dhOff, dhOff + BH));
    return true;
  }

  /**
   * One fused GRU forward step (see {@link MatmulProvider.gruStep}): `u = h_in·W_hh` by the SIMD
   * product, then the gates and h_t in the SIMD gate kernel. Returns null (the cell then runs its
   * typed-array loop) when `units` is not a multiple of 8 (the 3H-column product's 8-column blocks).
   */
  gruStep(
    xp: Floats,
    hIn: Floats | null,
    recurrent: MatrixHandle,
    recurrentBias: Floats,
    hPrev: Floats,
    batch: number,
    units: number,
    gatesOut: Floats | null,
    hcOut: Floats | null,
  ): Float32Array | null {
    const H = units;
    const G = 3 * H;
    if (H % 8 !== 0 || batch === 0) return null;
    const padded = (batch + 3) & ~3;
    const BH = batch * H;
    const aOff = align(H * G);
    const uOff = aOff + align(padded * H);
    const xOff = uOff + align(padded * G);
    const biasOff = xOff + align(batch * G);
    const hpOff = biasOff + align(G);
    const hOff = hpOff + align(BH);
    const hcOff = hOff + align(BH);
    this.reserveWithScratch(hcOff + BH, padded, Math.min(K_BLOCK_PACKED, H));
    const heap = this.heap;
    if (hIn) {
      this.makeResident(recurrent as SimdHandle);
      this.gemm(hIn, aOff, uOff, batch, H, G, true);
    } else heap.fill(0, uOff, uOff + batch * G);
    heap.set(xp.subarray(0, batch * G), xOff);
    heap.set(recurrentBias, biasOff);
    heap.set(hPrev.subarray(0, BH), hpOff);
    const gates = (b0: number, rows: number): number[] => [
      (xOff + b0 * G) * 4,
      (uOff + b0 * G) * 4,
      biasOff * 4,
      (hpOff + b0 * H) * 4,
      (hOff + b0 * H) * 4,
      (hcOff + b0 * H) * 4,
      rows,
      H,
    ];
    this.splitRows('gruGates', batch, 1, batch * H >= MIN_SPLIT_CELLS, gates, this.kernel.gruGates);
    gatesOut?.set(heap.subarray(xOff, xOff + batch * G));
    hcOut?.set(heap.subarray(hcOff, hcOff + BH));
    return heap.slice(hOff, hOff + BH);
  }

  /**
   * One fused GRU BPTT step (see {@link MatmulProvider.gruBackStep}): the gate derivatives in the SIMD
   * kernel, then `dPreH · W_hhᵀ` straight from the heap.
   */
  gruBackStep(
    dh: Floats,
    hPrev: Floats,
    gates: Floats,
    hc: Floats,
    recurrentT: MatrixHandle | null,
    batch: number,
    units: number,
    dPreXOut: Floats,
    dPreHOut: Floats,
  ): [Float32Array, Float32Array] | null {
    const H = units;
    const G = 3 * H;
    if (H % 8 !== 0 || batch === 0) return null;
    const padded = (batch + 3) & ~3;
    const BH = batch * H;
    const gOff = align(H * G);
    const dPreHOff = gOff + align(batch * G);
    const dhPrevOff = dPreHOff + align(padded * G);
    const dPreXOff = dhPrevOff + align(padded * H);
    const dhOff = dPreXOff + align(batch * G);
    const hpOff = dhOff + align(BH);
    const hcOff = hpOff + align(BH);
    const directOff = hcOff + align(BH);
    this.reserveWithScratch(directOff + BH, padded, Math.min(K_BLOCK_PACKED, G));
    const heap = this.heap;
    heap.set(gates.subarray(0, batch * G), gOff);
    heap.set(dh.subarray(0, BH), dhOff);
    heap.set(hPrev.subarray(0, BH), hpOff);
    heap.set(hc.subarray(0, BH), hcOff);
    const back = (b0: number, rows: number): number[] => [
      (dhOff + b0 * H) * 4,
      (hpOff + b0 * H) * 4,
      (gOff + b0 * G) * 4,
      (hcOff + b0 * H) * 4,
      (dPreXOff + b0 * G) * 4,
      (dPreHOff + b0 * G) * 4,
      (directOff + b0 * H) * 4,
      rows,
      H,
    ];
    this.splitRows('gruBackGates', batch, 1, batch * H >= MIN_SPLIT_CELLS, back, this.kernel.gruBackGates);
    dPreXOut.set(heap.subarray(dPreXOff, dPreXOff + batch * G));
    dPreHOut.set(heap.subarray(dPreHOff, dPreHOff + batch * G));
    const direct = heap.slice(directOff, directOff + BH);
    if (!recurrentT) return [new Float32Array(BH), direct];
    this.makeResident(recurrentT as SimdHandle);
    heap.fill(0, dPreHOff + batch * G, dPreHOff + padded * G);
    this.gemmInHeap(dPreHOff, dhPrevOff, batch, G, H, true);
    return [heap.slice(dhPrevOff, dhPrevOff + BH), direct];
  }

  /**
   * `sgemm` / `sgemmT` (`transposed`) with byte pointers, its `m` rows split over the pool's threads in
   * multiples of 4 when the product is large enough (each part is the same kernel on a band of rows of
   * A and C, so the result does not depend on the split).
   */
  private sgemm(
    transposed: boolean,
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
  ): void {
    const part = (r0: number, rows: number, index: number): number[] => [
      transposed ? a + r0 * 4 : a + r0 * lda * 4,
      b,
      c + r0 * n * 4,
      rows,
      k,
      n,
      lda,
      overwrite,
      this.scratchAt(index),
    ];
    const fn = transposed ? this.kernel.sgemmT : this.kernel.sgemm;
    this.splitRows(transposed ? 'sgemmT' : 'sgemm', m, 4, 2 * m * k * n >= MIN_SPLIT_FLOPS, part, fn);
  }

  /**
   * `sgemmP` (B packed at `b`, panels `ldb` rows apart) with byte pointers, split over threads in bands
   * of rows as {@link sgemm}.
   */
  private sgemmPacked(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
    ldb: number,
  ): void {
    const part = (r0: number, rows: number, index: number): number[] => [
      a + r0 * lda * 4,
      b,
      c + r0 * n * 4,
      rows,
      k,
      n,
      lda,
      overwrite,
      this.scratchAt(index),
      ldb,
    ];
    this.splitRows('sgemmP', m, 4, 2 * m * k * n >= MIN_SPLIT_FLOPS, part, this.kernel.sgemmP);
  }

  /**
   * Runs `fn(...args(r0, rows))` over `total` rows: on this thread alone, or — when `worth` and a pool
   * exists — in one band of rows (a multiple of `step`) per thread.
   */
  private splitRows(
    name: (typeof SIMD_KERNEL_NAMES)[number],
    total: number,
    step: number,
    worth: boolean,
    args: (r0: number, rows: number, part: number) => number[],
    fn: (...a: number[]) => void,
  ): void {
    const parts = this.pool && worth ? Math.min(this.pool.threads, Math.floor(total / step)) : 1;
    if (parts <= 1) {
      fn(...args(0, total, 0));
      return;
    }
    const band = Math.ceil(total / step / parts) * step;
    const calls: number[][] = [];
    for (let r0 = 0; r0 < total; r0 += band) calls.push(args(r0, Math.min(band, total - r0), calls.length));
    (this.pool as KernelPool).run(name, calls, fn);
  }

  /**
   * {@link reserve} for `floats` values plus, after them, one packing scratch per thread for products of
   * up to `m` rows over `k` of the inner dimension (`sgemmScratch` bytes each; see {@link scratchAt}).
   * Forgets the LSTM tape left in the heap when the region may reach it, unless `keepTape` (the caller
   * lays its buffers out around it).
   */
  private reserveWithScratch(floats: number, m: number, k: number, keepTape = false): void {
    this.scratch = align(floats);
    this.scratchSize = align(Math.ceil(this.kernel.sgemmScratch(m, k) / 4));
    const end = this.scratch + this.threads * this.scratchSize;
    // Every write to the heap lies below `end`: past the last LSTM tape's start, it is no longer there.
    if (!keepTape && this.tape && end > this.tape.zOff) this.tape = null;
    this.reserve(end);
  }

  /** Byte offset of thread `part`'s packing scratch reserved by the last {@link reserveWithScratch}. */
  private scratchAt(part: number): number {
    return (this.scratch + part * this.scratchSize) * 4;
  }

  /** Grows the kernel's memory to hold `floats` values. */
  private reserve(floats: number): void {
    const bytes = floats * 4;
    if (bytes <= this.memory.buffer.byteLength) return;
    this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / 65536));
    this.heap = new Float32Array(this.memory.buffer);
  }
}

let sharedProvider: SimdProvider | null | undefined;

/** A growable shared memory for the threaded kernels, or null where shared memory is unavailable. */
function sharedMemory(): WebAssembly.Memory | null {
  try {
    // The shared build of the kernels imports a memory of at most 65536 pages (4 GiB, all of wasm32).
    return new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  } catch {
    return null;
  }
}

/** Where a whole forward pass left its tape in the heap (see `SimdProvider.tape`). */
interface ResidentTape {
  readonly kind: 'lstm' | 'gru';
  readonly gates: Floats;
  readonly cStates: Floats;
  readonly steps: number;
  readonly batch: number;
  readonly units: number;
  readonly zOff: number;
  readonly cOff: number;
  readonly tcOff: number;
  readonly end: number;
}

/** Whether the whole-sequence kernels take this shape: units in 8-column blocks, batch in bands of 4. */
function wholeSequenceFits(units: number, batch: number, steps: number): boolean {
  return units % 8 === 0 && batch % 4 === 0 && batch > 0 && steps > 0;
}

/** Rounds a float offset up to 16 floats (64-byte lines). */
function align(floats: number): number {
  return (floats + 15) & ~15;
}

function transposed(a: Floats, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[off + c];
  }
  return out;
}
