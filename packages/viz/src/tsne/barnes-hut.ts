import { InvalidArgumentError } from '@wordloom/core';
import { splitRange, type VizKernels } from '../kernels/viz-kernels.js';
import type { SpaceTree } from './space-tree.js';
import type { CsrMatrix } from './sparse-matrix.js';

/** The smallest normal float32, the floor scikit-learn puts under p and q inside the KL logarithm. */
const FLOAT32_TINY = 1.1754943508222875e-38;

/**
 * Barnes-Hut t-SNE gradient (van der Maaten 2014, eq. 4–6): the gradient
 * `dC/dy_i = c (Σ_j p_ij q̃_ij (y_i − y_j) − Σ_j q̃_ij² (y_i − y_j) / Z)`, with `q̃_ij = (1 + |y_i − y_j|²)⁻¹`,
 * `c = 4` and `Z = Σ_{k≠l} q̃_kl`. With `dof = α ≠ 1` (3-D only, scikit-learn's `max(dims − 1, 1)`) the kernel
 * is scikit-learn's `q̃ = (α / (α + d²))^((α + 1) / 2)` and `c = 2 (α + 1) / α`. The attractive sum runs over the sparse `P` (CSR); the repulsive sum and `Z` come from
 * `tree` (already built over `y`), summarising a cell by its centre of mass when `width² / d² < θ²`.
 * `θ = 0` visits every leaf, which is the exact gradient.
 *
 * In 2-D the repulsion uses group walks by default (`walk: 'grouped'`, at least as accurate, faster);
 * `'per-point'` is the classic walk of one query point at a time.
 *
 * Writes the gradient into `grad` and returns the KL divergence `Σ αp_ij log(αp_ij / q_ij)` computed the way
 * scikit-learn's `_barnes_hut_tsne.gradient` does (with the exaggerated P during early exaggeration), or `NaN`
 * when `computeKl` is false.
 */
export function barnesHutGradient(
  y: Float64Array,
  dims: 2 | 3,
  p: CsrMatrix,
  exaggeration: number,
  theta: number,
  tree: SpaceTree,
  grad: Float64Array,
  computeKl: boolean,
  walk: 'grouped' | 'per-point' = 'grouped',
  dof = 1,
): number {
  const n = p.rows;
  const theta2 = theta * theta;
  if (dims === 2 && dof !== 1)
    throw new InvalidArgumentError(
      'dof',
      'barnesHutGradient',
      '1 in 2-D (scikit-learn: max(dims − 1, 1))',
      dof,
    );
  const exponent = (dof + 1) / 2;
  // Student-t kernel with α degrees of freedom, as scikit-learn: t = (α / (α + d²))^((α + 1) / 2).
  const kernel = (dist2: number) => (dof === 1 ? 1 / (1 + dist2) : (dof / (dof + dist2)) ** exponent);
  const c = (2 * (dof + 1)) / dof;
  const z =
    dims === 3
      ? repulsive3(n, tree, theta2, grad, kernel)
      : walk === 'grouped'
        ? repulsiveGrouped2(tree, theta2, grad)
        : repulsive2(n, tree, theta2, grad);
  // grad now holds the unnormalised repulsion Σ q̃² (y_i − y_j); scale by 1/Z and add the attraction.
  const invZ = 1 / z;
  const { rowStart, columns, values } = p;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const io = i * dims;
    let f0 = 0;
    let f1 = 0;
    let f2 = 0;
    for (let e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
      const j = columns[e];
      const jo = j * dims;
      const d0 = y[io] - y[jo];
      const d1 = y[io + 1] - y[jo + 1];
      const d2 = dims === 3 ? y[io + 2] - y[jo + 2] : 0;
      const q = kernel(d0 * d0 + d1 * d1 + d2 * d2);
      const pij = values[e] * exaggeration;
      const w = pij * q;
      f0 += w * d0;
      f1 += w * d1;
      f2 += w * d2;
      if (computeKl) {
        const qn = q * invZ;
        kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(qn, FLOAT32_TINY));
      }
    }
    grad[io] = c * (f0 - grad[io] * invZ);
    grad[io + 1] = c * (f1 - grad[io + 1] * invZ);
    if (dims === 3) grad[io + 2] = c * (f2 - grad[io + 2] * invZ);
  }
  return computeKl ? kl : Number.NaN;
}

