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
 * and the 4 elements (i..i+3, k) are consecutive floats (broadcast from offsets 0, 4, 8, 12).
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
  for (; k != 0; k--, pa += stepA, pb += nb) {
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
 * `sgemm(a, b, c, M, K, N, lda, overwrite)`: C = A·B when `overwrite` ≠ 0, else C += A·B. A is M × K
 * with row stride `lda` floats, B is K × N (row stride N), C is M × N. Blocks of 8 columns outermost, so
 * a column panel of B stays in cache while the 4-row blocks of A stream past it.
 */
export function sgemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: i32, overwrite: i32): void {
  const nb = <usize>n << 2;
  const ra = <usize>lda << 2;
  for (let j = 0; j < n; j += 8)
    for (let i = 0; i < m; i += 4)
      block(a + <usize>i * ra, b + (<usize>j << 2), c + (<usize>(i * n + j) << 2), k, nb, ra, 4, overwrite, false);
}

/**
 * `sgemmT(a, b, c, M, K, N, lda, overwrite)`: {@link sgemm} with A stored transposed, element (i, k) at
 * `a[k·lda + i]` — the weight-gradient products Xᵀ·dPre with no transposing pass. Reads up to 3 floats
 * past row M of each row of the stored A.
 */
export function sgemmT(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: i32, overwrite: i32): void {
  const nb = <usize>n << 2;
  const stepA = <usize>lda << 2;
  for (let j = 0; j < n; j += 8)
    for (let i = 0; i < m; i += 4)
      block(a + (<usize>i << 2), b + (<usize>j << 2), c + (<usize>(i * n + j) << 2), k, nb, 0, stepA, overwrite, true);
}
