import { KERNELS_WASM, KERNELS_WASM_SHARED } from '../generated/kernels.js';

/**
 * WebAssembly SIMD kernels for the LSTM forward pass and the dense products of BPTT, compiled at build
 * time from the AssemblyScript sources in `packages/rnn/assembly/` (`sgemm.ts`, `lstm-gates.ts`,
 * `lstm-sequence.ts`, `gru-gates.ts`, `gru-sequence.ts`, `activations.ts`). tfjs' per-op cost (tensor allocation, upload to the backend, `dataSync` copy) is
 * paid 56 times per MNIST batch for products of only 128 × 128 · 128 × 512, and the cpu backend
 * multiplies at ≈ 0.5 GFLOP/s; these kernels run at the speed of a register-blocked SIMD loop on either
 * backend.
 *
 * `sgemm(a, b, c, M, K, N, lda, overwrite, w)`: `C += A·B` (or `C = A·B` when `overwrite` ≠ 0) on
 * row-major float32 matrices in one linear memory; pointers are byte offsets, `A` is `M × K` with row
 * stride `lda` floats, `B` is `K × N` (row stride `N`), `C` is `M × N`. `M` must be a multiple of 4 and
 * `N` of 8: the micro-kernel keeps a 4 × 8 block of `C` in eight f32x4 accumulators, broadcasting one
 * element of each of the 4 rows of `A` against two vectors of a row of `B` per step of `k`. With `w` ≠ 0
 * the operands are first packed into contiguous panels in `sgemmScratch(M, K)` bytes of scratch at `w`
 * (0 = unpacked); packing moves floats only, so the results are the same bits either way.
 */
export interface SimdKernels {
  sgemm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
    w: number,
  ): void;
  /** `sgemm` with `A` stored transposed: element (i, k) at `a[k·lda + i]` (reads up to 3 lanes past row `M`). */
  sgemmT(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
    w: number,
  ): void;
  /**
   * `sgemm` with `B` already packed: 8-column panels of `ldb` rows of 8 floats, panel p at
   * `b + 32·ldb·p` bytes (`b` may point at row k0 of the panels); `A` is packed into scratch at `w`.
   */
  sgemmP(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
    w: number,
    ldb: number,
  ): void;
  /**
   * Bytes of packing scratch `sgemm` / `sgemmT` need at `w` for a product of `m` rows over `k` (at most
   * 128 rows of A in 4-row panels of `16·k` bytes, then one 8-column panel of B, `32·k` bytes).
   */
  sgemmScratch(m: number, k: number): number;
  /**
   * One LSTM step's gate math for `B` rows of `H` units (`H` a multiple of 4): `z` (`B × 4H`, the
   * pre-activations without bias, in Keras order i, f, c̃, o) becomes the gate values in place,
   * `c = f∗c_prev + i∗c̃`, `tc = tanh(c)`, `h = o∗tc`. σ and tanh go through a Cephes-style float32
   * `exp` (range reduction by ln 2, degree-6 polynomial, relative error ≈ 1e-7).
   */
  lstmGates(
    z: number,
    bias: number,
    cPrev: number,
    h: number,
    c: number,
    tc: number,
    b: number,
    hUnits: number,
  ): void;
  /**
   * The BPTT step of the same gates (chapter eqs. 4.2.x for the LSTM; see `LstmCell.backStep`): from
   * ∂C/∂h_t, ∂C/∂c_t, c_{t−1}, the gate values and tanh(c_t), writes ∂C/∂(pre-activations)
   * (`B × 4H`) and ∂C/∂c_{t−1} = ∂C/∂c_t · f_t.
   */
  lstmBackGates(
    dh: number,
    dc: number,
    cPrev: number,
    gates: number,
    tc: number,
    dPre: number,
    dcPrev: number,
    b: number,
    hUnits: number,
  ): void;
  /**
   * A whole LSTM forward pass for one band of `rows` batch rows (a multiple of 4; pointers at the band's
   * first row, steps `B` rows apart): for each t, `z_t += h_t·W_hh` (W_hh packed at `w`; skipped at t = 0
   * with `zeroFirst`) then `lstmGates` into h_{t+1}, c_{t+1} and tanh(c_t) — the per-step work, same bits,
   * with no synchronization between threads (the rows of a batch are independent sequences).
   */
  lstmForward(
    z: number,
    w: number,
    bias: number,
    h: number,
    c: number,
    tc: number,
    steps: number,
    batch: number,
    rows: number,
    hUnits: number,
    zeroFirst: number,
    scratch: number,
  ): void;
  /**
   * The whole LSTM BPTT recurrence for one band of rows: for t = T−1 … 0, `dh += dOut_t` (`dOut` 0 =
   * none), `lstmBackGates` into `dPre_t` and `dc`, then `dh = dPre_t·W_hhᵀ` (W_hhᵀ packed at `w`; zeros
   * at t = 0 with `zeroLast`). `dh`, `dc` enter as ∂C/∂ the final states and leave as ∂C/∂ the initial.
   */
  lstmBackward(
    dPre: number,
    w: number,
    gates: number,
    c: number,
    tc: number,
    dOut: number,
    dh: number,
    dc: number,
    steps: number,
    batch: number,
    rows: number,
    hUnits: number,
    zeroLast: number,
    scratch: number,
  ): void;
  /**
   * One GRU step's gate math (reset after, chapter eq. 4.4.1) for `B` rows of `H` units (`H` a multiple
   * of 4): from `x` (`B × 3H`, x_t·W_xh + b, Keras order z, r, h̃) and `u` (`B × 3H`, h_{t−1}·W_hh) with
   * the recurrent bias, writes z = σ(x_z + u_z + b_z), r = σ(x_r + u_r + b_r), h̃ = tanh(x_h + r∗hc)
   * over `x`, hc = u_h + b_h into `hc` and h = (1 − z)∗h_{t−1} + z∗h̃ (eq. 4.4.2) into `h`.
   */
  gruGates(
    x: number,
    u: number,
    bias: number,
    hPrev: number,
    h: number,
    hc: number,
    b: number,
    hUnits: number,
  ): void;
  /**
   * The BPTT step of the same gates (see `GruCell.backStep`): from ∂C/∂h_t, h_{t−1}, the gate values
   * and hc, writes ∂C/∂(input pre-activations) and ∂C/∂(recurrent pre-activations) (`B × 3H` each;
   * they differ in the candidate block, scaled by r) and the direct term dh·(1 − z) of ∂C/∂h_{t−1}.
   */
  gruBackGates(
    dh: number,
    hPrev: number,
    gates: number,
    hc: number,
    dPreX: number,
    dPreH: number,
    direct: number,
    b: number,
    hUnits: number,
  ): void;
  /**
   * A whole GRU (reset after) forward pass for one band of `rows` batch rows (a multiple of 4): for
   * each t, `u = h_t·W_hh` into the band's `u` scratch (zeros at t = 0 with `zeroFirst`) then
   * `gruGates` over `x_t` into h_{t+1} and hc_t — the per-step work, same bits.
   */
  gruForward(
    x: number,
    w: number,
    bias: number,
    h: number,
    u: number,
    hc: number,
    steps: number,
    batch: number,
    rows: number,
    hUnits: number,
    zeroFirst: number,
    scratch: number,
  ): void;
  /**
   * The whole GRU (reset after) BPTT recurrence for one band of rows: for t = T−1 … 0, `dh += dOut_t`,
   * `gruBackGates` into `dPreX_t`, `dPreH_t` and the direct term (the `B × H` floats after `dh`), then
   * `dh = dPreH_t·W_hhᵀ + direct` (only the direct term at t = 0 with `zeroLast`).
   */
  gruBackward(
    dPreX: number,
    dPreH: number,
    w: number,
    gates: number,
    h: number,
    hc: number,
    dOut: number,
    dh: number,
    steps: number,
    batch: number,
    rows: number,
    hUnits: number,
    zeroLast: number,
    scratch: number,
  ): void;
}

