import * as tf from '@tensorflow/tfjs-core';

/** A dense float buffer: `Float32Array` on tfjs, `Float64Array` in the float64 reference. */
export type Floats = Float32Array | Float64Array;

/**
 * Dense input of a whole-sequence pass (`T·B × features`, time-major) whose input projections
 * `x_t·W_xh` (plus the input bias where the cell does not fuse it) the provider computes itself.
 */
export interface SequenceProjection {
  /** The input, time-major `T·B × features`. */
  readonly data: Floats;
  /** Features per step (D, the rows of W_xh). */
  readonly features: number;
}

/** A weight matrix prepared once per call, `rows × cols`, in whatever form the provider multiplies fastest. */
export interface MatrixHandle {
  readonly rows: number;
  readonly cols: number;
}

/**
 * Where the big matrix products of explicit BPTT run. Everything else (gate nonlinearities, cell
 * updates and their derivatives) runs in typed-array kernels on the buffers these products return:
 * on wasm one fused kernel loop beats a dozen small tfjs ops per time step.
 *
 * `TfjsProvider` sends the products to the active tfjs backend (XNNPACK on wasm); `Float64Provider`
 * computes them in plain float64 loops so gradients can be checked against central differences
 * without float32 noise.
 */
export interface MatmulProvider {
  /** A zero-filled buffer of the provider's float type. */
  alloc(length: number): Floats;
  /** A weight variable as a matrix (no copy on tfjs). */
  matrix(variable: tf.Variable): MatrixHandle;
  /** A weight variable's values as a flat buffer (biases). */
  vector(variable: tf.Variable): Floats;
  /** Columns `[start, start + size)` of a matrix. Dispose it with {@link release}. */
  sliceColumns(m: MatrixHandle, start: number, size: number): MatrixHandle;
  /** The transpose of a matrix. Dispose it with {@link release}. */
  transpose(m: MatrixHandle): MatrixHandle;
  /** `a · m` where `a` is `rows × m.rows`; returns `rows × m.cols`. */
  mul(a: Floats, rows: number, m: MatrixHandle): Floats;
  /** `aᵀ · b` where `a` is `rows × aCols` and `b` is `rows × bCols`; returns `aCols × bCols`. */
  mulTransposeA(a: Floats, aCols: number, b: Floats, bCols: number, rows: number): Floats;
  /** Rows `ids` of `m` (one-hot inputs times a kernel), `ids.length × m.cols`. */
  gatherRows(m: MatrixHandle, ids: Int32Array): Floats;
  /** Frees a handle made by {@link sliceColumns} or {@link transpose}. */
  release(m: MatrixHandle): void;
  /**
   * Optional fused LSTM forward step (the gate equations of the LSTM cell): from `xp` = x_t·W_xh
   * (`B × 4H`, no bias), `h_{t−1}` (null when it is zero), W_hh, the bias and `c_{t−1}`, returns
   * `[h_t, c_t]` and writes the gate values (`B × 4H`) and tanh(c_t) (`B × H`) into the given views.
   * Returns null when it cannot handle the shapes; the cell then runs its own loop.
   */
  lstmStep?(
    xp: Floats,
    hPrev: Floats | null,
    recurrent: MatrixHandle,
    bias: Floats,
    cPrev: Floats,
    batch: number,
    units: number,
    gatesOut: Floats | null,
    tanhCOut: Floats | null,
  ): [Floats, Floats] | null;
  /**
   * Optional fused LSTM BPTT step: from ∂C/∂h_t, ∂C/∂c_t, c_{t−1} and the step's gate values and
   * tanh(c_t), writes ∂C/∂(pre-activations) into `dPreOut` (`B × 4H`) and returns
   * `[∂C/∂h_{t−1}, ∂C/∂c_{t−1}]`, the first being `dPre · W_hhᵀ` (zeros when `recurrentT` is null).
   * Returns null when it cannot handle the shapes.
   */
  lstmBackStep?(
    dh: Floats,
    dc: Floats,
    cPrev: Floats,
    gates: Floats,
    tanhC: Floats,
    recurrentT: MatrixHandle | null,
    batch: number,
    units: number,
    dPreOut: Floats,
  ): [Floats, Floats] | null;
  /**
   * Optional whole LSTM forward pass (every step as {@link lstmStep}, no recurrent dropout, no mask):
   * from `xp` (`T × B × 4H`, no bias; or the dense input, projected here by `kernel` W_xh) and the entering states in block 0 of `states` (`[h, c]`, each
   * `(T+1) × B × H`), fills blocks 1…T of both and writes the gate values (`T × B × 4H`) and tanh(c_t)
   * (`T × B × H`) into the given buffers. `zeroFirst`: the entering states are zero. Returns false when
   * it cannot handle the shapes (the engine then runs the steps one by one).
   */
  lstmSequence?(
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
  ): boolean;
  /**
   * Optional whole LSTM BPTT recurrence (every step as {@link lstmBackStep}): from the forward pass's
   * gate values, tanh(c_t) and c states (`(T+1) × B × H`, block t entering step t), ∂C/∂h_t from above
   * (`dOutputs`, `T × B × H`, or null), writes ∂C/∂(pre-activations) of every step into `dPreOut`
   * (`T × B × 4H`) and turns `dh`, `dc` (`B × H`, ∂C/∂ the final states) into ∂C/∂ the initial states
   * (`dh` zero with `zeroLast`). Returns false when it cannot handle the shapes.
   */
  lstmBackSequence?(
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
  ): boolean;
  /**
   * Optional fused GRU forward step with the reset gate after the recurrent product (chapter eqs.
   * 4.4.1–4.4.2): from `xp` = x_t·W_xh + b (`B × 3H`), the recurrent input h_{t−1} as the products see
   * it (null when it is zero), W_hh, the recurrent bias and h_{t−1} itself, returns h_t and writes the
   * gate values z, r, h̃ (`B × 3H`) and hc = h_{t−1}·U_h + b_h (`B × H`) into the given views.
   * Returns null when it cannot handle the shapes; the cell then runs its own loop.
   */
  gruStep?(
    xp: Floats,
    hIn: Floats | null,
    recurrent: MatrixHandle,
    recurrentBias: Floats,
    hPrev: Floats,
    batch: number,
    units: number,
    gatesOut: Floats | null,
    hcOut: Floats | null,
  ): Floats | null;
  /**
   * Optional fused GRU (reset after) BPTT step: from ∂C/∂h_t, h_{t−1}, the step's gate values and hc,
   * writes ∂C/∂(input pre-activations) into `dPreXOut` and ∂C/∂(recurrent pre-activations) into
   * `dPreHOut` (`B × 3H` each) and returns `[dPreH · W_hhᵀ, dh·(1 − z)]` — the gradient reaching h_{t−1}
   * through the recurrent products (zeros when `recurrentT` is null) and its direct term.
   * Returns null when it cannot handle the shapes.
   */
  gruBackStep?(
    dh: Floats,
    hPrev: Floats,
    gates: Floats,
    hc: Floats,
    recurrentT: MatrixHandle | null,
    batch: number,
    units: number,
    dPreXOut: Floats,
    dPreHOut: Floats,
  ): [Floats, Floats] | null;
  /**
   * Optional whole GRU (reset after) forward pass (every step as {@link gruStep}, no recurrent dropout,
   * no mask): from `xp` (`T × B × 3H`, with the input bias; or the dense input, projected here by
   * `kernel` W_xh with `bias` added) and h_0 in block 0 of `hStates`
   * (`(T+1) × B × H`), fills blocks 1…T and writes the gate values (`T × B × 3H`) and hc (`T × B × H`).
   * Returns false when it cannot handle the shapes.
   */
  gruSequence?(
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
  ): boolean;
  /**
   * Optional whole GRU (reset after) BPTT recurrence (every step as {@link gruBackStep}): writes
   * ∂C/∂(input and recurrent pre-activations) of every step into `dPreXOut`, `dPreHOut`
   * (`T × B × 3H`) and turns `dh` (∂C/∂h_T) into ∂C/∂h_0, adding `dOutputs` (`T × B × H`, or null) at
   * each step. Returns false when it cannot handle the shapes.
   */
  gruBackSequence?(
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
  ): boolean;
}

