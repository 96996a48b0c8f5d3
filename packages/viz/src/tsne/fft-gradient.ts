import { splitRange, type VizKernels } from '../kernels/viz-kernels.js';
import { FFT_BLOCK, type FftWork, fftLength, fftLines, fftPlan, fftWork } from './fft.js';
import type { CsrMatrix } from './sparse-matrix.js';

/** The smallest normal float32, the floor (as Barnes-Hut's) under p and q inside the KL logarithm. */
const FLOAT32_TINY = 1.1754943508222875e-38;

/** Options of {@link fftGradient}: openTSNE's interpolation parameters, with its defaults. */
export interface FftOptions {
  /**
   * Interpolation nodes per box and dimension (openTSNE's `n_interpolation_points`, whose default is 3). Four
   * keep the gradient within the FFT-vs-exact bounds of the tests at openTSNE's box width, where three
   * would need 1.4 boxes per unit (the same FFT size) and are less accurate; the extra cost, 16 spreading
   * weights per point instead of 9, is small beside the FFT. @default 4
   */
  nodes?: number;
  /** Fewest boxes per dimension (openTSNE's `min_num_intervals`). @default 50 */
  minBoxes?: number;
  /** Boxes per unit of embedding range (openTSNE's `ints_in_interval` is its inverse). @default 1 */
  boxesPerUnit?: number;
}

/** Where the interpolation grid lies: a square from `lo` cut into `boxes × boxes` boxes of `nodes²` nodes. */
export interface GridGeometry {
  /** Lower corner (both coordinates). */
  lo: number;
  /** Boxes per dimension. */
  boxes: number;
  /** Box side. */
  boxWidth: number;
  /** Nodes per dimension (`boxes × nodes`). */
  grid: number;
  /** Side of the zero-padded circulant FFT (even, 2^a · 3^b · 5^c, at least `2 × grid`). */
  m: number;
}

/**
 * The four potentials of a fixed set of sources at every node of a grid (openTSNE's
 * `prepare_interpolation_grid`): `values[4 (row · grid + column) + c]` for the charges `c` = 1, y_x, y_y,
 * |y|². {@link interpolatePotentials} reads them at any point of the square.
 */
export interface PotentialGrid {
  /** Where the nodes are. */
  geometry: GridGeometry;
  /** Interpolation nodes per box and dimension. */
  nodes: number;
  /** `grid × grid × 4` potentials, row-major by node. */
  values: Float64Array;
}

/**
 * Reusable state of the FFT interpolation (FIt-SNE): buffers sized to the largest grid seen — nothing is
 * allocated per step once they have grown — and the kernel's spectrum, kept while the FFT size and node
 * spacing stay the same: in a fixed map (`tsneTransform`), and in a moving map once it spans more than
 * `minBoxes / boxesPerUnit` (the spacing is then fixed, and the FFT size changes only every few steps).
 */
export class FftRepulsion {
  /** Interpolation nodes per box and dimension. */
  readonly nodes: number;
  /** Fewest boxes per dimension. */
  readonly minBoxes: number;
  /** Boxes per unit of range. */
  readonly boxesPerUnit: number;
  private readonly t: Float64Array;
  private readonly denominators: Float64Array;
  private kernel = new Float64Array(0);
  private kernelM = 0;
  private kernelSpacing = Number.NaN;
  private re = new Float64Array(0);
  private im = new Float64Array(0);
  private work: FftWork = fftWork(0);
  private readonly kernels: VizKernels | null;
  private at: KernelArrays | null = null;
  private pAt: AttractionArrays | null = null;
  private forces = new Float64Array(0);
  private order = new Int32Array(0);
  private rowCounts = new Int32Array(0);
  private values = new Float64Array(0);
  private srcBox = new Int32Array(0);
  private srcW = new Float64Array(0);
  private dstBox = new Int32Array(0);
  private dstW = new Float64Array(0);
  private out = new Float64Array(0);

