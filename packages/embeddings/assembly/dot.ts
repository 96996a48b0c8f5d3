// Σ a[k]·b[k], the score of every word2vec pair and GloVe's wᵢ·w̃ⱼ (gensim gets it from BLAS sdot).
//
// One dot of 100 floats is a chain of dependent adds (latency-bound: ~7% of the machine's peak), and
// each row it reads is a likely cache miss. A word2vec pair scores up to six rows against the same
// input vector, so dot2/dot3 score two or three rows in one pass: independent chains and overlapping
// misses. Each row's sum is formed exactly as `dot` forms it, so the results are the same bits.

/** The lanes of `s` summed pairwise, (s₀ + s₁) + (s₂ + s₃). */
@inline
function lanes(s: v128): f32 {
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
}

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
  return lanes(f32x4.add(s0, s1));
}

/**
 * `dot2(a, b0, b1, n, out)`: the dots of `a` with rows `b0` and `b1` (`n` floats, a multiple of 4), each
 * summed in `dot`'s order (so bit for bit `dot(a, b0, n)` and `dot(a, b1, n)`), stored as f32 at `out`
 * and `out + 4`.
 */
export function dot2(a: usize, b0: usize, b1: usize, n: i32, out: usize): void {
  let s00 = f32x4.splat(0);
  let s01 = f32x4.splat(0);
  let s10 = f32x4.splat(0);
  let s11 = f32x4.splat(0);
  let k: usize = 0;
  // 16 floats per step (half the loop's overhead), then at most one 8-float step: each accumulator
  // still takes the same blocks in the same order as dot's.
  for (; n >= 16; n -= 16, k += 64) {
    const x0 = v128.load(a + k);
    const x1 = v128.load(a + k, 16);
    s00 = f32x4.add(s00, f32x4.mul(x0, v128.load(b0 + k)));
    s01 = f32x4.add(s01, f32x4.mul(x1, v128.load(b0 + k, 16)));
    s10 = f32x4.add(s10, f32x4.mul(x0, v128.load(b1 + k)));
    s11 = f32x4.add(s11, f32x4.mul(x1, v128.load(b1 + k, 16)));
    const x2 = v128.load(a + k, 32);
    const x3 = v128.load(a + k, 48);
    s00 = f32x4.add(s00, f32x4.mul(x2, v128.load(b0 + k, 32)));
    s01 = f32x4.add(s01, f32x4.mul(x3, v128.load(b0 + k, 48)));
    s10 = f32x4.add(s10, f32x4.mul(x2, v128.load(b1 + k, 32)));
    s11 = f32x4.add(s11, f32x4.mul(x3, v128.load(b1 + k, 48)));
  }
  if (n >= 8) {
    const x0 = v128.load(a + k);
    const x1 = v128.load(a + k, 16);
    s00 = f32x4.add(s00, f32x4.mul(x0, v128.load(b0 + k)));
    s01 = f32x4.add(s01, f32x4.mul(x1, v128.load(b0 + k, 16)));
    s10 = f32x4.add(s10, f32x4.mul(x0, v128.load(b1 + k)));
    s11 = f32x4.add(s11, f32x4.mul(x1, v128.load(b1 + k, 16)));
    n -= 8;
    k += 32;
  }
  if (n != 0) {
    const x0 = v128.load(a + k);
    s00 = f32x4.add(s00, f32x4.mul(x0, v128.load(b0 + k)));
    s10 = f32x4.add(s10, f32x4.mul(x0, v128.load(b1 + k)));
  }
  store<f32>(out, lanes(f32x4.add(s00, s01)));
  store<f32>(out, lanes(f32x4.add(s10, s11)), 4);
}

/**
 * `dot3(a, b0, b1, b2, n, out)`: the dots of `a` with rows `b0`, `b1` and `b2` (`n` floats, a multiple
 * of 4), each bit for bit `dot(a, bᵢ, n)`, stored as f32 at `out`, `out + 4` and `out + 8`.
 */
export function dot3(a: usize, b0: usize, b1: usize, b2: usize, n: i32, out: usize): void {
  let s00 = f32x4.splat(0);
  let s01 = f32x4.splat(0);
  let s10 = f32x4.splat(0);
  let s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0);
  let s21 = f32x4.splat(0);
  let k: usize = 0;
  for (; n >= 16; n -= 16, k += 64) {
    const x0 = v128.load(a + k);
    const x1 = v128.load(a + k, 16);
    s00 = f32x4.add(s00, f32x4.mul(x0, v128.load(b0 + k)));
    s01 = f32x4.add(s01, f32x4.mul(x1, v128.load(b0 + k, 16)));
    s10 = f32x4.add(s10, f32x4.mul(x0, v128.load(b1 + k)));
    s11 = f32x4.add(s11, f32x4.mul(x1, v128.load(b1 + k, 16)));
    s20 = f32x4.add(s20, f32x4.mul(x0, v128.load(b2 + k)));
    s21 = f32x4.add(s21, f32x4.mul(x1, v128.load(b2 + k, 16)));
    const x2 = v128.load(a + k, 32);
    const x3 = v128.load(a + k, 48);
    s00 = f32x4.add(s00, f32x4.mul(x2, v128.load(b0 + k, 32)));
    s01 = f32x4.add(s01, f32x4.mul(x3, v128.load(b0 + k, 48)));
    s10 = f32x4.add(s10, f32x4.mul(x2, v128.load(b1 + k, 32)));
    s11 = f32x4.add(s11, f32x4.mul(x3, v128.load(b1 + k, 48)));
    s20 = f32x4.add(s20, f32x4.mul(x2, v128.load(b2 + k, 32)));
    s21 = f32x4.add(s21, f32x4.mul(x3, v128.load(b2 + k, 48)));
  }
  if (n >= 8) {
    const x0 = v128.load(a + k);
    const x1 = v128.load(a + k, 16);
    s00 = f32x4.add(s00, f32x4.mul(x0, v128.load(b0 + k)));
    s01 = f32x4.add(s01, f32x4.mul(x1, v128.load(b0 + k, 16)));
    s10 = f32x4.add(s10, f32x4.mul(x0, v128.load(b1 + k)));
    s11 = f32x4.add(s11, f32x4.mul(x1, v128.load(b1 + k, 16)));
    s20 = f32x4.add(s20, f32x4.mul(x0, v128.load(b2 + k)));
    s21 = f32x4.add(s21, f32x4.mul(x1, v128.load(b2 + k, 16)));
    n -= 8;
    k += 32;
  }
  if (n != 0) {
    const x0 = v128.load(a + k);
    s00 = f32x4.add(s00, f32x4.mul(x0, v128.load(b0 + k)));
    s10 = f32x4.add(s10, f32x4.mul(x0, v128.load(b1 + k)));
    s20 = f32x4.add(s20, f32x4.mul(x0, v128.load(b2 + k)));
  }
  store<f32>(out, lanes(f32x4.add(s00, s01)));
  store<f32>(out, lanes(f32x4.add(s10, s11)), 4);
  store<f32>(out, lanes(f32x4.add(s20, s21)), 8);
}
