// Vector σ and tanh for the gate kernels, through a Cephes-style float32 exp (Moshier, "Methods and
// Programs for Mathematical Functions", 1989; cephes `expf`): x = n·ln 2 + r with |r| ≤ ln 2 / 2,
// e^r by a degree-6 polynomial (relative error ≈ 1e-7), 2ⁿ built from its exponent bits.

/** 1.5·2²³: added to x·log₂e it rounds to the nearest integer n in the low mantissa bits. */
const MAGIC: f32 = 12582912;
/** The float32 bit pattern of {@link MAGIC}. */
const MAGIC_BITS: i32 = 0x4b400000;

/** e^x lane by lane, x clamped to [−87.3, 88.3] (beyond, float32 e^x under- or overflows). */
@inline
export function exp4(x: v128): v128 {
  // pmin / pmax: one minps / maxps each (f32x4.min / max become NaN-fixing sequences in V8).
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.3)), f32x4.splat(-87.3));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC));
  // r = x − n·ln 2, with ln 2 split in a high part exact in float32 and a low correction.
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const er = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // The bits of t are those of 1.5·2²³ plus n: (n + 127) << 23 is 2ⁿ as a float.
  const pow2n = i32x4.shl(i32x4.add(t, i32x4.splat(127 - MAGIC_BITS)), 23);
  return f32x4.mul(er, pow2n);
}

/** σ(v) = 1 / (1 + e^−v). */
@inline
export function sigmoid4(v: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(exp4(f32x4.neg(v)), f32x4.splat(1)));
}

/** tanh(v) = 1 − 2 / (e^{2v} + 1) (exact ±1 where e^{2v} saturates). */
@inline
export function tanh4(v: v128): v128 {
  const e = exp4(f32x4.mul(v, f32x4.splat(2)));
  return f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
}