interface TfHandle extends MatrixHandle {
  readonly tensor: tf.Tensor2D;
  readonly owned: boolean;
}

/** Matrix products on the active tfjs backend; buffers are `Float32Array`. */
export class TfjsProvider implements MatmulProvider {
  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  matrix(variable: tf.Variable): MatrixHandle {
    const [rows, cols] = variable.shape;
    return { rows, cols, tensor: variable as unknown as tf.Tensor2D, owned: false } as TfHandle;
  }

  vector(variable: tf.Variable): Float32Array {
    return variable.dataSync() as Float32Array;
  }

  sliceColumns(m: MatrixHandle, start: number, size: number): MatrixHandle {
    const tensor = tf.slice((m as TfHandle).tensor, [0, start], [m.rows, size]);
    return { rows: m.rows, cols: size, tensor, owned: true } as TfHandle;
  }

  transpose(m: MatrixHandle): MatrixHandle {
    const tensor = tf.transpose((m as TfHandle).tensor);
    return { rows: m.cols, cols: m.rows, tensor, owned: true } as TfHandle;
  }

  mul(a: Floats, rows: number, m: MatrixHandle): Float32Array {
    const at = tf.tensor2d(a as Float32Array, [rows, m.rows]);
    const product = tf.matMul(at, (m as TfHandle).tensor);
    const out = product.dataSync() as Float32Array;
    at.dispose();
    product.dispose();
    return out;
  }

