// The repulsive term of the Barnes-Hut t-SNE gradient (van der Maaten 2014, eq. 6) over the linear space
// tree of src/tsne/space-tree.ts, copied into the kernels' memory: the same criterion and the same tree
// walks as the JavaScript of src/tsne/barnes-hut.ts, on a range of groups (2-D) or points (3-D) per call.
//
// Node records are f64: 2-D `[cx, cy, count, width², first child, children, first point]` (56 bytes),
// 3-D `[cx, cy, cz, count, width², first child, children, first point]` (64 bytes); `sorted` holds the
// points in Morton order (`dims` f64 each), `order[t]` (i32) the original index of sorted point t.

/** Traversal stack entries (i32): each pop pushes at most 2^dims children in a tree of ≤ 17 levels. */
const STACK_SIZE: i32 = 128;

/** Bytes of the walk scratch before the two node lists of {@link tsneRepulsive2}. */
const STACK_BYTES: usize = <usize>STACK_SIZE << 2;

/**
 * `tsneRepulsive2(nodes, sorted, order, groups, from, to, theta2, out, scratch, capacity, slot)`: for the
 * groups `groups[from … to)` (i32 node indices: cells of ≤ 16 points or leaves, which together cover every
 * point once), one tree walk per group (Barnes 1990): a cell is summarised by its centre of mass for the
 * whole group when `width² < θ² (d − r)²` (d the distance from the group's centre of mass, r the group's
 * radius, so every point meets `width² < θ² d_i²`); leaves that fail are summed point by point. Writes
 * `out[i] = Σ_j q̃_ij² (y_i − y_j)` (q̃ = 1 / (1 + d²), 2 f64 per point, original order) for the group's
 * points and `Σ_i Σ_j q̃_ij` over them (this share of Z) to `slot` (f64). `scratch` holds
 * 128 + 2·`capacity` i32, `capacity` at least the tree's node count. The points of a group go two at a
 * time through the lanes of f64x2 (the i-th lane's arithmetic is exactly one point's).
 */
export function tsneRepulsive2(
  nodes: usize,
  sorted: usize,
  order: usize,
  groups: usize,
  from: i32,
  to: i32,
  theta2: f64,
  out: usize,
  scratch: usize,
  capacity: i32,
  slot: usize,
): void {
  const st = scratch;
  const far = scratch + STACK_BYTES;
  const near = far + ((<usize>capacity) << 2);
  const one = f64x2.splat(1);
  let z: f64 = 0;
  for (let g = from; g < to; g++) {
    const go = nodes + <usize>load<i32>(groups + ((<usize>g) << 2)) * 56;
    const gs = <i32>load<f64>(go, 48);
    const ge = gs + <i32>load<f64>(go, 16);
    const cx = load<f64>(go);
    const cy = load<f64>(go, 8);
    let r2: f64 = 0;
    for (let u = gs; u < ge; u++) {
      const p = sorted + ((<usize>u) << 4);
      const dx = load<f64>(p) - cx;
      const dy = load<f64>(p, 8) - cy;
      r2 = max(r2, dx * dx + dy * dy);
    }
    const r = Math.sqrt(r2);
    let nf = 0;
    let nn = 0;
    let top = 1;
    store<i32>(st, 0);
    while (top > 0) {
      top--;
      const o = nodes + <usize>load<i32>(st + ((<usize>top) << 2)) * 56;
      const start = <i32>load<f64>(o, 48);
      if (gs < start || gs >= start + <i32>load<f64>(o, 16)) {
        const dx = cx - load<f64>(o);
        const dy = cy - load<f64>(o, 8);
        const d = Math.sqrt(dx * dx + dy * dy) - r;
        if (d > 0 && load<f64>(o, 24) < theta2 * d * d) {
          store<u32>(far + ((<usize>nf) << 2), <u32>o);
          nf++;
          continue;
        }
      }
      const first = <i32>load<f64>(o, 32);
      if (first >= 0) {
        for (let k = first, end = first + <i32>load<f64>(o, 40); k < end; k++) {
          store<i32>(st + ((<usize>top) << 2), k);
          top++;
        }
      } else {
        store<u32>(near + ((<usize>nn) << 2), <u32>o);
        nn++;
      }
    }
    for (let t = gs; t < ge; t += 2) {
      // An odd last point rides in both lanes; the second lane is then dropped.
      const t1 = t + 1 < ge ? t + 1 : t;
      const a = v128.load(sorted + ((<usize>t) << 4));
      const b = v128.load(sorted + ((<usize>t1) << 4));
      const px = v128.shuffle<f64>(a, b, 0, 2);
      const py = v128.shuffle<f64>(a, b, 1, 3);
      const self = i64x2.replace_lane(i64x2.splat(<i64>t), 1, <i64>t1);
      let fx = f64x2.splat(0);
      let fy = f64x2.splat(0);
      let zv = f64x2.splat(0);
      for (let k = 0; k < nf; k++) {
        const o = <usize>load<u32>(far + ((<usize>k) << 2));
        const dx = f64x2.sub(px, f64x2.splat(load<f64>(o)));
        const dy = f64x2.sub(py, f64x2.splat(load<f64>(o, 8)));
        const q = f64x2.div(one, f64x2.add(f64x2.add(one, f64x2.mul(dx, dx)), f64x2.mul(dy, dy)));
        const m = f64x2.mul(f64x2.splat(load<f64>(o, 16)), q);
        zv = f64x2.add(zv, m);
        const mq = f64x2.mul(m, q);
        fx = f64x2.add(fx, f64x2.mul(mq, dx));
        fy = f64x2.add(fy, f64x2.mul(mq, dy));
      }
      for (let k = 0; k < nn; k++) {
        const o = <usize>load<u32>(near + ((<usize>k) << 2));
        const us = <i32>load<f64>(o, 48);
        for (let u = us, end = us + <i32>load<f64>(o, 16); u < end; u++) {
          const p = sorted + ((<usize>u) << 4);
          const dx = f64x2.sub(px, f64x2.splat(load<f64>(p)));
          const dy = f64x2.sub(py, f64x2.splat(load<f64>(p, 8)));
          let q = f64x2.div(one, f64x2.add(f64x2.add(one, f64x2.mul(dx, dx)), f64x2.mul(dy, dy)));
          // A point does not repel itself: clear the lane whose point is u.
          q = v128.andnot(q, i64x2.eq(i64x2.splat(<i64>u), self));
          zv = f64x2.add(zv, q);
          const q2 = f64x2.mul(q, q);
          fx = f64x2.add(fx, f64x2.mul(q2, dx));
          fy = f64x2.add(fy, f64x2.mul(q2, dy));
        }
      }
      z += f64x2.extract_lane(zv, 0);
      const o0 = out + (<usize>load<i32>(order + ((<usize>t) << 2)) << 4);
      store<f64>(o0, f64x2.extract_lane(fx, 0));
      store<f64>(o0, f64x2.extract_lane(fy, 0), 8);
      if (t1 != t) {
        z += f64x2.extract_lane(zv, 1);
        const o1 = out + (<usize>load<i32>(order + ((<usize>t1) << 2)) << 4);
        store<f64>(o1, f64x2.extract_lane(fx, 1));
        store<f64>(o1, f64x2.extract_lane(fy, 1), 8);
      }
    }
  }
  store<f64>(slot, z);
}

