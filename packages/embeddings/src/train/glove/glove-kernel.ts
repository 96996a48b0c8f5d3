/** Where the compiled GloVe kernel (`assembly/glove-epoch.ts`) finds its state in a WebAssembly memory. */
export interface GloveMemory {
  memory: WebAssembly.Memory;
  /** Byte offset of the configuration block (i32 words, glove-memory.ts's order). */
  config: number;
  /** Byte offset of thread 0's result (the cost, f64); thread t's at `results + 8·t`. */
  results: number;
  /** Threads the result area has room for. */
  slots: number;
}

/** Typed-array state of GloVe training (views of one WebAssembly memory for the compiled kernel). */
export interface GloveState {
  dim: number;
  /** Word vectors W and context vectors W̃, V × dim each. */
  w: Float32Array;
  wt: Float32Array;
  /** Biases b and b̃. */
  b: Float32Array;
  bt: Float32Array;
  /** AdaGrad accumulators (Σ g², starting at 1 as in Stanford GloVe) for w, wt, b, bt. */
  gw: Float32Array;
  gwt: Float32Array;
  gb: Float32Array;
  gbt: Float32Array;
  /**
   * Non-zero co-occurrences (i, j) in training order: 16-bit word indices for vocabularies of at most
   * 65,536 words, 32-bit beyond.
   */
  rows: Int32Array | Uint16Array;
  cols: Int32Array | Uint16Array;
  /**
   * Entry e's index into `logs` and `weights`, or null when those hold one value per entry (index e).
   */
  values: Uint32Array | null;
  /**
   * 0, or b > 0 when the entries are packed in 6 bytes (the compiled kernel on a corpus, when they fit):
   * entry e is the 48-bit number `values[e] + 2³²·cols[e]` = i + 2ᵇ·j + 2²ᵇ·v (v its value's index), and
   * `rows` is empty. See {@link unpackEntry}.
   */
  packed: number;
  /** Precomputed log Xᵢⱼ and h(Xᵢⱼ) (they never change between epochs), per distinct X or per entry. */
  logs: Float64Array;
  weights: Float32Array;
  /** Number of entries (non-zero co-occurrences). */
  nonZeros: number;
  xMax: number;
  alpha: number;
  /** The WebAssembly memory of the compiled kernel (undefined for the plain JS kernel). */
  wasm?: GloveMemory;
}

/** Entry e of a state as [i, j, v] (v: the index into `logs` and `weights`), packed or not. */
export function unpackEntry(s: GloveState, e: number): [number, number, number] {
  if (s.packed === 0) return [s.rows[e], s.cols[e], s.values ? s.values[e] : e];
  const b = s.packed;
  const c = s.values![e] + 2 ** 32 * s.cols[e];
  const i = c % 2 ** b;
  const j = Math.floor(c / 2 ** b) % 2 ** b;
  return [i, j, Math.floor(c / 2 ** (2 * b))];
}

/** Weighting h(x) = (x/x_max)^α for x < x_max, else 1 (chapter, Fig 4-9; Pennington et al. 2014 eq. 9). */
export function gloveWeight(x: number, xMax: number, alpha: number): number {
  return x < xMax ? (x / xMax) ** alpha : 1;
}

/**
 * One AdaGrad pass over co-occurrences [from, to), exactly Stanford glove.c's update: with
 * diff = wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ and f = h(Xᵢⱼ)·diff, every parameter θ moves by
 * −η·∂θ/√(Σ∂θ²) where ∂wᵢ = f·w̃ⱼ, ∂w̃ⱼ = f·wᵢ, ∂bᵢ = ∂b̃ⱼ = f (the gradient of ½·cost; the chapter's cost
 * without ½ only rescales η). Returns the chapter's cost Σ h(X)·diff² accumulated before each update.
 * The plain JS kernel (float64 dot products); the compiled one is `assembly/glove-epoch.ts`.
 */
export function gloveEpoch(
  s: GloveState,
  from: number,
  to: number,
  eta: number,
  rng: number,
): { cost: number; rng: number } {
  const { dim: d, w, wt, b, bt, gw, gwt, gb, gbt, rows, cols, values, logs, weights } = s;
  if (s.packed !== 0) throw new Error('unreachable: packed entries are for the compiled kernel');
  let cost = 0;
  for (let e = from; e < to; e++) {
    const i = rows[e];
    const j = cols[e];
    const v = values ? values[e] : e;
    const l1 = i * d;
    const l2 = j * d;
    let diff = b[i] + bt[j] - logs[v];
    for (let k = 0; k < d; k++) diff += w[l1 + k] * wt[l2 + k];
    let fdiff = weights[v] * diff;
    if (!Number.isFinite(fdiff)) continue;
    cost += fdiff * diff;
    fdiff *= eta;
    for (let k = 0; k < d; k++) {
      const g1 = fdiff * wt[l2 + k];
      const g2 = fdiff * w[l1 + k];
      w[l1 + k] -= g1 / Math.sqrt(gw[l1 + k]);
      wt[l2 + k] -= g2 / Math.sqrt(gwt[l2 + k]);
      gw[l1 + k] += g1 * g1;
      gwt[l2 + k] += g2 * g2;
    }
    b[i] -= fdiff / Math.sqrt(gb[i]);
    bt[j] -= fdiff / Math.sqrt(gbt[j]);
    gb[i] += fdiff * fdiff;
    gbt[j] += fdiff * fdiff;
  }
  return { cost, rng };
}