  /**
   * @param options interpolation parameters.
   * @param kernels where the FFT passes run (WebAssembly SIMD, on its threads), or `null` for JavaScript;
   *   the same numbers either way. Its memory holds this object's grid: do not `reset()` it while this
   *   object is in use.
   */
  constructor(options: FftOptions = {}, kernels: VizKernels | null = null) {
    this.kernels = kernels;
    this.nodes = options.nodes ?? 4;
    this.minBoxes = options.minBoxes ?? 50;
    this.boxesPerUnit = options.boxesPerUnit ?? 1;
    const p = this.nodes;
    // Nodes at (k + 0.5) / p of each box; Lagrange denominators Π_{m≠k} (t_k − t_m).
    this.t = Float64Array.from({ length: p }, (_, k) => (k + 0.5) / p);
    this.denominators = Float64Array.from({ length: p }, (_, k) => {
      let d = 1;
      for (let j = 0; j < p; j++) if (j !== k) d *= this.t[k] - this.t[j];
      return d;
    });
  }

  /**
   * The grid over `[lo, hi]²` (openTSNE's rule, with FFT sizes 2^a · 3^b · 5^c): at least `minBoxes` boxes and
   * at least `range · boxesPerUnit`. While `minBoxes` decides, the boxes shrink with the range (width `range
   * / boxes`); past it their width is exactly `1 / boxesPerUnit` and the grid grows one box at a time, so the
   * node spacing — hence the kernel's spectrum, for a given FFT size — stays the same from step to step.
   */
  geometry(lo: number, hi: number): GridGeometry {
    const p = this.nodes;
    // A little slack so the largest coordinate falls inside the last box.
    const range = Math.max(hi - lo, 1e-12) * (1 + 1e-9);
    const wide = range * this.boxesPerUnit > this.minBoxes;
    const fewest = wide ? Math.ceil(range * this.boxesPerUnit) : this.minBoxes;
    // Zero-padded circulant size: every node offset in (−grid, grid) gets its own slot; the few percent of
    // padding up to an even 2^a · 3^b · 5^c size become extra boxes (narrower ones while minBoxes decides).
    // Even, so the kernel's rows and columns pair up (see kernelSpectrum).
    const m = 2 * fftLength(fewest * p);
    const boxes = Math.max(1, Math.floor(m / (2 * p)));
    const boxWidth = wide ? 1 / this.boxesPerUnit : range / boxes;
    return { lo, boxes, boxWidth, grid: boxes * p, m };
  }

