/**
 * A quadtree (2-D) or octree (3-D) over the embedding for Barnes-Hut t-SNE (van der Maaten 2014,
 * "Accelerating t-SNE using tree-based algorithms", §4), rebuilt on every iteration without allocating.
 *
 * It is a *linear* tree: points are sorted by Morton (Z-curve) key inside the root cube, so every cell owns a
 * contiguous range of the sorted points, and the children of a cell are the runs of equal next key digit.
 * Cells with at most {@link SpaceTree.leafSize} points (or at the finest key level) are leaves whose points
 * are summed directly, from contiguous memory.
 *
 * Node `c` occupies `nodes[c*stride … c*stride + stride)` = `[centre of mass (dims values), count, width²,
 * first child (−1 for a leaf), number of children, first sorted point]`.
 */
export class SpaceTree {
  /** 2 (quadtree) or 3 (octree). */
  readonly dims: 2 | 3;
  /** Float64 values per node: dims + 5. */
  readonly stride: number;
  /** Most points a cell may hold before it is split. */
  readonly leafSize: number;
  /** Number of nodes in use. */
  size = 0;
  /** Node records, see the class comment. */
  nodes = new Float64Array(0);
  /** `order[t]` is the point at sorted position `t` (Morton order). */
  order = new Int32Array(0);
  /** Point coordinates in sorted order, `dims` per point. */
  sorted = new Float64Array(0);
  private bits: number;
  private keys = new Uint32Array(0);
  private scratchOrder = new Int32Array(0);
  private scratchKeys = new Uint32Array(0);
  private rootWidth2 = 0;

  /**
   * @param dims 2 for a quadtree, 3 for an octree.
   * @param options.leafSize most points a cell holds before it is split. @default 8
   */
  constructor(dims: 2 | 3, options: { leafSize?: number } = {}) {
    const { leafSize = 8 } = options;
    this.dims = dims;
    this.stride = dims + 5;
    this.leafSize = leafSize;
    this.bits = dims === 2 ? 16 : 10;
  }

  /** Rebuilds the tree over `n` points stored row-major in `y` (`dims` values per point). */
  build(y: Float64Array, n: number): void {
    const d = this.dims;
    const lo = new Float64Array(d).fill(Infinity);
    let side = 0;
    const hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const v = y[i * d + a];
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    }
    for (let a = 0; a < d; a++) side = Math.max(side, hi[a] - lo[a]);
    side = side * (1 + 1e-9) || 1;
    this.rootWidth2 = side * side;
    this.sortByMorton(y, n, lo, side);
    // At most 2n − 1 cells with ≥ 1 point each in a tree whose internal nodes have ≥ 2 children, plus chains
    // of single-child cells: bound by n · (levels + 1) but grow lazily.
    if (this.nodes.length < 2 * n * this.stride)
      this.nodes = new Float64Array(2 * n * this.stride + 64 * this.stride);
    this.size = 1;
    this.buildNode(0, 0, n, 0);
  }

  private ensure(nodes: number): void {
    if (nodes * this.stride <= this.nodes.length) return;
    const next = new Float64Array(Math.max(nodes, 2 * this.size) * this.stride);
    next.set(this.nodes);
    this.nodes = next;
  }

  /** Fills node `c` for sorted points `[start, end)` at key level `level`; children first, then the centre of mass. */
  private buildNode(c: number, start: number, end: number, level: number): void {
    const { dims: d, stride, keys, bits } = this;
    const count = end - start;
    let o = c * stride;
    this.nodes[o + d] = count;
    this.nodes[o + d + 1] = this.rootWidth2 / 4 ** level;
    this.nodes[o + d + 4] = start;
    if (count <= this.leafSize || level >= bits) {
      this.nodes[o + d + 2] = -1;
      this.nodes[o + d + 3] = 0;
      const s = this.sorted;
      for (let a = 0; a < d; a++) {
        let sum = 0;
        for (let t = start; t < end; t++) sum += s[t * d + a];
        this.nodes[o + a] = sum / count;
      }
      return;
    }
    const shift = (bits - 1 - level) * d;
    const mask = (1 << d) - 1;
    // Runs of equal digit are the non-empty children.
    let children = 1;
    for (let t = start + 1; t < end; t++)
      if (((keys[t] >>> shift) & mask) !== ((keys[t - 1] >>> shift) & mask)) children++;
    const first = this.size;
    this.ensure(first + children);
    this.size += children;
    let child = first;
    let runStart = start;
    for (let t = start + 1; t <= end; t++) {
      if (t === end || ((keys[t] >>> shift) & mask) !== ((keys[t - 1] >>> shift) & mask)) {
        this.buildNode(child++, runStart, t, level + 1);
        runStart = t;
      }
    }
    o = c * stride;
    const nodes = this.nodes;
    nodes[o + d + 2] = first;
    nodes[o + d + 3] = children;
    for (let a = 0; a < d; a++) {
      let sum = 0;
      for (let k = first; k < first + children; k++) sum += nodes[k * stride + a] * nodes[k * stride + d];
      nodes[o + a] = sum / count;
    }
  }

  /** Sorts points by Morton key inside the root cube (LSD radix sort, 8 bits per pass) and gathers them. */
  private sortByMorton(y: Float64Array, n: number, lo: Float64Array, side: number): void {
    const d = this.dims;
    const bits = this.bits;
    if (this.order.length !== n) {
      this.order = new Int32Array(n);
      this.scratchOrder = new Int32Array(n);
      this.keys = new Uint32Array(n);
      this.scratchKeys = new Uint32Array(n);
      this.sorted = new Float64Array(n * d);
    }
    const cells = 2 ** bits;
    const scale = cells / side;
    const { keys, order } = this;
    // Bit b of axis a's cell goes to key bit b·d + a (bits spread by masks, not one at a time).
    const spread = d === 2 ? spread2 : spread3;
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (let a = 0; a < d; a++) {
        const cell = Math.min(cells - 1, Math.floor((y[i * d + a] - lo[a]) * scale));
        key |= spread(cell) << a;
      }
      keys[i] = key >>> 0;
      order[i] = i;
    }
    let srcK = keys;
    let srcO = order;
    let dstK = this.scratchKeys;
    let dstO = this.scratchOrder;
    const counts = new Int32Array(256);
    for (let shift = 0; shift < bits * d; shift += 8) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(srcK[i] >>> shift) & 255]++;
      for (let s = 0, b = 0; b < 256; b++) {
        const c = counts[b];
        counts[b] = s;
        s += c;
      }
      for (let i = 0; i < n; i++) {
        const slot = counts[(srcK[i] >>> shift) & 255]++;
        dstK[slot] = srcK[i];
        dstO[slot] = srcO[i];
      }
      [srcK, dstK] = [dstK, srcK];
      [srcO, dstO] = [dstO, srcO];
    }
    // 4 passes (2-D, 32-bit keys) leave the result in keys/order; 3-D's 30-bit keys also take 4 passes.
    const sorted = this.sorted;
    for (let t = 0; t < n; t++) {
      const i = order[t];
      for (let a = 0; a < d; a++) sorted[t * d + a] = y[i * d + a];
    }
  }
}

/** The 16 low bits of `x` moved to the even bits (bit b to bit 2b). */
function spread2(x: number): number {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}

/** The 10 low bits of `x` moved to every third bit (bit b to bit 3b). */
function spread3(x: number): number {
  x = (x | (x << 16)) & 0x030000ff;
  x = (x | (x << 8)) & 0x0300f00f;
  x = (x | (x << 4)) & 0x030c30c3;
  return (x | (x << 2)) & 0x09249249;
}
