// Mixed-radix (4, 2, 3, 5) Stockham FFTs of blocks of lines of a complex grid — the FFT passes of the
// FFT-interpolation t-SNE gradient (FIt-SNE). The same arithmetic, in the same order, as `fftInterleaved` of
// src/tsne/fft.ts (the float64 reference and fallback): f64x2 lanes are two lines transformed at once and
// round as scalars do, so results are bit-for-bit those of JavaScript, whatever the thread count.

/** Lines per block: gathered into a contiguous `m × BLOCK` buffer, transformed together. */
const BLOCK: i32 = 8;

// Butterfly constants, as JavaScript computes them (Math.sqrt(3) / 2, Math.cos(2π / 5), …): literals,
// since kernels carry no data segment and AssemblyScript's trigonometry reads tables.
const SIN_60: f64 = 0.8660254037844386;
const C1: f64 = 0.30901699437494745;
const C2: f64 = -0.8090169943749473;
const S1: f64 = 0.9510565162951535;
const S2: f64 = 0.5877852522924732;

// @ts-ignore: decorator
@inline
function mul(a: v128, b: v128): v128 {
  return f64x2.mul(a, b);
}
// @ts-ignore: decorator
@inline
function add(a: v128, b: v128): v128 {
  return f64x2.add(a, b);
}
// @ts-ignore: decorator
@inline
function sub(a: v128, b: v128): v128 {
  return f64x2.sub(a, b);
}
// @ts-ignore: decorator
@inline
function splat(x: f64): v128 {
  return f64x2.splat(x);
}

/**
 * One Stockham stage over `count` (even) interleaved sequences of length n (byte pointers to f64 arrays):
 * for each output group, R inputs n / R apart times their twiddles, a radix-R butterfly, outputs l apart.
 * Twiddles of the stage at `tw` (an index into `cosP` / `sinP`), `sign` the butterflies' root sign.
 */