  /**
   * For each of the `nt` targets, the sums over the `ns` sources of `q̃² = (1 + |t − s|²)⁻²` times the
   * sources' charges `1, s_x, s_y, |s|²`, into `out` (`nt × 4`; by default a buffer of this object, valid
   * until its next call).
   */
  potentials(
    sources: Float64Array,
    ns: number,
    targets: Float64Array,
    nt: number,
    out?: Float64Array,
  ): Float64Array {
    let lo = Infinity;
    let hi = -Infinity;
    for (let e = 0; e < 2 * ns; e++) {
      const v = sources[e];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (targets !== sources)
      for (let e = 0; e < 2 * nt; e++) {
        const v = targets[e];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    const g = this.geometry(lo, hi);
    this.nodePotentials(sources, ns, g);
    const result = out ?? this.buffer(4 * nt);
    const same = targets === sources;
    if (!same) {
      if (this.dstBox.length < 2 * nt) {
        this.dstBox = new Int32Array(2 * nt);
        this.dstW = new Float64Array(2 * nt * this.nodes);
      }
      this.locate(targets, nt, g, this.dstBox, this.dstW);
    }
    gather(
      this.values,
      g.grid,
      this.nodes,
      same ? this.srcBox : this.dstBox,
      same ? this.srcW : this.dstW,
      nt,
      result,
    );
    return result;
  }

  /** The four potentials of `sources` at every node of the grid over `[lo, hi]²` (a fresh copy the caller keeps). */
  grid(sources: Float64Array, ns: number, lo: number, hi: number): PotentialGrid {
    const geometry = this.geometry(lo, hi);
    this.nodePotentials(sources, ns, geometry);
    return {
      geometry,
      nodes: this.nodes,
      values: this.values.slice(0, 4 * geometry.grid * geometry.grid),
    };
  }

  /**
   * {@link interpolatePotentials} with this object's buffers (nothing allocated once they have grown): the
   * potentials of `grid` at `n` points inside its square, into `out` (`n × 4`).
   */
  interpolate(grid: PotentialGrid, points: Float64Array, n: number, out: Float64Array): Float64Array {
    if (grid.nodes !== this.nodes)
      throw new RangeError(`grid of ${grid.nodes} nodes per box read with ${this.nodes} per box`);
    if (this.dstBox.length < 2 * n) {
      this.dstBox = new Int32Array(2 * n);
      this.dstW = new Float64Array(2 * n * this.nodes);
    }
    this.locate(points, n, grid.geometry, this.dstBox, this.dstW);
    gather(grid.values, grid.geometry.grid, this.nodes, this.dstBox, this.dstW, n, out);
    return out;
  }

  /**
   * The attractive forces `Σ_j e·p_ij·q̃_ij (y_i − y_j)` (`n × 2`, a buffer of this object valid until the
   * next call) and, when `computeKl`, the KL divergence `Σ e·p_ij log(max(e·p_ij, tiny) / max(q̃_ij / Z,
   * tiny))` (else 0): on the kernels' threads (rows split evenly, partials summed in order) when this
   * object has kernels, else in JavaScript: the same sums, but the kernel adds two 2-D edges per f64x2
   * pair, so the forces agree to rounding, not bit for bit.
   */
  attraction(
    y: Float64Array,
    p: CsrMatrix,
    exaggeration: number,
    computeKl: boolean,
    invZ: number,
  ): { forces: Float64Array; kl: number } {
    const n = p.rows;
    const k = this.kernels;
    if (!k) {
      if (this.forces.length < 2 * n) this.forces = new Float64Array(2 * n);
      const forces = this.forces;
      const { rowStart, columns, values } = p;
      let kl = 0;
      for (let i = 0; i < n; i++) {
        const yx = y[2 * i];
        const yy = y[2 * i + 1];
        let f0 = 0;
        let f1 = 0;
        const end = rowStart[i + 1];
        for (let e = rowStart[i]; e < end; e++) {
          const j = columns[e];
          const d0 = yx - y[2 * j];
          const d1 = yy - y[2 * j + 1];
          // As the kernel tsneAttractive (assembly/tsne-attractive.ts), operation for operation.
          const q = 1 / (1 + (d0 * d0 + d1 * d1));
          const pij = values[e] * exaggeration;
          const w = pij * q;
          f0 += w * d0;
          f1 += w * d1;
          if (computeKl) kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q * invZ, FLOAT32_TINY));
        }
        forces[2 * i] = f0;
        forces[2 * i + 1] = f1;
      }
      return { forces: forces.subarray(0, 2 * n), kl };
    }
    let at = this.pAt;
    if (!at || at.p !== p) {
      at = {
        p,
        y: k.alloc(16 * n),
        rowStart: k.alloc(4 * (n + 1)),
        columns: k.alloc(4 * p.columns.length),
        values: k.alloc(8 * p.values.length),
        out: k.alloc(16 * n),
        slots: k.alloc(8 * k.threads),
      };
      k.i32(at.rowStart, n + 1).set(p.rowStart);
      k.i32(at.columns, p.columns.length).set(p.columns);
      k.f64(at.values, p.values.length).set(p.values);
      this.pAt = at;
    }
    const ptr = at;
    k.f64(ptr.y, 2 * n).set(y.subarray(0, 2 * n));
    const shares = splitRange(n, k.threads);
    k.run(
      'tsneAttractive',
      shares.map(([from, to], s) => [
        ptr.y,
        2,
        ptr.rowStart,
        ptr.columns,
        ptr.values,
        exaggeration,
        1,
        from,
        to,
        ptr.out,
        invZ,
        computeKl ? 1 : 0,
        ptr.slots + 8 * s,
      ]),
    );
    let kl = 0;
    for (const v of k.f64(ptr.slots, shares.length)) kl += v;
    return { forces: k.f64(ptr.out, 2 * n), kl };
  }

  private buffer(size: number): Float64Array {
    if (this.out.length !== size) this.out = new Float64Array(size);
    return this.out;
  }