/**
 * Traversal stack size: each pop pushes at most 2^dims children and a tree has at most 17 (2-D) or 11 (3-D)
 * levels, so at most 17 · 3 + 1 or 11 · 7 + 1 entries are live.
 */
const STACK_SIZE = 128;

/** Points per group in the grouped 2-D walk. */
const GROUP_SIZE = 16;

/**
 * Repulsive pass for 2-D with group walks (Barnes 1990, "A modified tree code: don't laugh; it runs"): the
 * points of each small cell (≤ {@link GROUP_SIZE}) share one tree walk. A cell is summarised by its centre of
 * mass for the whole group when `width² < θ² (d − r)²`, with d the distance from the group's centre and r the
 * group's radius — so every point of the group meets the per-point criterion `width² < θ² d_i²`, and the
 * result is at least as accurate as the per-point walk. Cells that fail and are leaves are summed directly.
 * Returns Z and writes Σ_j q̃_ij² (y_i − y_j) into `out`.
 */
function repulsiveGrouped2(tree: SpaceTree, theta2: number, out: Float64Array): number {
  const { nodes, order, sorted: ys } = tree;
  const st = new Int32Array(STACK_SIZE);
  const groups = new Int32Array(tree.size);
  const far = new Int32Array(tree.size);
  const near = new Int32Array(tree.size);
  let groupCount = 0;
  let top = 0;
  st[top++] = 0;
  while (top > 0) {
    const c = st[--top];
    const o = c * 7;
    const first = nodes[o + 4];
    if (first < 0 || nodes[o + 2] <= GROUP_SIZE) groups[groupCount++] = c;
    else for (let k = first, end = first + nodes[o + 5]; k < end; k++) st[top++] = k;
  }
  let z = 0;
  for (let g = 0; g < groupCount; g++) {
    const go = groups[g] * 7;
    const gs = nodes[go + 6];
    const ge = gs + nodes[go + 2];
    const cx = nodes[go];
    const cy = nodes[go + 1];
    let r2 = 0;
    for (let u = gs; u < ge; u++) {
      const dx = ys[2 * u] - cx;
      const dy = ys[2 * u + 1] - cy;
      r2 = Math.max(r2, dx * dx + dy * dy);
    }
    const r = Math.sqrt(r2);
    let nf = 0;
    let nn = 0;
    top = 0;
    st[top++] = 0;
    while (top > 0) {
      const c = st[--top];
      const o = c * 7;
      const start = nodes[o + 6];
      if (gs < start || gs >= start + nodes[o + 2]) {
        const dx = cx - nodes[o];
        const dy = cy - nodes[o + 1];
        const d = Math.sqrt(dx * dx + dy * dy) - r;
        if (d > 0 && nodes[o + 3] < theta2 * d * d) {
          far[nf++] = o;
          continue;
        }
      }
      const first = nodes[o + 4];
      if (first >= 0) for (let k = first, end = first + nodes[o + 5]; k < end; k++) st[top++] = k;
      else near[nn++] = o;
    }
    for (let t = gs; t < ge; t++) {
      const yi0 = ys[2 * t];
      const yi1 = ys[2 * t + 1];
      let f0 = 0;
      let f1 = 0;
      for (let k = 0; k < nf; k++) {
        const o = far[k];
        const d0 = yi0 - nodes[o];
        const d1 = yi1 - nodes[o + 1];
        const qz = 1 / (1 + d0 * d0 + d1 * d1);
        const m = nodes[o + 2] * qz;
        z += m;
        const mq = m * qz;
        f0 += mq * d0;
        f1 += mq * d1;
      }
      for (let k = 0; k < nn; k++) {
        const o = near[k];
        for (let u = nodes[o + 6], end = u + nodes[o + 2]; u < end; u++) {
          if (u === t) continue;
          const e0 = yi0 - ys[2 * u];
          const e1 = yi1 - ys[2 * u + 1];
          const qz = 1 / (1 + e0 * e0 + e1 * e1);
          z += qz;
          const q2 = qz * qz;
          f0 += q2 * e0;
          f1 += q2 * e1;
        }
      }
      const i = order[t];
      out[2 * i] = f0;
      out[2 * i + 1] = f1;
    }
  }
  return z;
}

