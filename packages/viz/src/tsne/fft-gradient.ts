import { fft2 } from './fft.js';
import type { CsrMatrix } from './sparse-matrix.js';

/** The smallest normal float32, the floor (as Barnes-Hut's) under p and q inside the KL logarithm. */
const FLOAT32_TINY = 1.1754943508222875e-38;

/** Options of {@link fftGradient}: openTSNE's interpolation parameters, with its defaults. */
export interface FftOptions {
  /** Interpolation nodes per box and dimension (openTSNE's `n_interpolation_points`). @default 3 */
  nodes?: number;
  /** Fewest boxes per dimension (openTSNE's `min_num_intervals`). @default 50 */
  minBoxes?: number;
  /** Boxes per unit of embedding range (openTSNE's `ints_in_interval` is its inverse). @default 1 */
  boxesPerUnit?: number;
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
 * Writes the gradient into `grad` and returns the KL divergence (with the exaggerated P during early
 * exaggeration, as Barnes-Hut's), or `NaN` when `computeKl` is false.
 */
export function fftGradient(
  y: Float64Array,
  p: CsrMatrix,
  exaggeration: number,
  grad: Float64Array,
  computeKl: boolean,
  options: FftOptions = {},
): number {
  const n = p.rows;
  const potentials = repulsivePotentials(y, n, options);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const [phi, psiX, psiY, chi] = [
      potentials[4 * i],
      potentials[4 * i + 1],
      potentials[4 * i + 2],
      potentials[4 * i + 3],
    ];
    const yx = y[2 * i];
    const yy = y[2 * i + 1];
    z += (1 + yx * yx + yy * yy) * phi - 2 * (yx * psiX + yy * psiY) + chi;
  }
  // Each point's own term: q̃(0)² (1 + 0) = 1.
  z -= n;
  const invZ = 1 / z;
  const { rowStart, columns, values } = p;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const yx = y[2 * i];
    const yy = y[2 * i + 1];
    let f0 = 0;
    let f1 = 0;
    for (let e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
      const j = columns[e];
      const d0 = yx - y[2 * j];
      const d1 = yy - y[2 * j + 1];
      const q = 1 / (1 + d0 * d0 + d1 * d1);
      const pij = values[e] * exaggeration;
      const w = pij * q;
      f0 += w * d0;
      f1 += w * d1;
      if (computeKl) kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q * invZ, FLOAT32_TINY));
    }
    const phi = potentials[4 * i];
    grad[2 * i] = 4 * (f0 - (yx * phi - potentials[4 * i + 1]) * invZ);
    grad[2 * i + 1] = 4 * (f1 - (yy * phi - potentials[4 * i + 2]) * invZ);
  }
  return computeKl ? kl : Number.NaN;
}

/**
 * For every point i, the sums over all points j (self included) of `q̃_ij²` times the charges
 * `1, y_j,x, y_j,y, |y_j|²`, by polynomial interpolation on a grid and one FFT convolution: `n × 4`.
 */
export function repulsivePotentials(y: Float64Array, n: number, options: FftOptions = {}): Float64Array {
  return potentialsAt(y, n, y, n, options);
}

/**
 * {@link repulsivePotentials} with separate point sets: for each of the `nt` `targets`, the sums over the
 * `ns` `sources` of `q̃²` times the sources' charges `1, y_x, y_y, |y|²` (`transform` places new points
 * against a fixed map this way). `nt × 4`.
 */