  /** Box (as its first node index) and Lagrange weights of each coordinate of `n` points. */
  locate(points: Float64Array, n: number, g: GridGeometry, box: Int32Array, weights: Float64Array): void {
    locatePoints(points, n, g, this.nodes, this.t, this.denominators, box, weights);
  }

  /** Fills `values` with the potentials of the sources at the grid nodes: spread, convolve, done. */
  private nodePotentials(sources: Float64Array, ns: number, g: GridGeometry): void {
    const p = this.nodes;
    const { m, grid } = g;
    if (this.srcBox.length < 2 * ns) {
      this.srcBox = new Int32Array(2 * ns);
      this.srcW = new Float64Array(2 * ns * p);
    }
    if (this.values.length < 4 * grid * grid) this.values = new Float64Array(4 * grid * grid);
    this.reserve(g);
    const { values, srcBox: box, srcW: w } = this;
    this.locate(sources, ns, g, box, w);
    this.kernelSpectrum(g);
    // After reserve and kernelSpectrum (which may grow the kernels' memory): views stay valid to the end.
    const { re, im } = this.views(g);
    const scale = 1 / (m * m);
    const order = this.byRow(ns, g.boxes);
    // Two real charges per complex transform (one in the real part, one in the imaginary part): the kernel
    // is even, so its spectrum is real and the two convolutions come back separated.
    for (let pair = 0; pair < 2; pair++) {
      for (let r = 0; r < grid; r++) {
        re.fill(0, r * m, r * m + grid);
        im.fill(0, r * m, r * m + grid);
      }
      for (let o = 0; o < ns; o++) {
        const i = order[o];
        const yx = sources[2 * i];
        const yy = sources[2 * i + 1];
        const ca = pair === 0 ? 1 : yy;
        const cb = pair === 0 ? yx : yx * yx + yy * yy;
        const gx0 = box[2 * i];
        const gy0 = box[2 * i + 1];
        const wx = 2 * i * p;
        const wy = wx + p;
        for (let ky = 0; ky < p; ky++) {
          const row = (gy0 + ky) * m + gx0;
          const wya = w[wy + ky] * ca;
          const wyb = w[wy + ky] * cb;
          for (let kx = 0; kx < p; kx++) {
            const wk = w[wx + kx];
            re[row + kx] += wk * wya;
            im[row + kx] += wk * wyb;
          }
        }
      }
      // Charges sit in the first `grid` rows and columns of the grid × m array; potentials are read from the
      // same corner. So the row pass transforms only those rows (zero padding added in the block buffers),
      // the column pass (forward, kernel, inverse) runs on all m columns but reads and writes only the first
      // `grid` rows, and the inverse row pass writes back only the first `grid` entries of each row.
      this.lines(false, m, 1, grid, grid, m, m, 0);
      this.lines(false, 1, m, m, grid, grid, m, 2);
      this.lines(false, m, 1, grid, m, grid, m, 1);
      const a = 2 * pair;
      for (let r = 0; r < grid; r++) {
        const from = r * m;
        const to = 4 * r * grid + a;
        for (let c = 0; c < grid; c++) {
          values[to + 4 * c] = re[from + c] * scale;
          values[to + 4 * c + 1] = im[from + c] * scale;
        }
      }
    }
  }

  /**
   * The sources in order of their box row (a stable counting sort of the located boxes): spreading them in
   * that order writes the grid a few rows at a time, in cache, where the map's order scatters the writes
   * over the whole grid.
   */
  private byRow(ns: number, boxes: number): Int32Array {
    const p = this.nodes;
    const box = this.srcBox;
    if (this.order.length < ns) this.order = new Int32Array(ns);
    if (this.rowCounts.length < boxes + 1) this.rowCounts = new Int32Array(boxes + 1);
    const { order } = this;
    const counts = this.rowCounts.fill(0, 0, boxes + 1);
    for (let i = 0; i < ns; i++) counts[((box[2 * i + 1] / p) | 0) + 1]++;
    for (let b = 0; b < boxes; b++) counts[b + 1] += counts[b];
    for (let i = 0; i < ns; i++) order[counts[(box[2 * i + 1] / p) | 0]++] = i;
    return order;
  }