  mulTransposeA(a: Floats, aCols: number, b: Floats, bCols: number, rows: number): Float32Array {
    // matMul(a, b, transposeA) takes a slow path on wasm (≈ 14× slower than XNNPACK's plain product
    // for 3584 × 128ᵀ · 3584 × 512): transpose in a typed-array loop first.
    const aT = new Float32Array(rows * aCols);
    for (let r = 0; r < rows; r++) {
      const off = r * aCols;
      for (let c = 0; c < aCols; c++) aT[c * rows + r] = a[off + c];
    }
    const at = tf.tensor2d(aT, [aCols, rows]);
    const bt = tf.tensor2d(b as Float32Array, [rows, bCols]);
    const product = tf.matMul(at, bt);
    const out = product.dataSync() as Float32Array;
    tf.dispose([at, bt, product]);
    return out;
  }

  gatherRows(m: MatrixHandle, ids: Int32Array): Float32Array {
    const idx = tf.tensor1d(ids, 'int32');
    const rows = tf.gather((m as TfHandle).tensor, idx);
    const out = rows.dataSync() as Float32Array;
    tf.dispose([idx, rows]);
    return out;
  }

  release(m: MatrixHandle): void {
    const h = m as TfHandle;
    if (h.owned) h.tensor.dispose();
  }
}

interface F64Handle extends MatrixHandle {
  readonly data: Float64Array;
}

/**
 * Matrix products in float64 JavaScript loops, for gradient checks. `overrides` replaces a variable's
 * values (finite differences perturb weights in float64, below float32 resolution).
 */
export class Float64Provider implements MatmulProvider {
  constructor(readonly overrides: Map<tf.Variable, Float64Array> = new Map()) {}

  alloc(length: number): Float64Array {
    return new Float64Array(length);
  }

  private values(variable: tf.Variable): Float64Array {
    return this.overrides.get(variable) ?? Float64Array.from(variable.dataSync() as Float32Array);
  }

  matrix(variable: tf.Variable): MatrixHandle {
    const [rows, cols] = variable.shape;
    return { rows, cols, data: this.values(variable) } as F64Handle;
  }

  vector(variable: tf.Variable): Float64Array {
    return this.values(variable);
  }

  sliceColumns(m: MatrixHandle, start: number, size: number): MatrixHandle {
    const src = (m as F64Handle).data;
    const data = new Float64Array(m.rows * size);
    for (let r = 0; r < m.rows; r++)
      data.set(src.subarray(r * m.cols + start, r * m.cols + start + size), r * size);
    return { rows: m.rows, cols: size, data } as F64Handle;
  }

  transpose(m: MatrixHandle): MatrixHandle {
    const src = (m as F64Handle).data;
    const data = new Float64Array(m.rows * m.cols);
    for (let r = 0; r < m.rows; r++)
      for (let c = 0; c < m.cols; c++) data[c * m.rows + r] = src[r * m.cols + c];
    return { rows: m.cols, cols: m.rows, data } as F64Handle;
  }

  mul(a: Floats, rows: number, m: MatrixHandle): Float64Array {
    const w = (m as F64Handle).data;
    const { rows: inner, cols } = m;
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < inner; k++) {
        const av = a[r * inner + k];
        if (av === 0) continue;
        for (let c = 0; c < cols; c++) out[r * cols + c] += av * w[k * cols + c];
      }
    return out;
  }

  mulTransposeA(a: Floats, aCols: number, b: Floats, bCols: number, rows: number): Float64Array {
    const out = new Float64Array(aCols * bCols);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < aCols; i++) {
        const av = a[r * aCols + i];
        if (av === 0) continue;
        for (let j = 0; j < bCols; j++) out[i * bCols + j] += av * b[r * bCols + j];
      }
    return out;
  }

  gatherRows(m: MatrixHandle, ids: Int32Array): Float64Array {
    return copyRows((m as F64Handle).data, m.cols, ids, new Float64Array(ids.length * m.cols));
  }

  release(): void {}
}

/**
 * Copies rows `ids` of the row-major matrix `src` (`cols` wide) into `out`, one after another: the
 * embedding lookup of token-id input, for providers that hold their matrices in typed arrays.
 */
export function copyRows<T extends Float32Array | Float64Array>(
  src: T,
  cols: number,
  ids: Int32Array,
  out: T,
): T {
  for (let i = 0; i < ids.length; i++) out.set(src.subarray(ids[i] * cols, (ids[i] + 1) * cols), i * cols);
  return out;
}
