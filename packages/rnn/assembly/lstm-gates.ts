// The gate math of one LSTM step, forward and backward (the chapter "NLP with RNNs", the LSTM equations
// and their BPTT; Keras gate order i, f, c̃, o), for B rows of H units (H a multiple of 4). Pointers are
// byte offsets; a row of pre-activations is 4H floats: the blocks of i, f, c̃ and o.
import { sigmoid4, tanh4 } from './activations';

/**
 * `lstmGates(z, bias, cPrev, h, c, tc, B, H)`: z (B × 4H, the pre-activations without bias) becomes the
 * gate values in place — i = σ(zᵢ + bᵢ), f = σ(z_f + b_f), c̃ = tanh(z_c + b_c), o = σ(z_o + b_o) — then
 * c = f∗c_prev + i∗c̃, tc = tanh(c), h = o∗tc.
 */
export function lstmGates(
  z: usize,
  bias: usize,
  cPrev: usize,
  h: usize,
  c: usize,
  tc: usize,
  b: i32,
  hUnits: i32,
): void {
  const h1 = (<usize>hUnits) << 2;
  const h2 = h1 * 2;
  const h3 = h1 * 3;
  let ps: usize = 0;
  for (let row = 0; row < b; row++) {
    let pz = z + <usize>row * (h1 << 2);
    let pb = bias;
    for (let j = 0; j < hUnits; j += 4, pz += 16, pb += 16, ps += 16) {
      const gi = sigmoid4(f32x4.add(v128.load(pz), v128.load(pb)));
      v128.store(pz, gi);
      const gf = sigmoid4(f32x4.add(v128.load(pz + h1), v128.load(pb + h1)));
      v128.store(pz + h1, gf);
      const gg = tanh4(f32x4.add(v128.load(pz + h2), v128.load(pb + h2)));
      v128.store(pz + h2, gg);
      const go = sigmoid4(f32x4.add(v128.load(pz + h3), v128.load(pb + h3)));
      v128.store(pz + h3, go);
      const cv = f32x4.add(f32x4.mul(gf, v128.load(cPrev + ps)), f32x4.mul(gi, gg));
      v128.store(c + ps, cv);
      const t = tanh4(cv);
      v128.store(tc + ps, t);
      v128.store(h + ps, f32x4.mul(go, t));
    }
  }
}

/**
 * `lstmBackGates(dh, dc, cPrev, gates, tc, dPre, dcPrev, B, H)`: from ∂C/∂h_t, ∂C/∂c_t, c_{t−1}, the gate
 * values and tanh(c_t), with dct = dc + dh·o·(1 − tc²), writes ∂C/∂(pre-activations) (B × 4H)
 * dPreᵢ = dct·c̃·i·(1 − i), dPre_f = dct·c_{t−1}·f·(1 − f), dPre_c = dct·i·(1 − c̃²),
 * dPre_o = dh·tc·o·(1 − o), and ∂C/∂c_{t−1} = dct·f.
 */
export function lstmBackGates(
  dh: usize,
  dc: usize,
  cPrev: usize,
  gates: usize,
  tc: usize,
  dPre: usize,
  dcPrev: usize,
  b: i32,
  hUnits: i32,
): void {
  const one = f32x4.splat(1);
  const h1 = (<usize>hUnits) << 2;
  const h2 = h1 * 2;
  const h3 = h1 * 3;
  let ps: usize = 0;
  for (let row = 0; row < b; row++) {
    let pg = <usize>row * (h1 << 2);
    for (let j = 0; j < hUnits; j += 4, pg += 16, ps += 16) {
      const ig = v128.load(gates + pg);
      const fg = v128.load(gates + pg + h1);
      const gg = v128.load(gates + pg + h2);
      const og = v128.load(gates + pg + h3);
      const t = v128.load(tc + ps);
      const dhv = v128.load(dh + ps);
      const dct = f32x4.add(
        v128.load(dc + ps),
        f32x4.mul(f32x4.mul(dhv, og), f32x4.sub(one, f32x4.mul(t, t))),
      );
      v128.store(dPre + pg, f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), ig), f32x4.sub(one, ig)));
      v128.store(
        dPre + pg + h1,
        f32x4.mul(f32x4.mul(f32x4.mul(dct, v128.load(cPrev + ps)), fg), f32x4.sub(one, fg)),
      );
      v128.store(dPre + pg + h2, f32x4.mul(f32x4.mul(dct, ig), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(dPre + pg + h3, f32x4.mul(f32x4.mul(f32x4.mul(dhv, t), og), f32x4.sub(one, og)));
      v128.store(dcPrev + ps, f32x4.mul(dct, fg));
    }
  }
}
