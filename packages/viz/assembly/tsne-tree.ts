// The linear space tree of Barnes-Hut t-SNE, built in the kernels' memory: the algorithm of
// src/tsne/space-tree.ts step for step (same keys, same stable radix sort, same node records and the
// same floating-point sums in the same order), so the nodes are bit-for-bit those of `SpaceTree.build`.
//
// Points are sorted by Morton (Z-curve) key inside the root cube; every cell owns a contiguous run of the
// sorted points and its children are the runs of equal next key digit. Node records are f64
// `[centre of mass (dims), count, width², first child (−1: leaf), children, first sorted point]`.

/** The 16 low bits of `x` moved to the even bits (bit b to bit 2b). */
// @ts-ignore: decorator
@inline
function spread2(x: u32): u32 {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}

/** The 10 low bits of `x` moved to every third bit (bit b to bit 3b). */
// @ts-ignore: decorator
@inline
function spread3(x: u32): u32 {
  x = (x | (x << 16)) & 0x030000ff;
  x = (x | (x << 8)) & 0x0300f00f;
  x = (x | (x << 4)) & 0x030c30c3;
  return (x | (x << 2)) & 0x09249249;
}

/** Fills node `c` for sorted points [start, end) at key level `level`; returns the new node count, or −1 when over `capacity`. */
function buildNode(
  nodes: usize,
  sorted: usize,
  keys: usize,
  d: i32,
  bits: i32,
  leafSize: i32,
  rootWidth2: f64,
  c: i32,
  start: i32,
  end: i32,
  level: i32,
  size: i32,
  capacity: i32,
): i32 {
  const stride = <usize>(d + 5) << 3;
  const count = end - start;
  const o = nodes + <usize>c * stride;
  const offset = (<usize>d) << 3;
  store<f64>(o + offset, <f64>count);
  // 4^level exactly (Math.pow would bring lookup tables: a data segment).
  let quarterings: f64 = 1;
  for (let l = 0; l < level; l++) quarterings *= 4;
  store<f64>(o + offset, rootWidth2 / quarterings, 8);
  store<f64>(o + offset, <f64>start, 32);
  if (count <= leafSize || level >= bits) {
    store<f64>(o + offset, -1, 16);
    store<f64>(o + offset, 0, 24);
    for (let a = 0; a < d; a++) {
      let sum: f64 = 0;
      for (let t = start; t < end; t++) sum += load<f64>(sorted + ((<usize>(t * d + a)) << 3));
      store<f64>(o + ((<usize>a) << 3), sum / <f64>count);
    }
    return size;
  }
  const shift = <u32>((bits - 1 - level) * d);
  const mask: u32 = (1 << d) - 1;
  let children = 1;
  for (let t = start + 1; t < end; t++)
    if (((load<u32>(keys + ((<usize>t) << 2)) >> shift) & mask) != ((load<u32>(keys + ((<usize>(t - 1)) << 2)) >> shift) & mask))
      children++;
  const first = size;
  if (first + children > capacity) return -1;
  size += children;
  let child = first;
  let runStart = start;
  for (let t = start + 1; t <= end; t++) {
    if (
      t == end ||
      ((load<u32>(keys + ((<usize>t) << 2)) >> shift) & mask) != ((load<u32>(keys + ((<usize>(t - 1)) << 2)) >> shift) & mask)
    ) {
      size = buildNode(nodes, sorted, keys, d, bits, leafSize, rootWidth2, child++, runStart, t, level + 1, size, capacity);
      if (size < 0) return -1;
      runStart = t;
    }
  }
  store<f64>(o + offset, <f64>first, 16);
  store<f64>(o + offset, <f64>children, 24);
  for (let a = 0; a < d; a++) {
    let sum: f64 = 0;
    for (let k = first; k < first + children; k++) {
      const ko = nodes + <usize>k * stride;
      sum += load<f64>(ko + ((<usize>a) << 3)) * load<f64>(ko + offset);
    }
    store<f64>(o + ((<usize>a) << 3), sum / <f64>count);
  }
  return size;
}

/**
 * `tsneTree(y, n, dims, leafSize, nodes, capacity, sorted, order, scratch) → i32`: builds the quadtree
 * (`dims` 2, 16-bit cells per axis) or octree (3, 10-bit) of the `n` points `y` (row-major f64) as
 * `SpaceTree.build` does: `order[t]` (i32) the point at sorted position t, `sorted` its coordinates, the
 * node records in `nodes` (room for `capacity` nodes of dims + 5 f64). Returns the number of nodes, or −1
 * when `capacity` is too small (call again with more). `scratch` holds 3n + 256 i32.
 */
