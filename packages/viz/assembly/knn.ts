// Exact k nearest neighbours by brute force (squared Euclidean, float64), for a range of query rows: the
// neighbour search of Barnes-Hut t-SNE (van der Maaten 2014, §4.1). Each distance is the sequential sum
// Σ_a (x_ia − x_ja)² that src/tsne/knn.ts re-ranks with, lane by lane, so distances are bit-for-bit the
// JavaScript ones and the neighbour sets exactly the brute-force ones, ties broken by the smaller index.
//
// Queries go four at a time against candidates four at a time (the candidates' tile: d × 4 f64, two
// f64x2 each), so every loaded candidate value serves four queries.

/** True when (d1, i1) comes after (d2, i2): farther, or as far with a larger index. */
// @ts-ignore: decorator
@inline
function after(d1: f64, i1: i32, d2: f64, i2: i32): bool {
  return d1 > d2 || (d1 == d2 && i1 > i2);
}

/** Restores the max-heap (by {@link after}) of `size` entries below position `at`. */
function siftDown(hd: usize, hi: usize, at: i32, size: i32): void {
  const dv = load<f64>(hd + ((<usize>at) << 3));
  const iv = load<i32>(hi + ((<usize>at) << 2));
  for (;;) {
    let c = 2 * at + 1;
    if (c >= size) break;
    let cd = load<f64>(hd + ((<usize>c) << 3));
    let ci = load<i32>(hi + ((<usize>c) << 2));
    if (c + 1 < size) {
      const rd = load<f64>(hd + ((<usize>(c + 1)) << 3));
      const ri = load<i32>(hi + ((<usize>(c + 1)) << 2));
      if (after(rd, ri, cd, ci)) {
        c++;
        cd = rd;
        ci = ri;
      }
    }
    if (!after(cd, ci, dv, iv)) break;
    store<f64>(hd + ((<usize>at) << 3), cd);
    store<i32>(hi + ((<usize>at) << 2), ci);
    at = c;
  }
  store<f64>(hd + ((<usize>at) << 3), dv);
  store<i32>(hi + ((<usize>at) << 2), iv);
}

/** Offers candidate (dist, j) to the bounded max-heap of `size` ≤ k entries; returns the new size. */
// @ts-ignore: decorator
@inline
function offer(hd: usize, hi: usize, size: i32, k: i32, dist: f64, j: i32): i32 {
  if (size < k) {
    // Sift up.
    let at = size;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const pd = load<f64>(hd + ((<usize>parent) << 3));
      const pi = load<i32>(hi + ((<usize>parent) << 2));
      if (!after(dist, j, pd, pi)) break;
      store<f64>(hd + ((<usize>at) << 3), pd);
      store<i32>(hi + ((<usize>at) << 2), pi);
      at = parent;
    }
    store<f64>(hd + ((<usize>at) << 3), dist);
    store<i32>(hi + ((<usize>at) << 2), j);
    return size + 1;
  }
  // Candidates come in increasing j: one as far as the farthest kept loses the tie.
  if (!(dist < load<f64>(hd))) return size;
  store<f64>(hd, dist);
  store<i32>(hi, j);
  siftDown(hd, hi, 0, size);
  return size;
}

/** Offers the four lanes of a candidate tile (candidates j0 … j0 + 3 below n, not the query itself). */
// @ts-ignore: decorator
@inline
function offerTile(
  hd: usize,
  hi: usize,
  size: i32,
  k: i32,
  lo: v128,
  hi2: v128,
  j0: i32,
  n: i32,
  query: i32,
): i32 {
  if (j0 < n && j0 != query) size = offer(hd, hi, size, k, f64x2.extract_lane(lo, 0), j0);
  if (j0 + 1 < n && j0 + 1 != query) size = offer(hd, hi, size, k, f64x2.extract_lane(lo, 1), j0 + 1);
  if (j0 + 2 < n && j0 + 2 != query) size = offer(hd, hi, size, k, f64x2.extract_lane(hi2, 0), j0 + 2);
  if (j0 + 3 < n && j0 + 3 != query) size = offer(hd, hi, size, k, f64x2.extract_lane(hi2, 1), j0 + 3);
  return size;
}

/** Heap-sorts the heap of `size` entries into ascending (distance, index) and writes row `row` of the output. */
function emit(hd: usize, hi: usize, size: i32, outIdx: usize, outDist: usize, row: i32, k: i32): void {
  for (let last = size - 1; last > 0; last--) {
    const d = load<f64>(hd);
    const i = load<i32>(hi);
    store<f64>(hd, load<f64>(hd + ((<usize>last) << 3)));
    store<i32>(hi, load<i32>(hi + ((<usize>last) << 2)));
    store<f64>(hd + ((<usize>last) << 3), d);
    store<i32>(hi + ((<usize>last) << 2), i);
    siftDown(hd, hi, 0, last);
  }
  const base = <usize>row * <usize>k;
  for (let c = 0; c < size; c++) {
    store<i32>(outIdx + ((base + <usize>c) << 2), load<i32>(hi + ((<usize>c) << 2)));
    store<f64>(outDist + ((base + <usize>c) << 3), load<f64>(hd + ((<usize>c) << 3)));
  }
}

