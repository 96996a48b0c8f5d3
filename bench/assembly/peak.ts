// The machine's f32x4 peak for the kernels' arithmetic: `chains` independent accumulators, each step
// acc = acc·m + c (one f32x4.mul and one f32x4.add, 8 flops; or one relaxed_madd, also 8 flops, in the
// relaxed-SIMD build). 12 chains cover the mul→add latency of two vector ports (x86: 4 + 4 cycles at 2
// ops per cycle needs ≥ 8 in flight) and fit the 16 xmm registers with m and c.

/** Runs `steps` steps of 12 chains (96·steps flops); returns the lane sum so nothing is optimised away. */
export function peak(steps: i32): f32 {
  const m = f32x4.splat(0.9999999);
  const c = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1.0);
  let a1 = f32x4.splat(1.1);
  let a2 = f32x4.splat(1.2);
  let a3 = f32x4.splat(1.3);
  let a4 = f32x4.splat(1.4);
  let a5 = f32x4.splat(1.5);
  let a6 = f32x4.splat(1.6);
  let a7 = f32x4.splat(1.7);
  let a8 = f32x4.splat(1.8);
  let a9 = f32x4.splat(1.9);
  let a10 = f32x4.splat(2.0);
  let a11 = f32x4.splat(2.1);
  for (; steps > 0; steps--) {
    if (ASC_FEATURE_RELAXED_SIMD) {
      a0 = f32x4.relaxed_madd(a0, m, c);
      a1 = f32x4.relaxed_madd(a1, m, c);
      a2 = f32x4.relaxed_madd(a2, m, c);
      a3 = f32x4.relaxed_madd(a3, m, c);
      a4 = f32x4.relaxed_madd(a4, m, c);
      a5 = f32x4.relaxed_madd(a5, m, c);
      a6 = f32x4.relaxed_madd(a6, m, c);
      a7 = f32x4.relaxed_madd(a7, m, c);
      a8 = f32x4.relaxed_madd(a8, m, c);
      a9 = f32x4.relaxed_madd(a9, m, c);
      a10 = f32x4.relaxed_madd(a10, m, c);
      a11 = f32x4.relaxed_madd(a11, m, c);
    } else {
      a0 = f32x4.add(f32x4.mul(a0, m), c);
      a1 = f32x4.add(f32x4.mul(a1, m), c);
      a2 = f32x4.add(f32x4.mul(a2, m), c);
      a3 = f32x4.add(f32x4.mul(a3, m), c);
      a4 = f32x4.add(f32x4.mul(a4, m), c);
      a5 = f32x4.add(f32x4.mul(a5, m), c);
      a6 = f32x4.add(f32x4.mul(a6, m), c);
      a7 = f32x4.add(f32x4.mul(a7, m), c);
      a8 = f32x4.add(f32x4.mul(a8, m), c);
      a9 = f32x4.add(f32x4.mul(a9, m), c);
      a10 = f32x4.add(f32x4.mul(a10, m), c);
      a11 = f32x4.add(f32x4.mul(a11, m), c);
    }
  }
  const s = f32x4.add(
    f32x4.add(
      f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)),
      f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)),
    ),
    f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)),
  );
  return (
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)
  );
}
