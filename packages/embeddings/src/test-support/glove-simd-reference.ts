import type { SimdKernels } from '../simd/simd-module.js';
import type { GloveState } from '../train/glove/glove-kernel.js';

/**
 * The GloVe epoch before it moved into WebAssembly whole: JavaScript driving the SIMD primitives dot
 * and adagrad once per entry. Kept as the reference that the compiled `gloveEpoch`
 * (assembly/glove-epoch.ts) must match bit for bit. `w`, `wt`, `gw`, `gwt` live in the module's memory
 * (their `byteOffset`s are the pointers); `dim % 4 === 0`.
 */
export function gloveEpochSimd(
  s: GloveState,
  from: number,
  to: number,
  eta: number,
  k: SimdKernels,
): { cost: number } {
  const { dim: d, b, bt, gb, gbt, rows, cols, values, logs, weights } = s;
  const row = d * 4;
  const pw = s.w.byteOffset;
  const pwt = s.wt.byteOffset;
  const pgw = s.gw.byteOffset;
  const pgwt = s.gwt.byteOffset;
  const { dot, adagrad } = k;
  let cost = 0;
  for (let e = from; e < to; e++) {
    const i = rows[e];
    const j = cols[e];
    const v = values ? values[e] : e;
    const diff = dot(pw + i * row, pwt + j * row, d) + b[i] + bt[j] - logs[v];
    let fdiff = weights[v] * diff;
    if (!Number.isFinite(fdiff)) continue;
    cost += fdiff * diff;
    fdiff *= eta;
    adagrad(pw + i * row, pwt + j * row, pgw + i * row, pgwt + j * row, fdiff, d);
    b[i] -= fdiff / Math.sqrt(gb[i]);
    bt[j] -= fdiff / Math.sqrt(gbt[j]);
    gb[i] += fdiff * fdiff;
    gbt[j] += fdiff * fdiff;
  }
  return { cost };
}