/**
 * `knnRows(x, tiles, n, d, k, from, to, outIdx, outDist, scratch)`: for each query row i in [from, to) of
 * `x` (n × d f64, row-major), the k nearest other rows by `Σ_a (x_ia − x_ja)²`, nearest first, ties by the
 * smaller index: i32 indices to `outIdx[i·k …]`, f64 distances to `outDist[i·k …]`. `tiles` holds the
 * rows again as ⌈n / 4⌉ tiles of d × 4 f64 (tile t, dimension a, lane l = row 4t + l; the padding of the
 * last tile is never offered). `scratch` holds 4·k f64 then 4·k i32. `k` must be in [1, n − 1].
 */
export function knnRows(
  x: usize,
  tiles: usize,
  n: i32,
  d: i32,
  k: i32,
  from: i32,
  to: i32,
  outIdx: usize,
  outDist: usize,
  scratch: usize,
): void {
  const heapD = scratch;
  const heapI = scratch + ((<usize>(4 * k)) << 3);
  const hk8 = (<usize>k) << 3;
  const hk4 = (<usize>k) << 2;
  const row = (<usize>d) << 3;
  const tileBytes = (<usize>d) << 5;
  const tileCount = (n + 3) >> 2;
  for (let i0 = from; i0 < to; i0 += 4) {
    // A short last block repeats its last query; the copies are not emitted.
    const i1 = min(i0 + 1, to - 1);
    const i2 = min(i0 + 2, to - 1);
    const i3 = min(i0 + 3, to - 1);
    const q0 = x + <usize>i0 * row;
    const q1 = x + <usize>i1 * row;
    const q2 = x + <usize>i2 * row;
    const q3 = x + <usize>i3 * row;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < tileCount; t++) {
      const tile = tiles + <usize>t * tileBytes;
      let a0 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      for (let a = 0; a < d; a++) {
        const c = tile + ((<usize>a) << 5);
        const lo = v128.load(c);
        const hi = v128.load(c, 16);
        const off = (<usize>a) << 3;
        let v = f64x2.splat(load<f64>(q0 + off));
        let e = f64x2.sub(v, lo);
        a0 = f64x2.add(a0, f64x2.mul(e, e));
        e = f64x2.sub(v, hi);
        b0 = f64x2.add(b0, f64x2.mul(e, e));
        v = f64x2.splat(load<f64>(q1 + off));
        e = f64x2.sub(v, lo);
        a1 = f64x2.add(a1, f64x2.mul(e, e));
        e = f64x2.sub(v, hi);
        b1 = f64x2.add(b1, f64x2.mul(e, e));
        v = f64x2.splat(load<f64>(q2 + off));
        e = f64x2.sub(v, lo);
        a2 = f64x2.add(a2, f64x2.mul(e, e));
        e = f64x2.sub(v, hi);
        b2 = f64x2.add(b2, f64x2.mul(e, e));
        v = f64x2.splat(load<f64>(q3 + off));
        e = f64x2.sub(v, lo);
        a3 = f64x2.add(a3, f64x2.mul(e, e));
        e = f64x2.sub(v, hi);
        b3 = f64x2.add(b3, f64x2.mul(e, e));
      }
      const j0 = t << 2;
      s0 = offerTile(heapD, heapI, s0, k, a0, b0, j0, n, i0);
      s1 = offerTile(heapD + hk8, heapI + hk4, s1, k, a1, b1, j0, n, i1);
      s2 = offerTile(heapD + 2 * hk8, heapI + 2 * hk4, s2, k, a2, b2, j0, n, i2);
      s3 = offerTile(heapD + 3 * hk8, heapI + 3 * hk4, s3, k, a3, b3, j0, n, i3);
    }
    emit(heapD, heapI, s0, outIdx, outDist, i0, k);
    if (i1 > i0) emit(heapD + hk8, heapI + hk4, s1, outIdx, outDist, i1, k);
    if (i2 > i1) emit(heapD + 2 * hk8, heapI + 2 * hk4, s2, outIdx, outDist, i2, k);
    if (i3 > i2) emit(heapD + 3 * hk8, heapI + 3 * hk4, s3, outIdx, outDist, i3, k);
  }
}
