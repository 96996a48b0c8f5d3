// Dense products of BPTT: C (+)= A·B on row-major float32 matrices in one linear memory.
//
// The micro-kernel keeps a 4 × 8 block of C in eight f32x4 accumulators and, per step of k, broadcasts
// one element of each of the 4 rows of A against two vectors of row k of B: 8 multiplies and 8 adds per
// 2 vector loads of B (the register blocking of Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication", 2008, with an mr × nr = 4 × 8 micro-tile). The broadcasts are loads
// (`v128.load32_splat`, one broadcasting load on x64): a splat or a lane shuffle of a register would run on
// the same vector pipes as the multiplies and adds, 4 of them per 16 — a fifth of the peak. Every element
// of C is still summed over k in order in one f32 accumulator, so results are those of the loop it
// replaced, bit for bit. Pointers are byte offsets; M must be a multiple of 4 and N of 8 (the provider pads).

/**
 * c + a·b: one fused multiply-add in the relaxed-SIMD build (`f32x4.relaxed_madd`, used only where the
 * runtime validates it), else f32x4.mul then f32x4.add — the same operations as before relaxed SIMD.
 */
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** The 4 × 8 block of C at `pc` (row stride `nb` bytes): zeros when `overwrite`, else its values. */
@inline
function initial(pc: usize, overwrite: i32): v128 {
  return overwrite ? f32x4.splat(0) : v128.load(pc);
}

/**
 * One 4 × 8 block of C = (or +=) A·B. `pa` is A's element (i, 0), `stepA` the bytes from element (i, k)
 * to (i, k + 1), `ra` the bytes from row i to row i + 1 of A; with `transposed`, A is stored transposed
 * and the 4 elements (i..i+3, k) are consecutive floats (broadcast from offsets 0, 4, 8, 12). `pb` is
 * B's element (k = 0, j), `stepB` the bytes from row k to k + 1 of B (N·4 as stored, 32 when packed),
 * `nb` the bytes from row to row of C.
 */
@inline
function block(
  pa: usize,
  pb: usize,
  pc: usize,
  k: i32,
  nb: usize,
  ra: usize,
  stepA: usize,
  stepB: usize,
  overwrite: i32,
  transposed: bool,
): void {
  const r1 = ra;
  const r2 = ra * 2;
  const r3 = ra * 3;
  let c00 = initial(pc, overwrite);
  let c01 = initial(pc + 16, overwrite);
  let c10 = initial(pc + nb, overwrite);
  let c11 = initial(pc + nb + 16, overwrite);
  let c20 = initial(pc + 2 * nb, overwrite);
  let c21 = initial(pc + 2 * nb + 16, overwrite);
  let c30 = initial(pc + 3 * nb, overwrite);
  let c31 = initial(pc + 3 * nb + 16, overwrite);
  for (; k != 0; k--, pa += stepA, pb += stepB) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a0: v128, a1: v128, a2: v128, a3: v128;
    if (transposed) {
      a0 = v128.load32_splat(pa);
      a1 = v128.load32_splat(pa, 4);
      a2 = v128.load32_splat(pa, 8);
      a3 = v128.load32_splat(pa, 12);
    } else {
      a0 = v128.load32_splat(pa);
      a1 = v128.load32_splat(pa + r1);
      a2 = v128.load32_splat(pa + r2);
      a3 = v128.load32_splat(pa + r3);
    }
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
  }
  v128.store(pc, c00);
  v128.store(pc, c01, 16);
  v128.store(pc + nb, c10);
  v128.store(pc + nb, c11, 16);
  v128.store(pc + 2 * nb, c20);
  v128.store(pc + 2 * nb, c21, 16);
  v128.store(pc + 3 * nb, c30);
  v128.store(pc + 3 * nb, c31, 16);
}

/**
 * Packs the 4-row panels of A into `w`: panel p (rows 4p..4p+3) as K consecutive groups of 4 floats
 * (i..i+3, k), at `w + p·16·K` bytes. `rowStep` / `colStep` are the bytes from A(i, k) to A(i + 1, k)
 * and to A(i, k + 1). A stored transposed (`rowStep` 4) copies one vector per k; a row-major A is
 * transposed 4 × 4 at a time with lane shuffles (the same floats, moved).
 */
@inline
function packA(a: usize, w: usize, m: i32, k: i32, lda: usize, transposed: bool): void {
  const panel = <usize>k << 4;
  if (transposed) {
    for (let i = 0; i < m; i += 4) {
      let src = a + (<usize>i << 2);
      let dst = w + (<usize>(i >> 2)) * panel;
      for (let q = 0; q < k; q++, src += lda, dst += 16) v128.store(dst, v128.load(src));
    }
    return;
  }
  const k4 = k & ~3;
  for (let i = 0; i < m; i += 4) {
    const r0 = a + <usize>i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    const dst = w + (<usize>(i >> 2)) * panel;
    let q = 0;
    for (; q < k4; q += 4) {
      const off = <usize>q << 2;
      const x0 = v128.load(r0 + off);
      const x1 = v128.load(r1 + off);
      const x2 = v128.load(r2 + off);
      const x3 = v128.load(r3 + off);
      // 4 × 4 transpose: (row, k) → (k, row).
      const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
      const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
      const d = dst + (off << 2);
      v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
      v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
      v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
    }
    for (; q < k; q++) {
      const off = <usize>q << 2;
      const d = dst + (off << 2);
      store<f32>(d, load<f32>(r0 + off));
      store<f32>(d, load<f32>(r1 + off), 4);
      store<f32>(d, load<f32>(r2 + off), 8);
      store<f32>(d, load<f32>(r3 + off), 12);
    }
  }
}