/**
 * Per-point repulsive pass for 2-D (kept for comparison and tests); returns Z and writes Σ_j q̃_ij² (y_i − y_j) into `out`. Node layout: see SpaceTree.
 * A cell is summarised by its centre of mass when `width² < θ² d²` and it does not contain the query point;
 * otherwise its children are opened, and a leaf's points are summed directly (skipping the query itself).
 */
function repulsive2(n: number, tree: SpaceTree, theta2: number, out: Float64Array): number {
  const { nodes, order, sorted: ys } = tree;
  const st = new Int32Array(STACK_SIZE);
  let z = 0;
  for (let t = 0; t < n; t++) {
    const yi0 = ys[2 * t];
    const yi1 = ys[2 * t + 1];
    let f0 = 0;
    let f1 = 0;
    let top = 0;
    st[top++] = 0;
    while (top > 0) {
      const o = st[--top] * 7;
      const size = nodes[o + 2];
      const d0 = yi0 - nodes[o];
      const d1 = yi1 - nodes[o + 1];
      const dist2 = d0 * d0 + d1 * d1;
      const start = nodes[o + 6];
      if (nodes[o + 3] < theta2 * dist2 && (t < start || t >= start + size)) {
        const qz = 1 / (1 + dist2);
        const m = size * qz;
        z += m;
        const mq = m * qz;
        f0 += mq * d0;
        f1 += mq * d1;
        continue;
      }
      const first = nodes[o + 4];
      if (first >= 0) {
        for (let k = first, end = first + nodes[o + 5]; k < end; k++) st[top++] = k;
        continue;
      }
      for (let u = start, end = start + size; u < end; u++) {
        if (u === t) continue;
        const e0 = yi0 - ys[2 * u];
        const e1 = yi1 - ys[2 * u + 1];
        const qz = 1 / (1 + e0 * e0 + e1 * e1);
        z += qz;
        const q2 = qz * qz;
        f0 += q2 * e0;
        f1 += q2 * e1;
      }
    }
    const i = order[t];
    out[2 * i] = f0;
    out[2 * i + 1] = f1;
  }
  return z;
}

/** Repulsive pass for 3-D (octree); same contract as {@link repulsive2}. */
function repulsive3(
  n: number,
  tree: SpaceTree,
  theta2: number,
  out: Float64Array,
  kernel: (dist2: number) => number,
): number {
  const { nodes, order, sorted: ys } = tree;
  const st = new Int32Array(STACK_SIZE);
  let z = 0;
  for (let t = 0; t < n; t++) {
    const yi0 = ys[3 * t];
    const yi1 = ys[3 * t + 1];
    const yi2 = ys[3 * t + 2];
    let f0 = 0;
    let f1 = 0;
    let f2 = 0;
    let top = 0;
    st[top++] = 0;
    while (top > 0) {
      const o = st[--top] * 8;
      const size = nodes[o + 3];
      const d0 = yi0 - nodes[o];
      const d1 = yi1 - nodes[o + 1];
      const d2 = yi2 - nodes[o + 2];
      const dist2 = d0 * d0 + d1 * d1 + d2 * d2;
      const start = nodes[o + 7];
      if (nodes[o + 4] < theta2 * dist2 && (t < start || t >= start + size)) {
        const qz = kernel(dist2);
        const m = size * qz;
        z += m;
        const mq = m * qz;
        f0 += mq * d0;
        f1 += mq * d1;
        f2 += mq * d2;
        continue;
      }
      const first = nodes[o + 5];
      if (first >= 0) {
        for (let k = first, end = first + nodes[o + 6]; k < end; k++) st[top++] = k;
        continue;
      }
      for (let u = start, end = start + size; u < end; u++) {
        if (u === t) continue;
        const e0 = yi0 - ys[3 * u];
        const e1 = yi1 - ys[3 * u + 1];
        const e2 = yi2 - ys[3 * u + 2];
        const qz = kernel(e0 * e0 + e1 * e1 + e2 * e2);
        z += qz;
        const q2 = qz * qz;
        f0 += q2 * e0;
        f1 += q2 * e1;
        f2 += q2 * e2;
      }
    }
    const i = order[t];
    out[3 * i] = f0;
    out[3 * i + 1] = f1;
    out[3 * i + 2] = f2;
  }
  return z;
}

/** Leaf size of the kernels' trees: SpaceTree's default. */
const LEAF_SIZE = 8;

