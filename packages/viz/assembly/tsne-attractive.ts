// The attractive term of the t-SNE gradient over rows of the sparse joint probabilities P (van der Maaten
// 2014, eq. 5), with the KL divergence as scikit-learn's `_barnes_hut_tsne.gradient` computes it. The same
// arithmetic, in the same order, as the JavaScript loop of src/tsne/barnes-hut.ts: in 2-D with dof 1 the
// forces are bit-for-bit those of JavaScript (f64x2 lanes round as scalars do).

import { logTableFree } from './tsne-math';

/** The smallest normal float32, the floor scikit-learn puts under p and q inside the KL logarithm. */
const FLOAT32_TINY: f64 = 1.1754943508222875e-38;

/**
 * The Student-t kernel with `dof` degrees of freedom as scikit-learn: `q̃ = (α / (α + d²))^((α + 1) / 2)`,
 * `1 / (1 + d²)` for α = 1 and `t·√t` for α = 2 (3-D: scikit-learn's `max(dims − 1, 1)`); the only two
 * α t-SNE uses (any other falls back to JavaScript, see src/tsne/barnes-hut.ts).
 */
// @ts-ignore: decorator
@inline
function kernel(dist2: f64, dof: f64): f64 {
  if (dof == 1) return 1.0 / (1.0 + dist2);
  const t = dof / (dof + dist2);
  return t * Math.sqrt(t);
}

/**
 * `tsneAttractive(y, dims, rowStart, columns, values, exaggeration, dof, from, to, out, invZ, computeKl, slot)`:
 * for every row i in [from, to) of P (CSR: i32 `rowStart[n + 1]`, i32 `columns`, f64 `values`), writes
 * `out[i] = Σ_j e·p_ij·q̃_ij (y_i − y_j)` (`dims` f64 per row, `y` row-major f64, e the exaggeration) and
 * stores at `slot` (f64) the partial `Σ_ij e·p_ij·log(max(e·p_ij, tiny) / max(q̃_ij·invZ, tiny))` of the
 * KL divergence when `computeKl` is 1, else 0. One call per thread: rows and slots are disjoint.
 */
export function tsneAttractive(
  y: usize,
  dims: i32,
  rowStart: usize,
  columns: usize,
  values: usize,
  exaggeration: f64,
  dof: f64,
  from: i32,
  to: i32,
  out: usize,
  invZ: f64,
  computeKl: i32,
  slot: usize,
): void {
  let kl: f64 = 0;
  if (dims == 2) {
    for (let i = from; i < to; i++) {
      const yi = v128.load(y + ((<usize>i) << 4));
      let f = f64x2.splat(0);
      let e = load<i32>(rowStart + ((<usize>i) << 2));
      const end = load<i32>(rowStart + ((<usize>i) << 2), 4);
      for (; e < end; e++) {
        const j = <usize>load<i32>(columns + ((<usize>e) << 2));
        const d = f64x2.sub(yi, v128.load(y + (j << 4)));
        const dd = f64x2.mul(d, d);
        const q = kernel(f64x2.extract_lane(dd, 0) + f64x2.extract_lane(dd, 1), dof);
        const pij = load<f64>(values + ((<usize>e) << 3)) * exaggeration;
        f = f64x2.add(f, f64x2.mul(f64x2.splat(pij * q), d));
        if (computeKl) kl += pij * logTableFree(max(pij, FLOAT32_TINY) / max(q * invZ, FLOAT32_TINY));
      }
      v128.store(out + ((<usize>i) << 4), f);
    }
  } else {
    for (let i = from; i < to; i++) {
      const yo = y + <usize>i * 24;
      const yi = v128.load(yo);
      const yi2 = load<f64>(yo, 16);
      let f = f64x2.splat(0);
      let f2: f64 = 0;
      let e = load<i32>(rowStart + ((<usize>i) << 2));
      const end = load<i32>(rowStart + ((<usize>i) << 2), 4);
      for (; e < end; e++) {
        const jo = y + <usize>load<i32>(columns + ((<usize>e) << 2)) * 24;
        const d = f64x2.sub(yi, v128.load(jo));
        const d2 = yi2 - load<f64>(jo, 16);
        const dd = f64x2.mul(d, d);
        const q = kernel(f64x2.extract_lane(dd, 0) + f64x2.extract_lane(dd, 1) + d2 * d2, dof);
        const pij = load<f64>(values + ((<usize>e) << 3)) * exaggeration;
        const w = pij * q;
        f = f64x2.add(f, f64x2.mul(f64x2.splat(w), d));
        f2 += w * d2;
        if (computeKl) kl += pij * logTableFree(max(pij, FLOAT32_TINY) / max(q * invZ, FLOAT32_TINY));
      }
      const oo = out + <usize>i * 24;
      v128.store(oo, f);
      store<f64>(oo, f2, 16);
    }
  }
  store<f64>(slot, kl);
}