function stage(
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  n: i32,
  count: i32,
  radix: i32,
  l: i32,
  cosP: usize,
  sinP: usize,
  tw: i32,
  sign: f64,
): void {
  const stride = (<usize>((n / radix) * count)) << 3;
  const groups = n / (radix * l);
  const out = (<usize>(l * count)) << 3;
  const bytes = (<usize>count) << 3;
  for (let k = 0; k < groups; k++)
    for (let j = 0; j < l; j++) {
      const src = (<usize>((k * l + j) * count)) << 3;
      const dst = (<usize>((k * l * radix + j) * count)) << 3;
      const t = (<usize>(tw + j * (radix - 1))) << 3;
      if (radix == 4) {
        const c1 = splat(load<f64>(cosP + t));
        const s1 = splat(-sign * load<f64>(sinP + t));
        const c2 = splat(load<f64>(cosP + t, 8));
        const s2 = splat(-sign * load<f64>(sinP + t, 8));
        const c3 = splat(load<f64>(cosP + t, 16));
        const s3 = splat(-sign * load<f64>(sinP + t, 16));
        const ns = splat(-sign);
        const ps = splat(sign);
        for (let c: usize = 0; c < bytes; c += 16) {
          const a = src + c;
          const v0r = v128.load(xr + a);
          const v0i = v128.load(xi + a);
          let ur = v128.load(xr + a + stride);
          let ui = v128.load(xi + a + stride);
          const v1r = sub(mul(ur, c1), mul(ui, s1));
          const v1i = add(mul(ur, s1), mul(ui, c1));
          ur = v128.load(xr + a + 2 * stride);
          ui = v128.load(xi + a + 2 * stride);
          const v2r = sub(mul(ur, c2), mul(ui, s2));
          const v2i = add(mul(ur, s2), mul(ui, c2));
          ur = v128.load(xr + a + 3 * stride);
          ui = v128.load(xi + a + 3 * stride);
          const v3r = sub(mul(ur, c3), mul(ui, s3));
          const v3i = add(mul(ur, s3), mul(ui, c3));
          const ar = add(v0r, v2r);
          const ai = add(v0i, v2i);
          const br = sub(v0r, v2r);
          const bi = sub(v0i, v2i);
          const cr = add(v1r, v3r);
          const ci = add(v1i, v3i);
          const dr = mul(ns, sub(v1i, v3i));
          const di = mul(ps, sub(v1r, v3r));
          const b = dst + c;
          v128.store(yr + b, add(ar, cr));
          v128.store(yi + b, add(ai, ci));
          v128.store(yr + b + out, add(br, dr));
          v128.store(yi + b + out, add(bi, di));
          v128.store(yr + b + 2 * out, sub(ar, cr));
          v128.store(yi + b + 2 * out, sub(ai, ci));
          v128.store(yr + b + 3 * out, sub(br, dr));
          v128.store(yi + b + 3 * out, sub(bi, di));
        }
      } else if (radix == 2) {
        const c1 = splat(load<f64>(cosP + t));
        const s1 = splat(-sign * load<f64>(sinP + t));
        for (let c: usize = 0; c < bytes; c += 16) {
          const a = src + c;
          const ur = v128.load(xr + a + stride);
          const ui = v128.load(xi + a + stride);
          const v1r = sub(mul(ur, c1), mul(ui, s1));
          const v1i = add(mul(ur, s1), mul(ui, c1));
          const v0r = v128.load(xr + a);
          const v0i = v128.load(xi + a);
          const b = dst + c;
          v128.store(yr + b, add(v0r, v1r));
          v128.store(yi + b, add(v0i, v1i));
          v128.store(yr + b + out, sub(v0r, v1r));
          v128.store(yi + b + out, sub(v0i, v1i));
        }
      } else if (radix == 3) {
        const c1 = splat(load<f64>(cosP + t));
        const s1 = splat(-sign * load<f64>(sinP + t));
        const c2 = splat(load<f64>(cosP + t, 8));
        const s2 = splat(-sign * load<f64>(sinP + t, 8));
        const h = sign * SIN_60;
        const nh = splat(-h);
        const ph = splat(h);
        const half = splat(0.5);
        for (let c: usize = 0; c < bytes; c += 16) {
          const a = src + c;
          const v0r = v128.load(xr + a);
          const v0i = v128.load(xi + a);
          let ur = v128.load(xr + a + stride);
          let ui = v128.load(xi + a + stride);
          const v1r = sub(mul(ur, c1), mul(ui, s1));
          const v1i = add(mul(ur, s1), mul(ui, c1));
          ur = v128.load(xr + a + 2 * stride);
          ui = v128.load(xi + a + 2 * stride);
          const v2r = sub(mul(ur, c2), mul(ui, s2));
          const v2i = add(mul(ur, s2), mul(ui, c2));
          const sr = add(v1r, v2r);
          const si = add(v1i, v2i);
          const mr = sub(v0r, mul(half, sr));
          const mi = sub(v0i, mul(half, si));
          const dr = mul(nh, sub(v1i, v2i));
          const di = mul(ph, sub(v1r, v2r));
          const b = dst + c;
          v128.store(yr + b, add(v0r, sr));
          v128.store(yi + b, add(v0i, si));
          v128.store(yr + b + out, add(mr, dr));
          v128.store(yi + b + out, add(mi, di));
          v128.store(yr + b + 2 * out, sub(mr, dr));
          v128.store(yi + b + 2 * out, sub(mi, di));
        }
      } else {
        const c1 = splat(load<f64>(cosP + t));
        const s1 = splat(-sign * load<f64>(sinP + t));
        const c2 = splat(load<f64>(cosP + t, 8));
        const s2 = splat(-sign * load<f64>(sinP + t, 8));
        const c3 = splat(load<f64>(cosP + t, 16));
        const s3 = splat(-sign * load<f64>(sinP + t, 16));
        const c4 = splat(load<f64>(cosP + t, 24));
        const s4 = splat(-sign * load<f64>(sinP + t, 24));
        const h1 = splat(sign * S1);
        const h2 = splat(sign * S2);
        const k1 = splat(C1);
        const k2 = splat(C2);
        for (let c: usize = 0; c < bytes; c += 16) {
          const a = src + c;
          const v0r = v128.load(xr + a);
          const v0i = v128.load(xi + a);
          let ur = v128.load(xr + a + stride);
          let ui = v128.load(xi + a + stride);
          const v1r = sub(mul(ur, c1), mul(ui, s1));
          const v1i = add(mul(ur, s1), mul(ui, c1));
          ur = v128.load(xr + a + 2 * stride);
          ui = v128.load(xi + a + 2 * stride);
          const v2r = sub(mul(ur, c2), mul(ui, s2));
          const v2i = add(mul(ur, s2), mul(ui, c2));
          ur = v128.load(xr + a + 3 * stride);
          ui = v128.load(xi + a + 3 * stride);
          const v3r = sub(mul(ur, c3), mul(ui, s3));
          const v3i = add(mul(ur, s3), mul(ui, c3));
          ur = v128.load(xr + a + 4 * stride);
          ui = v128.load(xi + a + 4 * stride);
          const v4r = sub(mul(ur, c4), mul(ui, s4));
          const v4i = add(mul(ur, s4), mul(ui, c4));
          const a1r = add(v1r, v4r);
          const a1i = add(v1i, v4i);
          const b1r = sub(v1r, v4r);
          const b1i = sub(v1i, v4i);
          const a2r = add(v2r, v3r);
          const a2i = add(v2i, v3i);
          const b2r = sub(v2r, v3r);
          const b2i = sub(v2i, v3i);
          const p1r = add(add(v0r, mul(k1, a1r)), mul(k2, a2r));
          const p1i = add(add(v0i, mul(k1, a1i)), mul(k2, a2i));
          const p2r = add(add(v0r, mul(k2, a1r)), mul(k1, a2r));
          const p2i = add(add(v0i, mul(k2, a1i)), mul(k1, a2i));
          const q1r = f64x2.neg(add(mul(h1, b1i), mul(h2, b2i)));
          const q1i = add(mul(h1, b1r), mul(h2, b2r));
          const q2r = f64x2.neg(sub(mul(h2, b1i), mul(h1, b2i)));
          const q2i = sub(mul(h2, b1r), mul(h1, b2r));
          const b = dst + c;
          v128.store(yr + b, add(add(v0r, a1r), a2r));
          v128.store(yi + b, add(add(v0i, a1i), a2i));
          v128.store(yr + b + out, add(p1r, q1r));
          v128.store(yi + b + out, add(p1i, q1i));
          v128.store(yr + b + 2 * out, add(p2r, q2r));
          v128.store(yi + b + 2 * out, add(p2i, q2i));
          v128.store(yr + b + 3 * out, sub(p2r, q2r));
          v128.store(yi + b + 3 * out, sub(p2i, q2i));
          v128.store(yr + b + 4 * out, sub(p1r, q1r));
          v128.store(yi + b + 4 * out, sub(p1i, q1i));
        }
      }
    }
}