/** Bytes of the 2-D walk's scratch per share besides its two node lists: the traversal stack. */
const STACK_BYTES = 4 * STACK_SIZE;

/**
 * {@link barnesHutGradient} (grouped walk in 2-D, per-point in 3-D, dof 1 or 2) on the WebAssembly kernels
 * of `packages/viz/assembly/` (`tsne-repulsive.ts`, `tsne-attractive.ts`), spread over the threads of
 * `kernels`: the tree is built in the kernels' memory (`tsne-tree.ts`, {@link SpaceTree}'s algorithm and
 * nodes, one thread); the repulsion runs per range of groups (2-D) or points (3-D), the attraction per range of rows of P.
 * The ranges are fixed by the thread count and each share's Z and KL partials are summed in share order, so
 * a thread count always gives the same bits; one thread is one share.
 */
export class BarnesHutKernels {
  private readonly kernels: VizKernels;
  private readonly n: number;
  private readonly dims: 2 | 3;
  private readonly theta2: number;
  private readonly dof: number;
  private readonly shares: number;
  private readonly rowRanges: Array<[number, number]>;
  private readonly ptr: {
    y: number;
    rowStart: number;
    columns: number;
    values: number;
    attraction: number;
    repulsion: number;
    sorted: number;
    order: number;
    groups: number;
    slots: number;
    treeScratch: number;
  };
  private nodes = 0;
  private scratch = 0;
  private capacity = 0;
  private readonly groups: Int32Array;

  /**
   * Copies P into the kernels' memory (allocating after whatever `kernels` already holds).
   * @param dof degrees of freedom of the kernel: 1, or 2 in 3-D (scikit-learn's `max(dims − 1, 1)`).
   */
  constructor(kernels: VizKernels, p: CsrMatrix, dims: 2 | 3, theta: number, dof: number) {
    if (!(dof === 1 || (dims === 3 && dof === 2)))
      throw new InvalidArgumentError('dof', 'BarnesHutKernels', '1, or 2 in 3-D', dof);
    const n = p.rows;
    this.kernels = kernels;
    this.n = n;
    this.dims = dims;
    this.theta2 = theta * theta;
    this.dof = dof;
    this.shares = Math.min(kernels.threads, Math.max(1, n));
    this.rowRanges = splitByWeight(p.rowStart, this.shares);
    const nnz = p.columns.length;
    this.ptr = {
      y: kernels.alloc(8 * n * dims),
      rowStart: kernels.alloc(4 * (n + 1)),
      columns: kernels.alloc(4 * nnz),
      values: kernels.alloc(8 * nnz),
      attraction: kernels.alloc(8 * n * dims),
      repulsion: kernels.alloc(8 * n * dims),
      sorted: kernels.alloc(8 * n * dims),
      order: kernels.alloc(4 * n),
      groups: kernels.alloc(4 * n),
      slots: kernels.alloc(8 * 2 * this.shares),
      treeScratch: kernels.alloc(4 * (3 * n + 256)),
    };
    // SpaceTree's first guess: 2n cells and some; doubled whenever a tree needs more.
    this.grow(2 * n + 64);
    this.groups = new Int32Array(n);
    kernels.i32(this.ptr.rowStart, n + 1).set(p.rowStart);
    kernels.i32(this.ptr.columns, nnz).set(p.columns);
    kernels.f64(this.ptr.values, nnz).set(p.values);
  }

  /** Room for `capacity` nodes and the walks' node lists (the old room is left in the bump arena). */
  private grow(capacity: number): void {
    this.capacity = capacity;
    this.nodes = this.kernels.alloc(8 * (this.dims + 5) * capacity);
    this.scratch = this.kernels.alloc((STACK_BYTES + 8 * capacity) * this.shares);
  }

