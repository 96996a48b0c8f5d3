// The gate math of one GRU step with the reset gate after the recurrent product, forward and backward
// (the chapter "NLP with RNNs", eqs. 4.4.1–4.4.2 and their BPTT; Keras gate order z, r, h̃), for B rows
// of H units (H a multiple of 4). Pointers are byte offsets; a row of pre-activations is 3H floats: the
// blocks of z, r and h̃. The chapter's z weights the candidate: h_t = (1 − z) ∗ h_{t−1} + z ∗ h̃_t.
import { sigmoid4, tanh4 } from './activations';

/**
 * `gruGates(x, u, bias, hPrev, h, hc, B, H)`: from the input projections `x` (B × 3H, x_t·W_xh + b) and
 * the recurrent products `u` (B × 3H, h_{t−1}·W_hh), with the recurrent bias b_h, writes the gate values
 * over `x` — z = σ(x_z + u_z + b_z), r = σ(x_r + u_r + b_r), h̃ = tanh(x_h + r ∗ hc) with
 * hc = u_h + b_h (stored in `hc`, B × H) — and h = (1 − z) ∗ h_{t−1} + z ∗ h̃.
 */
export function gruGates(
  x: usize,
  u: usize,
  bias: usize,
  hPrev: usize,
  h: usize,
  hc: usize,
  b: i32,
  hUnits: i32,
): void {
  const one = f32x4.splat(1);
  const h1 = (<usize>hUnits) << 2;
  const h2 = h1 * 2;
  let ps: usize = 0;
  for (let row = 0; row < b; row++) {
    let px = x + <usize>row * h1 * 3;
    let pu = u + <usize>row * h1 * 3;
    let pb = bias;
    for (let j = 0; j < hUnits; j += 4, px += 16, pu += 16, pb += 16, ps += 16) {
      const z = sigmoid4(f32x4.add(f32x4.add(v128.load(px), v128.load(pu)), v128.load(pb)));
      const r = sigmoid4(f32x4.add(f32x4.add(v128.load(px + h1), v128.load(pu + h1)), v128.load(pb + h1)));
      const hcv = f32x4.add(v128.load(pu + h2), v128.load(pb + h2));
      const cand = tanh4(f32x4.add(v128.load(px + h2), f32x4.mul(r, hcv)));
      v128.store(px, z);
      v128.store(px + h1, r);
      v128.store(px + h2, cand);
      v128.store(hc + ps, hcv);
      const hp = v128.load(hPrev + ps);
      v128.store(h + ps, f32x4.add(f32x4.mul(f32x4.sub(one, z), hp), f32x4.mul(z, cand)));
    }
  }
}

/**
 * `gruBackGates(dh, hPrev, gates, hc, dPreX, dPreH, direct, B, H)`: from ∂C/∂h_t, h_{t−1}, the gate
 * values and hc = u_h + b_h, with dh̃ = dh·z·(1 − h̃²), writes ∂C/∂(input pre-activations) (B × 3H)
 * dPreX = [dz, dr, dh̃] with dz = dh·(h̃ − h_{t−1})·z·(1 − z), dr = dh̃·hc·r·(1 − r); the same for
 * the recurrent pre-activations, whose candidate block is dh̃·r (r scales U h_{t−1} + b_h); and the
 * direct term of ∂C/∂h_{t−1}, dh·(1 − z) (B × H).
 */
export function gruBackGates(
  dh: usize,
  hPrev: usize,
  gates: usize,
  hc: usize,
  dPreX: usize,
  dPreH: usize,
  direct: usize,
  b: i32,
  hUnits: i32,
): void {
  const one = f32x4.splat(1);
  const h1 = (<usize>hUnits) << 2;
  const h2 = h1 * 2;
  let ps: usize = 0;
  for (let row = 0; row < b; row++) {
    let pg = <usize>row * h1 * 3;
    for (let j = 0; j < hUnits; j += 4, pg += 16, ps += 16) {
      const z = v128.load(gates + pg);
      const r = v128.load(gates + pg + h1);
      const cand = v128.load(gates + pg + h2);
      const d = v128.load(dh + ps);
      const dc = f32x4.mul(f32x4.mul(d, z), f32x4.sub(one, f32x4.mul(cand, cand)));
      const dz = f32x4.mul(
        f32x4.mul(f32x4.mul(d, f32x4.sub(cand, v128.load(hPrev + ps))), z),
        f32x4.sub(one, z),
      );
      const dr = f32x4.mul(f32x4.mul(f32x4.mul(dc, v128.load(hc + ps)), r), f32x4.sub(one, r));
      v128.store(dPreX + pg, dz);
      v128.store(dPreX + pg + h1, dr);
      v128.store(dPreX + pg + h2, dc);
      v128.store(dPreH + pg, dz);
      v128.store(dPreH + pg + h1, dr);
      v128.store(dPreH + pg + h2, f32x4.mul(dc, r));
      v128.store(direct + ps, f32x4.mul(d, f32x4.sub(one, z)));
    }
  }
}