/**
 * The transform of `count` (even) interleaved sequences of length n at `xr` / `xi`, ping-ponging with `yr`
 * / `yi`; returns 0 when the result is in x, 1 when in y. The radices are those of `fftRadices` (4s, at
 * most one 2, 3s, 5s); the twiddles of stage s, `fftPlan`'s, follow those of the earlier stages.
 */
function transform(
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  n: i32,
  count: i32,
  inverse: bool,
  cosP: usize,
  sinP: usize,
): i32 {
  const sign: f64 = inverse ? 1 : -1;
  let rest = n;
  let l = 1;
  let tw = 0;
  let flip = 0;
  while (rest > 1) {
    let radix = 5;
    if (rest % 4 == 0) radix = 4;
    else if (rest % 2 == 0) radix = 2;
    else if (rest % 3 == 0) radix = 3;
    if (flip == 0) stage(xr, xi, yr, yi, n, count, radix, l, cosP, sinP, tw, sign);
    else stage(yr, yi, xr, xi, n, count, radix, l, cosP, sinP, tw, sign);
    flip ^= 1;
    tw += l * (radix - 1);
    l *= radix;
    rest /= radix;
  }
  return flip;
}

/**
 * `fftLines(re, im, lineStride, elemStride, from, to, nIn, nOut, m, mode, kernel, cosP, sinP, work)`: the
 * length-m FFT of each line ℓ in [from, to) of a complex grid (separate f64 arrays `re`, `im`; element t of
 * line ℓ at index `ℓ·lineStride + t·elemStride`), reading the first `nIn` elements (the rest taken as zero)
 * and writing back the first `nOut`. `mode` 0: forward; 1: inverse (unnormalised); 2: forward, times the
 * real spectrum `kernel[t·m + ℓ]`, inverse — one circulant convolution per line. Twiddles: `fftPlan(m)`'s
 * `cos` / `sin` (f64). `work`: this call's own 4 × m × 8 f64. Lines go in blocks of 8 (two per f64x2
 * lane pair); every line gets the same arithmetic wherever it falls, so any split of [from, to) over
 * threads gives the same grid.
 */
