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

// The fused updates of a pair's targets: rows o₀, o₁, o₂ (distinct rows) with their g's in one pass over
// the floats, e kept in a register between them, instead of one update per row re-reading and re-writing
// e each time. Per float the operations and their order are those of update0/update for o₀, then o₁,
// then o₂ (each float is independent of the others), so the results are the same bits.

/** `mode` bit of update1/2/3: the first rows of a pair, so e = g₀·o₀ + … (update0) instead of e += …. */
export const FIRST: i32 = 1;
/** `mode` bit of update1/2/3: the last rows of a skip-gram pair, so h += e ends the pass and e is not stored. */
export const INTO_H: i32 = 2;

/** One 4-float chunk at byte `k` of rows o₀ … o_{m−1} (m a constant after inlining: 1, 2 or 3). */
@inline
function chunk(
  m: i32,
  e: usize,
  h: usize,
  o0: usize,
  o1: usize,
  o2: usize,
  a0: v128,
  a1: v128,
  a2: v128,
  k: usize,
  first: bool,
  intoH: bool,
): void {
  const hv = v128.load(h + k);
  const v0 = v128.load(o0 + k);
  let ev = first ? f32x4.mul(a0, v0) : f32x4.add(v128.load(e + k), f32x4.mul(a0, v0));
  v128.store(o0 + k, f32x4.add(v0, f32x4.mul(a0, hv)));
  if (m >= 2) {
    const v1 = v128.load(o1 + k);
    ev = f32x4.add(ev, f32x4.mul(a1, v1));
    v128.store(o1 + k, f32x4.add(v1, f32x4.mul(a1, hv)));
  }
  if (m >= 3) {
    const v2 = v128.load(o2 + k);
    ev = f32x4.add(ev, f32x4.mul(a2, v2));
    v128.store(o2 + k, f32x4.add(v2, f32x4.mul(a2, hv)));
  }
  if (intoH) v128.store(h + k, f32x4.add(hv, ev));
  else v128.store(e + k, ev);
}

/** The pass of update1/2/3 over `n` floats for m rows, four chunks per step (a quarter of the loop overhead). */
@inline
function rows(
  m: i32,
  e: usize,
  h: usize,
  o0: usize,
  o1: usize,
  o2: usize,
  g0: f32,
  g1: f32,
  g2: f32,
  n: i32,
  first: bool,
  intoH: bool,
): void {
  const a0 = f32x4.splat(g0);
  const a1 = f32x4.splat(g1);
  const a2 = f32x4.splat(g2);
  const end = (<usize>n) << 2;
  let k: usize = 0;
  for (; k + 64 <= end; k += 64) {
    chunk(m, e, h, o0, o1, o2, a0, a1, a2, k, first, intoH);
    chunk(m, e, h, o0, o1, o2, a0, a1, a2, k + 16, first, intoH);
    chunk(m, e, h, o0, o1, o2, a0, a1, a2, k + 32, first, intoH);
    chunk(m, e, h, o0, o1, o2, a0, a1, a2, k + 48, first, intoH);
  }
  for (; k < end; k += 16) chunk(m, e, h, o0, o1, o2, a0, a1, a2, k, first, intoH);
}

/**
 * `update1(e, h, o₀, g₀, n, mode)`: e[k] += g₀·o₀[k] (e[k] = … with `mode & FIRST`); o₀[k] += g₀·h[k];
 * with `mode & INTO_H` then h[k] += e[k] instead of storing e. Bit for bit update/update0 (+ axpy).
 */
export function update1(e: usize, h: usize, o0: usize, g0: f32, n: i32, mode: i32): void {
  if (mode == 0) rows(1, e, h, o0, o0, o0, g0, 0, 0, n, false, false);
  else if (mode == FIRST) rows(1, e, h, o0, o0, o0, g0, 0, 0, n, true, false);
  else if (mode == INTO_H) rows(1, e, h, o0, o0, o0, g0, 0, 0, n, false, true);
  else rows(1, e, h, o0, o0, o0, g0, 0, 0, n, true, true);
}

/** `update2(e, h, o₀, o₁, g₀, g₁, n, mode)`: update1 for o₀ then o₁ (distinct rows) in one pass. */
export function update2(e: usize, h: usize, o0: usize, o1: usize, g0: f32, g1: f32, n: i32, mode: i32): void {
  if (mode == 0) rows(2, e, h, o0, o1, o1, g0, g1, 0, n, false, false);
  else if (mode == FIRST) rows(2, e, h, o0, o1, o1, g0, g1, 0, n, true, false);
  else if (mode == INTO_H) rows(2, e, h, o0, o1, o1, g0, g1, 0, n, false, true);
  else rows(2, e, h, o0, o1, o1, g0, g1, 0, n, true, true);
}

/** `update3(e, h, o₀, o₁, o₂, g₀, g₁, g₂, n, mode)`: update1 for o₀, o₁ then o₂ (distinct rows) in one pass. */
export function update3(
  e: usize,
  h: usize,
  o0: usize,
  o1: usize,
  o2: usize,
  g0: f32,
  g1: f32,
  g2: f32,
  n: i32,
  mode: i32,
): void {
  if (mode == 0) rows(3, e, h, o0, o1, o2, g0, g1, g2, n, false, false);
  else if (mode == FIRST) rows(3, e, h, o0, o1, o2, g0, g1, g2, n, true, false);
  else if (mode == INTO_H) rows(3, e, h, o0, o1, o2, g0, g1, g2, n, false, true);
  else rows(3, e, h, o0, o1, o2, g0, g1, g2, n, true, true);
}