/** Packs the 8 columns j..j+7 of B (row stride `nb` bytes) into K consecutive rows of 32 bytes at `w`. */
@inline
function packB(b: usize, w: usize, k: i32, nb: usize): void {
  for (let q = 0; q < k; q++, b += nb, w += 32) {
    v128.store(w, v128.load(b));
    v128.store(w, v128.load(b, 16), 16);
  }
}

/** Rows of A packed at a time: a 128 × K block (128 KiB at K = 256) stays in the 512 KiB L2. */
const MC = 128;

/**
 * The packed product (Goto & van de Geijn's packing): blocks of {@link MC} rows of A in 4-row panels,
 * and for each, B's 8-column panels one at a time, are copied into contiguous scratch at `w`, so the
 * micro-kernel reads two sequential streams (A from L2, B from L1) instead of rows at power-of-two
 * strides (N·4 bytes for B, lda·4 for A) that map to a few cache sets and 4 KiB pages, and A is no
 * longer streamed from L3 once per 8 columns when it outgrows L2. The micro-kernel and its order over k
 * are unchanged: the same bits as the unpacked loop.
 */
@inline
function packed(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: usize, overwrite: i32, w: usize, transposed: bool): void {
  const nb = <usize>n << 2;
  const panel = <usize>k << 4;
  const wb = w + ((<usize>(min(m, MC) >> 2) * panel + 63) & ~63);
  for (let i0 = 0; i0 < m; i0 += MC) {
    const mc = min(MC, m - i0);
    packA(transposed ? a + (<usize>i0 << 2) : a + <usize>i0 * lda, w, mc, k, lda, transposed);
    const c0 = c + <usize>i0 * nb;
    for (let j = 0; j < n; j += 8) {
      packB(b + (<usize>j << 2), wb, k, nb);
      for (let i = 0; i < mc; i += 4)
        block(w + (<usize>(i >> 2)) * panel, wb, c0 + (<usize>(i * n + j) << 2), k, nb, 0, 16, 32, overwrite, true);
    }
  }
}

/**
 * `sgemmP(a, b, c, M, K, N, lda, overwrite, w, ldb)`: {@link sgemm} with B already packed, as the
 * provider keeps a resident weight matrix: 8-column panels of `ldb` rows of 32 bytes, panel p (columns
 * 8p..8p+7) at `b + p·32·ldb` (so `b` may point at row k0 of every panel: a block of the inner
 * dimension). A (row stride `lda` floats) is packed into `sgemmScratch(M, K)` bytes at `w`. Same
 * results as {@link sgemm}.
 */
export function sgemmP(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: i32, overwrite: i32, w: usize, ldb: i32): void {
  const nb = <usize>n << 2;
  const ra = <usize>lda << 2;
  const panel = <usize>k << 4;
  const pstride = <usize>ldb << 5;
  for (let i0 = 0; i0 < m; i0 += MC) {
    const mc = min(MC, m - i0);
    packA(a + <usize>i0 * ra, w, mc, k, ra, false);
    const c0 = c + <usize>i0 * nb;
    for (let j = 0; j < n; j += 8) {
      const pb = b + (<usize>(j >> 3)) * pstride;
      for (let i = 0; i < mc; i += 4)
        block(w + (<usize>(i >> 2)) * panel, pb, c0 + (<usize>(i * n + j) << 2), k, nb, 0, 16, 32, overwrite, true);
    }
  }
}

/** Bytes of scratch the packed {@link sgemm} / {@link sgemmT} use for an M × K · K × N product. */
export function sgemmScratch(m: i32, k: i32): i32 {
  return ((((min(m, MC) + 3) >> 2) * (k << 4) + 63) & ~63) + (k << 5);
}

/**
 * `sgemm(a, b, c, M, K, N, lda, overwrite, w)`: C = A·B when `overwrite` ≠ 0, else C += A·B. A is M × K
 * with row stride `lda` floats, B is K × N (row stride N), C is M × N. Blocks of 8 columns outermost, so
 * a column panel of B stays in cache while the 4-row blocks of A stream past it. With `w` ≠ 0, A and B
 * are first packed into `sgemmScratch(M, K)` bytes of scratch at `w` (see `packed`); same results.
 */
export function sgemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: i32, overwrite: i32, w: usize): void {
  const nb = <usize>n << 2;
  const ra = <usize>lda << 2;
  if (w != 0) {
    packed(a, b, c, m, k, n, ra, overwrite, w, false);
    return;
  }
  for (let j = 0; j < n; j += 8)
    for (let i = 0; i < m; i += 4)
      block(a + <usize>i * ra, b + (<usize>j << 2), c + (<usize>(i * n + j) << 2), k, nb, ra, 4, nb, overwrite, false);
}

/**
 * `sgemmT(a, b, c, M, K, N, lda, overwrite, w)`: {@link sgemm} with A stored transposed, element (i, k)
 * at `a[k·lda + i]` — the weight-gradient products Xᵀ·dPre with no transposing pass. Reads up to 3
 * floats past row M of each row of the stored A. `w` as for {@link sgemm}.
 */
export function sgemmT(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: i32, overwrite: i32, w: usize): void {
  const nb = <usize>n << 2;
  const stepA = <usize>lda << 2;
  if (w != 0) {
    packed(a, b, c, m, k, n, stepA, overwrite, w, true);
    return;
  }
  for (let j = 0; j < n; j += 8)
    for (let i = 0; i < m; i += 4)
      block(a + (<usize>i << 2), b + (<usize>j << 2), c + (<usize>(i * n + j) << 2), k, nb, 0, stepA, nb, overwrite, true);
}