export function tsneTree(
  y: usize,
  n: i32,
  dims: i32,
  leafSize: i32,
  nodes: usize,
  capacity: i32,
  sorted: usize,
  order: usize,
  scratch: usize,
): i32 {
  const d = dims;
  const bits = d == 2 ? 16 : 10;
  // Bounds per axis (no arrays: the kernels have no heap).
  let lo0 = Infinity;
  let lo1 = Infinity;
  let lo2 = Infinity;
  let hi0 = -Infinity;
  let hi1 = -Infinity;
  let hi2 = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = y + <usize>(i * d) * 8;
    const v0 = load<f64>(p);
    const v1 = load<f64>(p, 8);
    if (v0 < lo0) lo0 = v0;
    if (v0 > hi0) hi0 = v0;
    if (v1 < lo1) lo1 = v1;
    if (v1 > hi1) hi1 = v1;
    if (d == 3) {
      const v2 = load<f64>(p, 16);
      if (v2 < lo2) lo2 = v2;
      if (v2 > hi2) hi2 = v2;
    }
  }
  let side: f64 = 0;
  side = max(side, hi0 - lo0);
  side = max(side, hi1 - lo1);
  if (d == 3) side = max(side, hi2 - lo2);
  side = side * (1 + 1e-9);
  if (side == 0 || isNaN(side)) side = 1;
  const rootWidth2 = side * side;

  // Morton keys: bit b of axis a's cell goes to key bit b·d + a.
  const keys = scratch;
  const keys2 = scratch + ((<usize>n) << 2);
  const order2 = keys2 + ((<usize>n) << 2);
  const counts = order2 + ((<usize>n) << 2);
  const cells = 1 << bits;
  const scale = <f64>cells / side;
  for (let i = 0; i < n; i++) {
    const p = y + <usize>(i * d) * 8;
    const c0 = <u32>min(cells - 1, <i32>Math.floor((load<f64>(p) - lo0) * scale));
    const c1 = <u32>min(cells - 1, <i32>Math.floor((load<f64>(p, 8) - lo1) * scale));
    let key: u32;
    if (d == 2) key = spread2(c0) | (spread2(c1) << 1);
    else {
      const c2 = <u32>min(cells - 1, <i32>Math.floor((load<f64>(p, 16) - lo2) * scale));
      key = spread3(c0) | (spread3(c1) << 1) | (spread3(c2) << 2);
    }
    store<u32>(keys + ((<usize>i) << 2), key);
    store<i32>(order + ((<usize>i) << 2), i);
  }
  // Stable LSD radix sort, 8 bits per pass (4 passes for 2-D's 32-bit and 3-D's 30-bit keys).
  let srcK = keys;
  let srcO = order;
  let dstK = keys2;
  let dstO = order2;
  for (let shift = 0; shift < bits * d; shift += 8) {
    memory.fill(counts, 0, 1024);
    for (let i = 0; i < n; i++) {
      const b = counts + ((<usize>((load<u32>(srcK + ((<usize>i) << 2)) >> (<u32>shift)) & 255)) << 2);
      store<i32>(b, load<i32>(b) + 1);
    }
    for (let s = 0, b = 0; b < 256; b++) {
      const at = counts + ((<usize>b) << 2);
      const c = load<i32>(at);
      store<i32>(at, s);
      s += c;
    }
    for (let i = 0; i < n; i++) {
      const k = load<u32>(srcK + ((<usize>i) << 2));
      const at = counts + ((<usize>((k >> (<u32>shift)) & 255)) << 2);
      const slot = load<i32>(at);
      store<i32>(at, slot + 1);
      store<u32>(dstK + ((<usize>slot) << 2), k);
      store<i32>(dstO + ((<usize>slot) << 2), load<i32>(srcO + ((<usize>i) << 2)));
    }
    const tk = srcK;
    srcK = dstK;
    dstK = tk;
    const to = srcO;
    srcO = dstO;
    dstO = to;
  }
  if (srcO != order) {
    memory.copy(order, srcO, (<usize>n) << 2);
    memory.copy(keys, srcK, (<usize>n) << 2);
  }
  for (let t = 0; t < n; t++) {
    const i = load<i32>(order + ((<usize>t) << 2));
    for (let a = 0; a < d; a++)
      store<f64>(sorted + ((<usize>(t * d + a)) << 3), load<f64>(y + ((<usize>(i * d + a)) << 3)));
  }
  if (capacity < 1) return -1;
  return buildNode(nodes, sorted, keys, d, bits, leafSize, rootWidth2, 0, 0, n, 0, 1, capacity);
}
