// The vector updates of a word2vec pair (the SGNS / hierarchical-softmax step of word2vec.c and gensim's
// `our_saxpy` calls), all over `n` floats (`n` a multiple of 4) at byte offsets into the shared memory.

/** `update(e, o, h, g, n)`: e[k] += g·o[k]; o[k] += g·h[k] (the old o is used for e). */
export function update(e: usize, o: usize, h: usize, g: f32, n: i32): void {
  const gv = f32x4.splat(g);
  for (; n != 0; n -= 4, e += 16, o += 16, h += 16) {
    const ov = v128.load(o);
    v128.store(e, f32x4.add(v128.load(e), f32x4.mul(gv, ov)));
    v128.store(o, f32x4.add(ov, f32x4.mul(gv, v128.load(h))));
  }
}

/** `update0(e, o, h, g, n)`: e[k] = g·o[k]; o[k] += g·h[k] (a pair's first update: no zeroing pass). */
export function update0(e: usize, o: usize, h: usize, g: f32, n: i32): void {
  const gv = f32x4.splat(g);
  for (; n != 0; n -= 4, e += 16, o += 16, h += 16) {
    const ov = v128.load(o);
    v128.store(e, f32x4.mul(gv, ov));
    v128.store(o, f32x4.add(ov, f32x4.mul(gv, v128.load(h))));
  }
}

/** `axpy(y, x, a, n)`: y[k] += a·x[k] (the CBOW context sum and the final e → syn0 step). */
export function axpy(y: usize, x: usize, a: f32, n: i32): void {
  const av = f32x4.splat(a);
  for (; n != 0; n -= 4, y += 16, x += 16)
    v128.store(y, f32x4.add(v128.load(y), f32x4.mul(av, v128.load(x))));
}
