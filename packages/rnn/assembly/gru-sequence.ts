// A whole GRU sequence (reset after, chapter eqs. 4.4.1–4.4.2), forward or backward, for one band of
// batch rows, as lstm-sequence.ts does for the LSTM: the rows of a batch are independent sequences, so
// a thread runs every time step of its rows with no synchronization. Each step is exactly the
// provider's per-step work — the recurrent product by `sgemmP` in the same blocks of K, then
// `gruGates` / `gruBackGates` — so the results are the same bits.
import { gruBackGates, gruGates } from './gru-gates';
import { sgemmP } from './sgemm';

/** Blocks of the inner dimension of the recurrent products: the provider's `K_BLOCK_PACKED`. */
const KB: i32 = 512;

/** `C = A·W` for `rows` rows (a multiple of 4) of A (row stride `k`), W packed at `w`, blocks of {@link KB}. */
@inline
function recurrent(a: usize, w: usize, c: usize, rows: i32, k: i32, n: i32, scratch: usize): void {
  for (let k0 = 0; k0 < k; k0 += KB)
    sgemmP(a + (<usize>k0 << 2), w + (<usize>k0 << 5), c, rows, min(KB, k - k0), n, k, k0 == 0 ? 1 : 0, scratch, k);
}

/**
 * `gruForward(x, w, bias, h, u, hc, T, B, rows, H, zeroFirst, scratch)`: pointers at the band's first
 * row; blocks of consecutive steps are `B` rows apart. `x` (T × B × 3H) holds x_t·W_xh + b and becomes
 * the gate values z, r, h̃ of every step; `h` ((T+1) × B × H) holds h_0 and receives every h_t; `hc`
 * (T × B × H) receives h_{t−1}·U_h + b_h; `u` (B × 3H) is scratch for h_{t−1}·W_hh (W_hh packed at `w`,
 * recurrent bias at `bias`). With `zeroFirst`, h_0 is zero and step 0 skips its product.
 */
export function gruForward(
  x: usize,
  w: usize,
  bias: usize,
  h: usize,
  u: usize,
  hc: usize,
  steps: i32,
  batch: i32,
  rows: i32,
  hUnits: i32,
  zeroFirst: i32,
  scratch: usize,
): void {
  const g = hUnits * 3;
  const stepG = (<usize>batch * g) << 2;
  const stepH = (<usize>batch * hUnits) << 2;
  for (let t = 0; t < steps; t++) {
    const ht = h + <usize>t * stepH;
    if (t > 0 || zeroFirst == 0) recurrent(ht, w, u, rows, hUnits, g, scratch);
    else memory.fill(u, 0, (<usize>rows * g) << 2);
    gruGates(x + <usize>t * stepG, u, bias, ht, ht + stepH, hc + <usize>t * stepH, rows, hUnits);
  }
}

/**
 * `gruBackward(dPreX, dPreH, w, gates, h, hc, dOut, dh, T, B, rows, H, zeroLast, scratch)`: from
 * t = T−1 down to 0, adds ∂C/∂h_t from above (`dOut`, T × B × H; 0 = none) to `dh`, writes the step's
 * ∂C/∂(input and recurrent pre-activations) into `dPreX`, `dPreH` (T × B × 3H each) from the gate
 * values, h_{t−1} (`h`, the states entering each step) and `hc`, then dh ← dPreH_t·W_hhᵀ + dh·(1 − z)
 * (W_hhᵀ packed at `w`; only the direct term at t = 0 with `zeroLast`). `dh` (B × H, followed by B × H
 * floats of scratch for the direct term) enters as ∂C/∂h_T and leaves as ∂C/∂h_0.
 */
export function gruBackward(
  dPreX: usize,
  dPreH: usize,
  w: usize,
  gates: usize,
  h: usize,
  hc: usize,
  dOut: usize,
  dh: usize,
  steps: i32,
  batch: i32,
  rows: i32,
  hUnits: i32,
  zeroLast: i32,
  scratch: usize,
): void {
  const g = hUnits * 3;
  const stepG = (<usize>batch * g) << 2;
  const stepH = (<usize>batch * hUnits) << 2;
  const direct = dh + stepH;
  const n = rows * hUnits;
  for (let t = steps - 1; t >= 0; t--) {
    if (dOut != 0) {
      const pd = dOut + <usize>t * stepH;
      for (let i = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        v128.store(dh + o, f32x4.add(v128.load(dh + o), v128.load(pd + o)));
      }
    }
    const dx = dPreX + <usize>t * stepG;
    const dr = dPreH + <usize>t * stepG;
    gruBackGates(dh, h + <usize>t * stepH, gates + <usize>t * stepG, hc + <usize>t * stepH, dx, dr, direct, rows, hUnits);
    if (t > 0 || zeroLast == 0) recurrent(dr, w, dh, rows, g, hUnits, scratch);
    else memory.fill(dh, 0, <usize>n << 2);
    // The per-step path's order: the product first, then the direct term added to it.
    for (let i = 0; i < n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dh + o, f32x4.add(v128.load(dh + o), v128.load(direct + o)));
    }
  }
}
