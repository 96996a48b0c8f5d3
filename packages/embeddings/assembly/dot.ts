// Σ a[k]·b[k], the score of every word2vec pair and GloVe's wᵢ·w̃ⱼ (gensim gets it from BLAS sdot).

/**
 * `dot(a, b, n) → f32`: Σ a[k]·b[k] over `n` floats (`n` a multiple of 4) at byte offsets `a` and `b`.
 * Two accumulators over 8 floats per step hide the latency of the add, then a 4-float tail; the lanes
 * are summed pairwise, (s₀ + s₁) + (s₂ + s₃).
 */
export function dot(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  for (; n >= 8; n -= 8, a += 32, b += 32) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a, 16), v128.load(b, 16)));
  }
  if (n != 0) s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
  s0 = f32x4.add(s0, s1);
  return (
    f32x4.extract_lane(s0, 0) +
    f32x4.extract_lane(s0, 1) +
    (f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3))
  );
}
