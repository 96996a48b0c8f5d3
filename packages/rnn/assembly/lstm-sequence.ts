// A whole LSTM sequence, forward or backward, for one band of batch rows: row b of h_t depends only on
// row b of h_{t−1} (the sequences of a batch are independent), so a thread can run every time step of
// its rows with no synchronization, where a per-step split needs two round trips between threads per
// step. Each step is exactly the provider's per-step work — the recurrent product by `sgemmP` in the
// same blocks of K, then `lstmGates` / `lstmBackGates` — so the results are the same bits.
import { lstmBackGates, lstmGates } from './lstm-gates';
import { sgemmP } from './sgemm';

/** Blocks of the inner dimension of the recurrent products: the provider's `K_BLOCK_PACKED`. */
const KB: i32 = 512;

/**
 * `C = A·W` (`overwrite`) or `C += A·W` for `rows` rows (a multiple of 4) of A (row stride `k` floats)
 * against W (`k × n`) packed at `w` in 8-column panels of `k` rows, in blocks of {@link KB} of `k`.
 */
@inline
function recurrent(a: usize, w: usize, c: usize, rows: i32, k: i32, n: i32, overwrite: bool, scratch: usize): void {
  for (let k0 = 0; k0 < k; k0 += KB)
    sgemmP(a + (<usize>k0 << 2), w + (<usize>k0 << 5), c, rows, min(KB, k - k0), n, k, overwrite && k0 == 0 ? 1 : 0, scratch, k);
}

/**
 * `lstmForward(z, w, bias, h, c, tc, T, B, rows, H, zeroFirst, scratch)`: pointers at the band's first
 * row; blocks of consecutive steps are `B` rows apart. `z` (T × B × 4H) holds x_t·W_xh and becomes the
 * gate values of every step; `h`, `c` ((T+1) × B × H) hold the states entering step 0 and receive
 * those after every step; `tc` (T × B × H) receives tanh(c_t). W_hh is packed at `w`. With
 * `zeroFirst` the entering states are zero and step 0 skips its product. `rows` is a multiple of 4.
 */
export function lstmForward(
  z: usize,
  w: usize,
  bias: usize,
  h: usize,
  c: usize,
  tc: usize,
  steps: i32,
  batch: i32,
  rows: i32,
  hUnits: i32,
  zeroFirst: i32,
  scratch: usize,
): void {
  const g = hUnits << 2;
  const stepG = (<usize>batch * g) << 2;
  const stepH = (<usize>batch * hUnits) << 2;
  for (let t = 0; t < steps; t++) {
    const zt = z + <usize>t * stepG;
    const ht = h + <usize>t * stepH;
    const ct = c + <usize>t * stepH;
    if (t > 0 || zeroFirst == 0) recurrent(ht, w, zt, rows, hUnits, g, false, scratch);
    lstmGates(zt, bias, ct, ht + stepH, ct + stepH, tc + <usize>t * stepH, rows, hUnits);
  }
}

/**
 * `lstmBackward(dPre, w, gates, c, tc, dOut, dh, dc, T, B, rows, H, zeroLast, scratch)`: from t = T−1
 * down to 0, adds ∂C/∂h_t from above (`dOut`, T × B × H; 0 = none) to `dh`, writes ∂C/∂(pre-activations)
 * of step t into `dPre` (T × B × 4H) from the gate values, c_{t−1} (`c`, the states entering each step)
 * and tanh(c_t) (`tc`), then dc ← ∂C/∂c_{t−1} and dh ← dPre_t·W_hhᵀ (W_hhᵀ packed at `w`; zeros at
 * t = 0 with `zeroLast`, whose gradient nobody needs). `dh`, `dc` (B × H) enter as ∂C/∂ the final
 * states and leave as ∂C/∂ the initial ones.
 */
export function lstmBackward(
  dPre: usize,
  w: usize,
  gates: usize,
  c: usize,
  tc: usize,
  dOut: usize,
  dh: usize,
  dc: usize,
  steps: i32,
  batch: i32,
  rows: i32,
  hUnits: i32,
  zeroLast: i32,
  scratch: usize,
): void {
  const g = hUnits << 2;
  const stepG = (<usize>batch * g) << 2;
  const stepH = (<usize>batch * hUnits) << 2;
  const n = rows * hUnits;
  for (let t = steps - 1; t >= 0; t--) {
    if (dOut != 0) {
      const pd = dOut + <usize>t * stepH;
      for (let i = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        v128.store(dh + o, f32x4.add(v128.load(dh + o), v128.load(pd + o)));
      }
    }
    const dt = dPre + <usize>t * stepG;
    // dc is read before it is written at each index: ∂C/∂c_{t−1} can overwrite ∂C/∂c_t in place.
    lstmBackGates(dh, dc, c + <usize>t * stepH, gates + <usize>t * stepG, tc + <usize>t * stepH, dt, dc, rows, hUnits);
    if (t > 0 || zeroLast == 0) recurrent(dt, w, dh, rows, g, hUnits, true, scratch);
    else memory.fill(dh, 0, <usize>n << 2);
  }
}