  /**
   * {@link fftLines} over `lines` lines of the grid (`ofKernel` false) or of the kernel array (true, its
   * imaginary parts `imOffset` elements after its real parts, in the same array): on the
   * kernels' threads, whole blocks per thread, when this object has kernels; else in JavaScript. Both give
   * the same numbers.
   */
  private lines(
    ofKernel: boolean,
    lineStride: number,
    elemStride: number,
    lines: number,
    nIn: number,
    nOut: number,
    m: number,
    mode: 0 | 1 | 2,
    imOffset = 0,
  ): void {
    const k = this.kernels;
    const at = this.at;
    if (k && at) {
      const shares = splitRange(Math.ceil(lines / FFT_BLOCK), k.threads);
      k.run(
        'fftLines',
        shares.map(([from, to], s) => [
          ofKernel ? at.kernel : at.re,
          ofKernel ? at.kernel + 8 * imOffset : at.im,
          lineStride,
          elemStride,
          from * FFT_BLOCK,
          Math.min(lines, to * FFT_BLOCK),
          nIn,
          nOut,
          m,
          mode,
          at.kernel,
          at.cos,
          at.sin,
          at.work[s],
        ]),
      );
    } else
      fftLines(
        ofKernel ? this.kernel : this.re,
        ofKernel ? this.kernel.subarray(imOffset) : this.im,
        lineStride,
        elemStride,
        0,
        lines,
        nIn,
        nOut,
        m,
        mode,
        this.kernel,
        this.work,
      );
  }

  /**
   * Grows the grid, kernel and block buffers to geometry `g` (never shrinks them): JavaScript arrays, or
   * allocations in the kernels' memory (half as much again as asked, so a growing map reallocates rarely;
   * the arena never frees, and each capacity being 1.5× the last, all of them sum to at most 3× the last)
   * with the twiddles of the FFT size copied in.
   */
  private reserve(g: GridGeometry): void {
    const { m, grid } = g;
    const k = this.kernels;
    if (!k) {
      if (this.re.length < grid * m) {
        this.re = new Float64Array(grid * m);
        this.im = new Float64Array(grid * m);
      }
      if (this.kernel.length < m * m) {
        this.kernel = new Float64Array(m * m);
      }
      if (this.work.sr.length < FFT_BLOCK * m) this.work = fftWork(m);
      return;
    }
    const at = this.at ?? {
      re: 0,
      im: 0,
      grid: 0,
      kernel: 0,
      square: 0,
      cos: 0,
      sin: 0,
      twiddles: 0,
      twiddleM: 0,
      work: [],
      workM: 0,
    };
    this.at = at;
    const more = (v: number) => Math.ceil(v * 1.5);
    if (at.grid < grid * m) {
      at.grid = more(grid * m);
      at.re = k.alloc(8 * at.grid);
      at.im = k.alloc(8 * at.grid);
    }
    if (at.square < m * m) {
      at.square = more(m * m);
      at.kernel = k.alloc(8 * at.square);
      // A new kernel array: the spectrum must be computed again.
      this.kernelM = 0;
    }
    if (at.workM < m || at.work.length < k.threads) {
      at.workM = more(m);
      at.work = Array.from({ length: k.threads }, () => k.alloc(8 * 4 * FFT_BLOCK * at.workM));
    }
    if (at.twiddleM !== m) {
      const plan = fftPlan(m);
      if (at.twiddles < plan.cos.length) {
        at.twiddles = more(plan.cos.length);
        at.cos = k.alloc(8 * at.twiddles);
        at.sin = k.alloc(8 * at.twiddles);
      }
      k.f64(at.cos, plan.cos.length).set(plan.cos);
      k.f64(at.sin, plan.sin.length).set(plan.sin);
      at.twiddleM = m;
    }
  }

  /** The grid arrays (fresh views of the kernels' memory, or this object's arrays). */
  private views(g: GridGeometry): {
    re: Float64Array;
    im: Float64Array;
    kernel: Float64Array;
  } {
    const k = this.kernels;
    const at = this.at;
    if (!k || !at) return { re: this.re, im: this.im, kernel: this.kernel };
    const { m, grid } = g;
    return {
      re: k.f64(at.re, grid * m),
      im: k.f64(at.im, grid * m),
      kernel: k.f64(at.kernel, m * m),
    };
  }

