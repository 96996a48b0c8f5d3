// The AdaGrad step of Stanford glove.c on one pair of rows (Pennington et al. 2014, with the update of
// glove.c's `glove_thread`), over `n` floats (`n` a multiple of 4) at byte offsets.

/**
 * `adagrad(w1, w2, g1, g2, f, n)`: with t1 = f·w2, t2 = f·w1 (the old values),
 * w1 −= t1/√g1, w2 −= t2/√g2, g1 += t1², g2 += t2².
 */
export function adagrad(w1: usize, w2: usize, g1: usize, g2: usize, f: f32, n: i32): void {
  const fv = f32x4.splat(f);
  for (; n != 0; n -= 4, w1 += 16, w2 += 16, g1 += 16, g2 += 16) {
    const a = v128.load(w1);
    const b = v128.load(w2);
    const t1 = f32x4.mul(fv, b);
    const t2 = f32x4.mul(fv, a);
    v128.store(w1, f32x4.sub(a, f32x4.div(t1, f32x4.sqrt(v128.load(g1)))));
    v128.store(w2, f32x4.sub(b, f32x4.div(t2, f32x4.sqrt(v128.load(g2)))));
    v128.store(g1, f32x4.add(v128.load(g1), f32x4.mul(t1, t1)));
    v128.store(g2, f32x4.add(v128.load(g2), f32x4.mul(t2, t2)));
  }
}