export function fftLines(
  re: usize,
  im: usize,
  lineStride: i32,
  elemStride: i32,
  from: i32,
  to: i32,
  nIn: i32,
  nOut: i32,
  m: i32,
  mode: i32,
  kernel: usize,
  cosP: usize,
  sinP: usize,
  work: usize,
): void {
  const size = (<usize>(m * BLOCK)) << 3;
  const sr = work;
  const si = work + size;
  const tr = work + 2 * size;
  const ti = work + 3 * size;
  for (let l0 = from; l0 < to; l0 += BLOCK) {
    const b = min(BLOCK, to - l0);
    // An odd last block gets a zero line beside it (never written back), for whole f64x2 pairs.
    const count = (b + 1) & ~1;
    for (let t = 0; t < nIn; t++) {
      const row = (<usize>(t * count)) << 3;
      for (let q = 0; q < count; q++) {
        let vr: f64 = 0;
        let vi: f64 = 0;
        if (q < b) {
          const at = (<usize>((l0 + q) * lineStride + t * elemStride)) << 3;
          vr = load<f64>(re + at);
          vi = load<f64>(im + at);
        }
        store<f64>(sr + row + ((<usize>q) << 3), vr);
        store<f64>(si + row + ((<usize>q) << 3), vi);
      }
    }
    const tail = (<usize>(nIn * count)) << 3;
    memory.fill(sr + tail, 0, ((<usize>(m * count)) << 3) - tail);
    memory.fill(si + tail, 0, ((<usize>(m * count)) << 3) - tail);
    let where = transform(sr, si, tr, ti, m, count, mode == 1, cosP, sinP);
    if (mode == 2) {
      const xr = where == 0 ? sr : tr;
      const xi = where == 0 ? si : ti;
      for (let t = 0; t < m; t++) {
        const row = (<usize>(t * count)) << 3;
        const k = kernel + ((<usize>(t * m + l0)) << 3);
        for (let q = 0; q < count; q++) {
          // The padding line of an odd block multiplies a zero: any finite factor does.
          const f = q < b ? load<f64>(k + ((<usize>q) << 3)) : 0;
          const o = row + ((<usize>q) << 3);
          store<f64>(xr + o, load<f64>(xr + o) * f);
          store<f64>(xi + o, load<f64>(xi + o) * f);
        }
      }
      where =
        where == 0
          ? transform(sr, si, tr, ti, m, count, true, cosP, sinP)
          : 1 - transform(tr, ti, sr, si, m, count, true, cosP, sinP);
    }
    const xr = where == 0 ? sr : tr;
    const xi = where == 0 ? si : ti;
    for (let t = 0; t < nOut; t++) {
      const row = (<usize>(t * count)) << 3;
      for (let q = 0; q < b; q++) {
        const at = (<usize>((l0 + q) * lineStride + t * elemStride)) << 3;
        store<f64>(re + at, load<f64>(xr + row + ((<usize>q) << 3)));
        store<f64>(im + at, load<f64>(xi + row + ((<usize>q) << 3)));
      }
    }
  }
}