  /** Spectrum of the kernel q̃² at node offsets, laid out circulantly (real: the kernel is even), if stale. */
  private kernelSpectrum(g: GridGeometry): void {
    const { m } = g;
    const spacing = g.boxWidth / this.nodes;
    if (this.kernelM === m && this.kernelSpacing === spacing) return;
    const { kernel } = this.views(g);
    // Every offset up to m / 2 in each direction (the slots of larger offsets are never read).
    for (let r = 0; r < m; r++) {
      const dy = (r <= m / 2 ? r : r - m) * spacing;
      for (let c = 0; c < m; c++) {
        const dx = (c <= m / 2 ? c : c - m) * spacing;
        const q = 1 / (1 + dx * dx + dy * dy);
        kernel[r * m + c] = q * q;
      }
    }
    // Every row is real and even (offsets c and m − c are the same distance), so its DFT is real: rows
    // 2ℓ and 2ℓ + 1 go through one complex transform as its real and imaginary parts and come back
    // separated, in place. The transformed columns are real and even too (rows r and m − r are equal):
    // columns pair up the same way. m is even (geometry), so every row and column has its partner.
    this.lines(true, 2 * m, 1, m / 2, m, m, m, 0, m);
    this.lines(true, 2, m, m / 2, m, m, m, 0, 1);
    this.kernelM = m;
    this.kernelSpacing = spacing;
  }
}

/** Byte offsets of P, the layout, the forces and the KL partials in the kernels' memory (for one P). */
interface AttractionArrays {
  p: CsrMatrix;
  y: number;
  rowStart: number;
  columns: number;
  values: number;
  out: number;
  slots: number;
}

/** Byte offsets of FftRepulsion's arrays in the kernels' memory, and their capacities (f64 counts). */
interface KernelArrays {
  re: number;
  im: number;
  grid: number;
  kernel: number;
  square: number;
  cos: number;
  sin: number;
  twiddles: number;
  twiddleM: number;
  work: number[];
  workM: number;
}

function locatePoints(
  points: Float64Array,
  n: number,
  g: GridGeometry,
  p: number,
  t: Float64Array,
  denominators: Float64Array,
  box: Int32Array,
  weights: Float64Array,
): void {
  const { lo, boxWidth, boxes } = g;
  const inv = 1 / boxWidth;
  for (let e = 0; e < 2 * n; e++) {
    const u = (points[e] - lo) * inv;
    const b = Math.min(boxes - 1, Math.max(0, Math.floor(u)));
    const f = u - b;
    box[e] = b * p;
    for (let k = 0; k < p; k++) {
      let wk = 1;
      for (let j = 0; j < p; j++) if (j !== k) wk *= f - t[j];
      weights[e * p + k] = wk / denominators[k];
    }
  }
}

/** Interpolates the node values (4 per node) at located points into `out` (n × 4). */
function gather(
  values: Float64Array,
  grid: number,
  p: number,
  box: Int32Array,
  w: Float64Array,
  n: number,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const gx0 = box[2 * i];
    const gy0 = box[2 * i + 1];
    const wx = 2 * i * p;
    const wy = wx + p;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let ky = 0; ky < p; ky++) {
      const wyk = w[wy + ky];
      const row = 4 * ((gy0 + ky) * grid + gx0);
      for (let kx = 0; kx < p; kx++) {
        const wk = wyk * w[wx + kx];
        const v = row + 4 * kx;
        s0 += wk * values[v];
        s1 += wk * values[v + 1];
        s2 += wk * values[v + 2];
        s3 += wk * values[v + 3];
      }
    }
    out[4 * i] = s0;
    out[4 * i + 1] = s1;
    out[4 * i + 2] = s2;
    out[4 * i + 3] = s3;
  }
}

/**
 * The potentials of a {@link PotentialGrid} at `n` points inside its square, into `out` (`n × 4`; a new
 * array by default): each from the `nodes²` nodes of its box by Lagrange interpolation.
 */