/**
 * `tsneRepulsive3(nodes, sorted, order, from, to, theta2, dof, out, stack, slot)`: the per-point walk of
 * an octree for sorted points [from, to): a cell not containing the point is summarised by its centre of
 * mass when `width² < θ² d²`, else opened; a leaf's points are summed directly. Writes
 * `out[i] = Σ_j q̃_ij² (y_i − y_j)` (3 f64 per point, original order) with scikit-learn's kernel
 * `q̃ = (α / (α + d²))^((α + 1) / 2)` for α = `dof` ∈ {1, 2}, and this share of Z to `slot` (f64).
 * `stack` holds 128 i32. Same arithmetic as barnes-hut.ts's `repulsive3` (bit-for-bit with dof 1).
 */
export function tsneRepulsive3(
  nodes: usize,
  sorted: usize,
  order: usize,
  from: i32,
  to: i32,
  theta2: f64,
  dof: f64,
  out: usize,
  stack: usize,
  slot: usize,
): void {
  let z: f64 = 0;
  for (let t = from; t < to; t++) {
    const yo = sorted + <usize>t * 24;
    const yi = v128.load(yo);
    const yi2 = load<f64>(yo, 16);
    let f = f64x2.splat(0);
    let f2: f64 = 0;
    let top = 1;
    store<i32>(stack, 0);
    while (top > 0) {
      top--;
      const o = nodes + <usize>load<i32>(stack + ((<usize>top) << 2)) * 64;
      const size = load<f64>(o, 24);
      const d = f64x2.sub(yi, v128.load(o));
      const d2 = yi2 - load<f64>(o, 16);
      const dd = f64x2.mul(d, d);
      const dist2 = f64x2.extract_lane(dd, 0) + f64x2.extract_lane(dd, 1) + d2 * d2;
      const start = <i32>load<f64>(o, 56);
      if (load<f64>(o, 32) < theta2 * dist2 && (t < start || t >= start + <i32>size)) {
        const q = kernel(dist2, dof);
        const m = size * q;
        z += m;
        const mq = m * q;
        f = f64x2.add(f, f64x2.mul(f64x2.splat(mq), d));
        f2 += mq * d2;
        continue;
      }
      const first = <i32>load<f64>(o, 40);
      if (first >= 0) {
        for (let k = first, end = first + <i32>load<f64>(o, 48); k < end; k++) {
          store<i32>(stack + ((<usize>top) << 2), k);
          top++;
        }
        continue;
      }
      for (let u = start, end = start + <i32>size; u < end; u++) {
        if (u == t) continue;
        const uo = sorted + <usize>u * 24;
        const e = f64x2.sub(yi, v128.load(uo));
        const e2 = yi2 - load<f64>(uo, 16);
        const ee = f64x2.mul(e, e);
        const q = kernel(f64x2.extract_lane(ee, 0) + f64x2.extract_lane(ee, 1) + e2 * e2, dof);
        z += q;
        const q2 = q * q;
        f = f64x2.add(f, f64x2.mul(f64x2.splat(q2), e));
        f2 += q2 * e2;
      }
    }
    const oo = out + <usize>load<i32>(order + ((<usize>t) << 2)) * 24;
    v128.store(oo, f);
    store<f64>(oo, f2, 16);
  }
  store<f64>(slot, z);
}

/** scikit-learn's Student-t kernel for α ∈ {1, 2}: `1 / (1 + d²)`, or `t·√t` with t = 2 / (2 + d²). */
// @ts-ignore: decorator
@inline
function kernel(dist2: f64, dof: f64): f64 {
  if (dof == 1) return 1.0 / (1.0 + dist2);
  const t = dof / (dof + dist2);
  return t * Math.sqrt(t);
}