/**
 * The module's bytes (imports `env.memory`, exports `sgemm`, `sgemmT`, `sgemmP`, `sgemmScratch`, `lstmGates`, `lstmBackGates`,
 * `lstmForward`, `lstmBackward`, `gruGates`, `gruBackGates`, `gruForward`, `gruBackward`);
 * `shared` picks the build for a shared memory (worker threads).
 */
export function simdKernelsBytes(shared = false): Uint8Array {
  const text = atob(shared ? KERNELS_WASM_SHARED : KERNELS_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Compiles the kernels over `memory` (shared memories get the shared build), or returns null when this
 * runtime lacks WebAssembly SIMD.
 */
export function instantiateSimdKernels(memory: WebAssembly.Memory): SimdKernels | null {
  try {
    const module = compileSimdKernels(isShared(memory));
    if (!module) return null;
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return instance.exports as unknown as SimdKernels;
  } catch {
    return null;
  }
}

/** The exports of the kernel module, by name (what a worker pool may call). */
export const SIMD_KERNEL_NAMES = [
  'sgemm',
  'sgemmT',
  'sgemmP',
  'lstmGates',
  'lstmBackGates',
  'lstmForward',
  'lstmBackward',
  'gruGates',
  'gruBackGates',
  'gruForward',
  'gruBackward',
] as const;

/** The compiled module (the shared-memory build with `shared`), or null without WebAssembly SIMD. */
export function compileSimdKernels(shared: boolean): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const slot = shared ? 1 : 0;
    compiled[slot] ??= new WebAssembly.Module(simdKernelsBytes(shared) as BufferSource);
    return compiled[slot];
  } catch {
    return null;
  }
}

/** True for a `WebAssembly.Memory({ shared: true })`. */
function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
}

/** The compiled modules (unshared, shared), compiled on first use, not at import. */
const compiled: [WebAssembly.Module | undefined, WebAssembly.Module | undefined] = [undefined, undefined];