export function potentialsAt(
  sources: Float64Array,
  ns: number,
  targets: Float64Array,
  nt: number,
  options: FftOptions = {},
): Float64Array {
  const p = options.nodes ?? 3;
  const minBoxes = options.minBoxes ?? 50;
  const perUnit = options.boxesPerUnit ?? 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (let e = 0; e < 2 * ns; e++) {
    lo = Math.min(lo, sources[e]);
    hi = Math.max(hi, sources[e]);
  }
  for (let e = 0; e < 2 * nt; e++) {
    lo = Math.min(lo, targets[e]);
    hi = Math.max(hi, targets[e]);
  }
  // A little slack so the largest coordinate falls inside the last box.
  const range = Math.max(hi - lo, 1e-12) * (1 + 1e-9);
  const fewest = Math.max(minBoxes, Math.ceil(range * perUnit));
  // Zero-padded circulant size (a power of two): every node offset in (−grid, grid) gets its own slot. The
  // padding up to the power of two is spent on more, narrower boxes — more accuracy at the same FFT cost.
  let m = 1;
  while (m < 2 * fewest * p) m <<= 1;
  const boxes = Math.max(fewest, Math.floor(m / (2 * p)));
  const boxWidth = range / boxes;
  const grid = boxes * p; // nodes per dimension
  const spacing = boxWidth / p;
  const mm = m * m;

  // Kernel q̃² at node offsets, laid out circulantly, and its spectrum.
  const kRe = new Float64Array(mm);
  const kIm = new Float64Array(mm);
  for (let dy = -(grid - 1); dy < grid; dy++) {
    const row = ((dy + m) % m) * m;
    for (let dx = -(grid - 1); dx < grid; dx++) {
      const r2 = (dx * dx + dy * dy) * spacing * spacing;
      const q = 1 / (1 + r2);
      kRe[row + ((dx + m) % m)] = q * q;
    }
  }
  fft2(kRe, kIm, m);
  // The kernel is even in both offsets, so its spectrum is real (kIm is rounding noise): drop it.

  // Lagrange weights of each point at the nodes of its box (nodes at (k + 0.5) / p of the box).
  const t = Array.from({ length: p }, (_, k) => (k + 0.5) / p);
  const denominators = t.map((tk, k) =>
    t.reduce((acc, tm, mIndex) => (mIndex === k ? acc : acc * (tk - tm)), 1),
  );
  const interpolation = (y: Float64Array, n: number) => {
    const box = new Int32Array(2 * n);
    const weights = new Float64Array(2 * n * p);
    for (let e = 0; e < 2 * n; e++) {
      const u = (y[e] - lo) / boxWidth;
      const b = Math.min(boxes - 1, Math.max(0, Math.floor(u)));
      const f = u - b;
      box[e] = b;
      for (let k = 0; k < p; k++) {
        let w = 1;
        for (let mIndex = 0; mIndex < p; mIndex++) if (mIndex !== k) w *= f - t[mIndex];
        weights[e * p + k] = w / denominators[k];
      }
    }
    return { box, weights };
  };
  const src = interpolation(sources, ns);
  const dst = targets === sources ? src : interpolation(targets, nt);

  const out = new Float64Array(4 * nt);
  const re = new Float64Array(mm);
  const im = new Float64Array(mm);
  const charge = (c: number, i: number) => {
    const yx = sources[2 * i];
    const yy = sources[2 * i + 1];
    return c === 0 ? 1 : c === 1 ? yx : c === 2 ? yy : yx * yx + yy * yy;
  };
  // Two real charges per complex transform (one in the real part, one in the imaginary part): the kernel
  // is even, so its spectrum is real and the two convolutions come back separated.
  for (const [a, b] of [
    [0, 1],
    [2, 3],
  ]) {
    re.fill(0);
    im.fill(0);
    const { box, weights } = src;
    for (let i = 0; i < ns; i++) {
      const ca = charge(a, i);
      const cb = charge(b, i);
      const gx0 = box[2 * i] * p;
      const gy0 = box[2 * i + 1] * p;
      for (let ky = 0; ky < p; ky++) {
        const wy = weights[(2 * i + 1) * p + ky];
        const row = (gy0 + ky) * m + gx0;
        for (let kx = 0; kx < p; kx++) {
          const w = wy * weights[2 * i * p + kx];
          re[row + kx] += w * ca;
          im[row + kx] += w * cb;
        }
      }
    }
    // Charges sit in the first `grid` rows; potentials are read from the first `grid` columns.
    fft2(re, im, m, false, grid, m);
    for (let e = 0; e < mm; e++) {
      re[e] *= kRe[e];
      im[e] *= kRe[e];
    }
    fft2(re, im, m, true, m, grid);
    const scale = 1 / mm;
    for (let i = 0; i < nt; i++) {
      const gx0 = dst.box[2 * i] * p;
      const gy0 = dst.box[2 * i + 1] * p;
      let sa = 0;
      let sb = 0;
      for (let ky = 0; ky < p; ky++) {
        const wy = dst.weights[(2 * i + 1) * p + ky];
        const row = (gy0 + ky) * m + gx0;
        for (let kx = 0; kx < p; kx++) {
          const w = wy * dst.weights[2 * i * p + kx];
          sa += w * re[row + kx];
          sb += w * im[row + kx];
        }
      }
      out[4 * i + a] = sa * scale;
      out[4 * i + b] = sb * scale;
    }
  }
  return out;
}