  /** The gradient at `y` into `grad`; returns the KL divergence (as {@link barnesHutGradient}) or NaN. */
  compute(y: Float64Array, grad: Float64Array, exaggeration: number, computeKl: boolean): number {
    const { kernels, n, dims, ptr, shares } = this;
    const stride = dims + 5;
    kernels.f64(ptr.y, n * dims).set(y);
    // The tree is built into the kernels' memory (`tsne-tree.ts`, SpaceTree's algorithm, same nodes).
    let size: number;
    for (;;) {
      size = kernels.exports.tsneTree(
        ptr.y,
        n,
        dims,
        LEAF_SIZE,
        this.nodes,
        this.capacity,
        ptr.sorted,
        ptr.order,
        ptr.treeScratch,
      );
      if (size >= 0) break;
      this.grow(2 * this.capacity);
    }
    const scratchBytes = STACK_BYTES + 8 * this.capacity;
    if (dims === 2) {
      const nodes = kernels.f64(this.nodes, size * stride);
      const count = groupCells(nodes, this.groups);
      kernels.i32(ptr.groups, count).set(this.groups.subarray(0, count));
      const ranges = splitGroups(nodes, this.groups, count, shares);
      kernels.run(
        'tsneRepulsive2',
        ranges.map(([from, to], s) => [
          this.nodes,
          ptr.sorted,
          ptr.order,
          ptr.groups,
          from,
          to,
          this.theta2,
          ptr.repulsion,
          this.scratch + s * scratchBytes,
          this.capacity,
          ptr.slots + 8 * s,
        ]),
      );
    } else {
      kernels.run(
        'tsneRepulsive3',
        splitRange(n, shares).map(([from, to], s) => [
          this.nodes,
          ptr.sorted,
          ptr.order,
          from,
          to,
          this.theta2,
          this.dof,
          ptr.repulsion,
          this.scratch + s * scratchBytes,
          ptr.slots + 8 * s,
        ]),
      );
    }
    let z = 0;
    for (const v of kernels.f64(ptr.slots, shares)) z += v;
    const invZ = 1 / z;
    kernels.run(
      'tsneAttractive',
      this.rowRanges.map(([from, to], s) => [
        ptr.y,
        dims,
        ptr.rowStart,
        ptr.columns,
        ptr.values,
        exaggeration,
        this.dof,
        from,
        to,
        ptr.attraction,
        invZ,
        computeKl ? 1 : 0,
        ptr.slots + 8 * (shares + s),
      ]),
    );
    const attraction = kernels.f64(ptr.attraction, n * dims);
    const repulsion = kernels.f64(ptr.repulsion, n * dims);
    const c = (2 * (this.dof + 1)) / this.dof;
    for (let e = 0; e < n * dims; e++) grad[e] = c * (attraction[e] - repulsion[e] * invZ);
    if (!computeKl) return Number.NaN;
    let kl = 0;
    for (const v of kernels.f64(ptr.slots + 8 * shares, this.rowRanges.length)) kl += v;
    return kl;
  }
}

/** The cells the grouped 2-D walk runs one walk for (≤ {@link GROUP_SIZE} points or leaves), in the order of `repulsiveGrouped2`. */
function groupCells(nodes: Float64Array, groups: Int32Array): number {
  const st = new Int32Array(STACK_SIZE);
  let count = 0;
  let top = 0;
  st[top++] = 0;
  while (top > 0) {
    const c = st[--top];
    const o = c * 7;
    const first = nodes[o + 4];
    if (first < 0 || nodes[o + 2] <= GROUP_SIZE) groups[count++] = c;
    else for (let k = first, end = first + nodes[o + 5]; k < end; k++) st[top++] = k;
  }
  return count;
}

/** Contiguous ranges of the group list with about equal numbers of points (fixed by the tree and `parts`). */
function splitGroups(
  nodes: Float64Array,
  groups: Int32Array,
  count: number,
  parts: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const total = nodes[2];
  let from = 0;
  let seen = 0;
  for (let s = 1; s <= parts; s++) {
    const goal = (total * s) / parts;
    let to = from;
    while (to < count && (s === parts || seen + nodes[groups[to] * 7 + 2] <= goal)) {
      seen += nodes[groups[to] * 7 + 2];
      to++;
    }
    out.push([from, to]);
    from = to;
  }
  return out;
}

/** Contiguous row ranges of a CSR matrix with about equal numbers of entries, one per part. */
function splitByWeight(rowStart: Int32Array, parts: number): Array<[number, number]> {
  const n = rowStart.length - 1;
  const total = rowStart[n];
  const out: Array<[number, number]> = [];
  let from = 0;
  for (let s = 1; s <= parts; s++) {
    let to = from;
    const goal = s === parts ? total : (total * s) / parts;
    while (to < n && rowStart[to + 1] <= goal) to++;
    if (s === parts) to = n;
    out.push([from, to]);
    from = to;
  }
  return out;
}