export function interpolatePotentials(
  grid: PotentialGrid,
  points: Float64Array,
  n: number,
  out = new Float64Array(4 * n),
): Float64Array {
  return new FftRepulsion({ nodes: grid.nodes }).interpolate(grid, points, n, out);
}

/**
 * FFT-accelerated interpolation t-SNE gradient in 2-D (FIt-SNE: Linderman, Rachh, Hoskins, Steinerberger &
 * Kluger, Nature Methods 2019; as openTSNE's `negative_gradient_method="fft"`). The gradient is
 * `dC/dy_i = 4 (Σ_j p_ij q̃_ij (y_i − y_j) − (y_i φ_i − ψ_i) / Z)` with `q̃ = (1 + d²)⁻¹`,
 * `φ_i = Σ_j q̃_ij²`, `ψ_i = Σ_j q̃_ij² y_j` and `Z = Σ_{i≠j} q̃_ij = Σ_i [(1 + |y_i|²) φ_i − 2 y_i·ψ_i + χ_i] − n`,
 * `χ_i = Σ_j q̃_ij² |y_j|²` (since `q̃ = q̃² (1 + d²)`). The four potentials of the kernel `q̃²` with charges
 * `1, y_x, y_y, |y|²` are computed on a regular grid: the square around the points is cut into boxes, each
 * with `nodes × nodes` equispaced nodes; charges are spread to the nodes by Lagrange interpolation, the
 * node-to-node sums are one circulant convolution (zero-padded 2-D FFT), and potentials are interpolated
 * back. Cost per step: O(n · nodes²) plus an FFT of the grid — linear in n.
 *
 * Pass an {@link FftRepulsion} as `options` to reuse its buffers and kernel across steps (as `tsne` does).
 * Writes the gradient into `grad` and returns the KL divergence (with the exaggerated P during early
 * exaggeration, as Barnes-Hut's), or `NaN` when `computeKl` is false.
 */
export function fftGradient(
  y: Float64Array,
  p: CsrMatrix,
  exaggeration: number,
  grad: Float64Array,
  computeKl: boolean,
  options: FftOptions | FftRepulsion = {},
): number {
  const n = p.rows;
  const work = options instanceof FftRepulsion ? options : new FftRepulsion(options);
  const potentials = work.potentials(y, n, y, n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const yx = y[2 * i];
    const yy = y[2 * i + 1];
    z +=
      (1 + yx * yx + yy * yy) * potentials[4 * i] -
      2 * (yx * potentials[4 * i + 1] + yy * potentials[4 * i + 2]) +
      potentials[4 * i + 3];
  }
  // Each point's own term: q̃(0)² (1 + 0) = 1.
  z -= n;
  const invZ = 1 / z;
  const attraction = work.attraction(y, p, exaggeration, computeKl, invZ);
  for (let i = 0; i < n; i++) {
    const phi = potentials[4 * i];
    grad[2 * i] = 4 * (attraction.forces[2 * i] - (y[2 * i] * phi - potentials[4 * i + 1]) * invZ);
    grad[2 * i + 1] =
      4 * (attraction.forces[2 * i + 1] - (y[2 * i + 1] * phi - potentials[4 * i + 2]) * invZ);
  }
  const kl = attraction.kl;
  return computeKl ? kl : Number.NaN;
}

/**
 * For every point i, the sums over all points j (self included) of `q̃_ij²` times the charges
 * `1, y_j,x, y_j,y, |y_j|²`, by polynomial interpolation on a grid and one FFT convolution: `n × 4`.
 */
export function repulsivePotentials(y: Float64Array, n: number, options: FftOptions = {}): Float64Array {
  return new FftRepulsion(options).potentials(y, n, y, n);
}

/**
 * {@link repulsivePotentials} with separate point sets: for each of the `nt` `targets`, the sums over the
 * `ns` `sources` of `q̃²` times the sources' charges `1, y_x, y_y, |y|²`. `nt × 4`.
 */
export function potentialsAt(
  sources: Float64Array,
  ns: number,
  targets: Float64Array,
  nt: number,
  options: FftOptions = {},
): Float64Array {
  return new FftRepulsion(options).potentials(sources, ns, targets, nt);
}
