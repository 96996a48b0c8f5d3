/**
 * Factorisation and twiddle factors of one FFT length `n = 4^a · 2^b · 3^c · 5^d` (b ≤ 1), computed once:
 * the radices in the order the stages run, and for each stage of radix R after `l` points' worth of
 * earlier stages the factors `exp(−2πi · r · j / (l R))` for `j < l`, `1 ≤ r < R`, at `(offset + j (R − 1) +
 * r − 1)` in `cos` / `sin` (`offsets[s]` for stage s).
 */
export interface FftPlan {
  /** Transform length. */
  n: number;
  /** Radix of each stage (4, 2, 3 or 5), first stage first. */
  radices: Int32Array;
  /** Start of each stage's twiddles in `cos` / `sin`. */
  offsets: Int32Array;
  /** Real parts of the forward twiddles. */
  cos: Float64Array;
  /** Imaginary parts of the forward twiddles (negated for the inverse). */
  sin: Float64Array;
}

const plans = new Map<number, FftPlan>();

/** The radices of `n` (4s first, then at most one 2, then 3s and 5s), or `null` when n has another prime factor. */
export function fftRadices(n: number): number[] | null {
  if (!(Number.isInteger(n) && n >= 1)) return null;
  const radices: number[] = [];
  let rest = n;
  while (rest % 4 === 0) {
    radices.push(4);
    rest /= 4;
  }
  if (rest % 2 === 0) {
    radices.push(2);
    rest /= 2;
  }
  for (const r of [3, 5])
    while (rest % r === 0) {
      radices.push(r);
      rest /= r;
    }
  return rest === 1 ? radices : null;
}

/** The plan of length `n` (cached); throws a RangeError when n is not of the form 2^a · 3^b · 5^c. */
export function fftPlan(n: number): FftPlan {
  let p = plans.get(n);
  if (p) return p;
  const radices = fftRadices(n);
  if (!radices) throw new RangeError(`FFT length ${n} is not of the form 2^a · 3^b · 5^c`);
  const offsets = new Int32Array(radices.length);
  let size = 0;
  let l = 1;
  for (let s = 0; s < radices.length; s++) {
    offsets[s] = size;
    size += l * (radices[s] - 1);
    l *= radices[s];
  }
  const cos = new Float64Array(Math.max(1, size));
  const sin = new Float64Array(Math.max(1, size));
  l = 1;
  for (let s = 0; s < radices.length; s++) {
    const radix = radices[s];
    for (let j = 0; j < l; j++)
      for (let r = 1; r < radix; r++) {
        const angle = (-2 * Math.PI * r * j) / (l * radix);
        cos[offsets[s] + j * (radix - 1) + r - 1] = Math.cos(angle);
        sin[offsets[s] + j * (radix - 1) + r - 1] = Math.sin(angle);
      }
    l *= radix;
  }
  p = { n, radices: Int32Array.from(radices), offsets, cos, sin };
  plans.set(n, p);
  return p;
}

const SIN_60 = Math.sqrt(3) / 2;
const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

/**
 * One Stockham stage (self-sorting, so no bit reversal): for every output group, `R` inputs `n / R` apart
 * are multiplied by their twiddles, transformed by a radix-R butterfly and written `l` apart, `count`
 * interleaved sequences at a time (element t of sequence c at `t · count + c`).
 */
function stage(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  n: number,
  count: number,
  radix: number,
  l: number,
  cos: Float64Array,
  sin: Float64Array,
  tw: number,
  sign: number,
): void {
  const stride = (n / radix) * count;
  const groups = n / (radix * l);
  const out = l * count;
  for (let k = 0; k < groups; k++)
    for (let j = 0; j < l; j++) {
      const src = (k * l + j) * count;
      const dst = (k * l * radix + j) * count;
      const t = tw + j * (radix - 1);
      if (radix === 4) {
        const c1 = cos[t];
        const s1 = -sign * sin[t];
        const c2 = cos[t + 1];
        const s2 = -sign * sin[t + 1];
        const c3 = cos[t + 2];
        const s3 = -sign * sin[t + 2];
        for (let c = 0; c < count; c++) {
          const a = src + c;
          const v0r = xr[a];
          const v0i = xi[a];
          let ur = xr[a + stride];
          let ui = xi[a + stride];
          const v1r = ur * c1 - ui * s1;
          const v1i = ur * s1 + ui * c1;
          ur = xr[a + 2 * stride];
          ui = xi[a + 2 * stride];
          const v2r = ur * c2 - ui * s2;
          const v2i = ur * s2 + ui * c2;
          ur = xr[a + 3 * stride];
          ui = xi[a + 3 * stride];
          const v3r = ur * c3 - ui * s3;
          const v3i = ur * s3 + ui * c3;
          const ar = v0r + v2r;
          const ai = v0i + v2i;
          const br = v0r - v2r;
          const bi = v0i - v2i;
          const cr = v1r + v3r;
          const ci = v1i + v3i;
          // (v1 − v3) times ±i (the radix-4 root of the transform's sign).
          const dr = -sign * (v1i - v3i);
          const di = sign * (v1r - v3r);
          const b = dst + c;
          yr[b] = ar + cr;
          yi[b] = ai + ci;
          yr[b + out] = br + dr;
          yi[b + out] = bi + di;
          yr[b + 2 * out] = ar - cr;
          yi[b + 2 * out] = ai - ci;
          yr[b + 3 * out] = br - dr;
          yi[b + 3 * out] = bi - di;
        }
      } else if (radix === 2) {
        const c1 = cos[t];
        const s1 = -sign * sin[t];
        for (let c = 0; c < count; c++) {
          const a = src + c;
          const ur = xr[a + stride];
          const ui = xi[a + stride];
          const v1r = ur * c1 - ui * s1;
          const v1i = ur * s1 + ui * c1;
          const b = dst + c;
          yr[b] = xr[a] + v1r;
          yi[b] = xi[a] + v1i;
          yr[b + out] = xr[a] - v1r;
          yi[b + out] = xi[a] - v1i;
        }
      } else if (radix === 3) {
        const c1 = cos[t];
        const s1 = -sign * sin[t];
        const c2 = cos[t + 1];
        const s2 = -sign * sin[t + 1];
        const h = sign * SIN_60;
        for (let c = 0; c < count; c++) {
          const a = src + c;
          const v0r = xr[a];
          const v0i = xi[a];
          let ur = xr[a + stride];
          let ui = xi[a + stride];
          const v1r = ur * c1 - ui * s1;
          const v1i = ur * s1 + ui * c1;
          ur = xr[a + 2 * stride];
          ui = xi[a + 2 * stride];
          const v2r = ur * c2 - ui * s2;
          const v2i = ur * s2 + ui * c2;
          const sr = v1r + v2r;
          const si = v1i + v2i;
          const mr = v0r - 0.5 * sr;
          const mi = v0i - 0.5 * si;
          // ±i·sin 60° · (v1 − v2).
          const dr = -h * (v1i - v2i);
          const di = h * (v1r - v2r);
          const b = dst + c;
          yr[b] = v0r + sr;
          yi[b] = v0i + si;
          yr[b + out] = mr + dr;
          yi[b + out] = mi + di;
          yr[b + 2 * out] = mr - dr;
          yi[b + 2 * out] = mi - di;
        }
      } else {
        const c1 = cos[t];
        const s1 = -sign * sin[t];
        const c2 = cos[t + 1];
        const s2 = -sign * sin[t + 1];
        const c3 = cos[t + 2];
        const s3 = -sign * sin[t + 2];
        const c4 = cos[t + 3];
        const s4 = -sign * sin[t + 3];
        const h1 = sign * S1;
        const h2 = sign * S2;
        for (let c = 0; c < count; c++) {
          const a = src + c;
          const v0r = xr[a];
          const v0i = xi[a];
          let ur = xr[a + stride];
          let ui = xi[a + stride];
          const v1r = ur * c1 - ui * s1;
          const v1i = ur * s1 + ui * c1;
          ur = xr[a + 2 * stride];
          ui = xi[a + 2 * stride];
          const v2r = ur * c2 - ui * s2;
          const v2i = ur * s2 + ui * c2;
          ur = xr[a + 3 * stride];
          ui = xi[a + 3 * stride];
          const v3r = ur * c3 - ui * s3;
          const v3i = ur * s3 + ui * c3;
          ur = xr[a + 4 * stride];
          ui = xi[a + 4 * stride];
          const v4r = ur * c4 - ui * s4;
          const v4i = ur * s4 + ui * c4;
          const a1r = v1r + v4r;
          const a1i = v1i + v4i;
          const b1r = v1r - v4r;
          const b1i = v1i - v4i;
          const a2r = v2r + v3r;
          const a2i = v2i + v3i;
          const b2r = v2r - v3r;
          const b2i = v2i - v3i;
          const p1r = v0r + C1 * a1r + C2 * a2r;
          const p1i = v0i + C1 * a1i + C2 * a2i;
          const p2r = v0r + C2 * a1r + C1 * a2r;
          const p2i = v0i + C2 * a1i + C1 * a2i;
          // i·(h1 b1 + h2 b2) and i·(h2 b1 − h1 b2).
          const q1r = -(h1 * b1i + h2 * b2i);
          const q1i = h1 * b1r + h2 * b2r;
          const q2r = -(h2 * b1i - h1 * b2i);
          const q2i = h2 * b1r - h1 * b2r;
          const b = dst + c;
          yr[b] = v0r + a1r + a2r;
          yi[b] = v0i + a1i + a2i;
          yr[b + out] = p1r + q1r;
          yi[b + out] = p1i + q1i;
          yr[b + 2 * out] = p2r + q2r;
          yi[b + 2 * out] = p2i + q2i;
          yr[b + 3 * out] = p2r - q2r;
          yi[b + 3 * out] = p2i - q2i;
          yr[b + 4 * out] = p1r - q1r;
          yi[b + 4 * out] = p1i - q1i;
        }
      }
    }
}

/**
 * FFTs of `count` interleaved sequences at once, in place: sequence c is `re/im[r·count + c]` for r < n, with
 * n of the form 2^a · 3^b · 5^c — a block of columns copied out of a row-major grid. Mixed-radix Stockham
 * (radices 4, 2, 3, 5), ping-ponging with `scratchRe` / `scratchIm` (at least `n · count` each; allocated
 * when omitted). The butterflies' inner loop runs over the `count` contiguous sequences, so each twiddle is
 * loaded once per block and memory is read in order. `inverse` computes the unnormalised inverse (divide by
 * n afterwards). This is the float64 reference of the WebAssembly kernel `fftColumns` (assembly/fft.ts).
 */
export function fftInterleaved(
  re: Float64Array,
  im: Float64Array,
  n: number,
  count: number,
  inverse = false,
  scratchRe: Float64Array = new Float64Array(n * count),
  scratchIm: Float64Array = new Float64Array(n * count),
): void {
  const { radices, offsets, cos, sin } = fftPlan(n);
  // The sign of the butterflies' roots exp(±2πi / R): − forward, + inverse.
  const sign = inverse ? 1 : -1;
  let xr: Float64Array = re;
  let xi: Float64Array = im;
  let yr: Float64Array = scratchRe;
  let yi: Float64Array = scratchIm;
  let l = 1;
  for (let s = 0; s < radices.length; s++) {
    stage(xr, xi, yr, yi, n, count, radices[s], l, cos, sin, offsets[s], sign);
    l *= radices[s];
    [xr, yr] = [yr, xr];
    [xi, yi] = [yi, xi];
  }
  // An odd number of stages leaves the result in the scratch buffers.
  if (xr !== re) {
    re.set(xr.subarray(0, n * count));
    im.set(xi.subarray(0, n * count));
  }
}

/**
 * In-place complex FFT of `re + i·im` over the `length` contiguous entries from `offset` (length of the form
 * 2^a · 3^b · 5^c): {@link fftInterleaved} of one sequence. `inverse` computes the unnormalised inverse.
 */
export function fft(
  re: Float64Array,
  im: Float64Array,
  inverse = false,
  offset = 0,
  length = re.length - offset,
): void {
  const r = re.subarray(offset, offset + length);
  const i = im.subarray(offset, offset + length);
  fftInterleaved(r, i, length, 1, inverse);
}

/**
 * The smallest FFT length of at least `min` with no prime factor above 5 (2^a · 3^b · 5^c: the sizes
 * {@link fftInterleaved} handles), so the cost of a grid grows smoothly with its side — at most a few
 * percent of padding, where powers of two waste up to half of each dimension.
 */
export function fftLength(min: number): number {
  let best = Number.POSITIVE_INFINITY;
  const target = Math.max(1, Math.ceil(min));
  for (let p5 = 1; p5 < 2 * target; p5 *= 5)
    for (let p35 = p5; p35 < 2 * target; p35 *= 3) {
      let v = p35;
      while (v < target) v *= 2;
      if (v < best) best = v;
    }
  return best;
}

/** Lines per block of {@link fftLines} (and of the kernel `fftLines` in assembly/fft.ts). */
export const FFT_BLOCK = 8;

/** Block buffers of {@link fftLines}: four arrays of at least `FFT_BLOCK × m` f64. */
export interface FftWork {
  sr: Float64Array;
  si: Float64Array;
  tr: Float64Array;
  ti: Float64Array;
}

/** Block buffers for {@link fftLines} at length up to `m`. */
export function fftWork(m: number): FftWork {
  const size = FFT_BLOCK * m;
  return {
    sr: new Float64Array(size),
    si: new Float64Array(size),
    tr: new Float64Array(size),
    ti: new Float64Array(size),
  };
}

/**
 * The length-m FFT of each line ℓ in [from, to) of a complex grid (element t of line ℓ at `ℓ·lineStride +
 * t·elemStride` of `re` / `im`), reading the first `nIn` elements (the rest taken as zero) and writing back
 * the first `nOut`: `mode` 0 forward, 1 inverse (unnormalised), 2 forward, times the real spectrum
 * `kernel[t·m + ℓ]`, then inverse (one circulant convolution per line). Lines are gathered in blocks of
 * {@link FFT_BLOCK} into `work` and transformed together by {@link fftInterleaved}. The float64 reference
 * (and the fallback without WebAssembly SIMD) of the kernel `fftLines` of assembly/fft.ts, which gives the
 * same numbers bit for bit.
 */
export function fftLines(
  re: Float64Array,
  im: Float64Array,
  lineStride: number,
  elemStride: number,
  from: number,
  to: number,
  nIn: number,
  nOut: number,
  m: number,
  mode: 0 | 1 | 2,
  kernel: Float64Array,
  work: FftWork,
): void {
  const { sr, si, tr, ti } = work;
  for (let l0 = from; l0 < to; l0 += FFT_BLOCK) {
    const b = Math.min(FFT_BLOCK, to - l0);
    for (let t = 0; t < nIn; t++)
      for (let q = 0; q < b; q++) {
        const at = (l0 + q) * lineStride + t * elemStride;
        sr[t * b + q] = re[at];
        si[t * b + q] = im[at];
      }
    sr.fill(0, nIn * b, m * b);
    si.fill(0, nIn * b, m * b);
    fftInterleaved(sr, si, m, b, mode === 1, tr, ti);
    if (mode === 2) {
      for (let t = 0; t < m; t++)
        for (let q = 0; q < b; q++) {
          const f = kernel[t * m + l0 + q];
          sr[t * b + q] *= f;
          si[t * b + q] *= f;
        }
      fftInterleaved(sr, si, m, b, true, tr, ti);
    }
    for (let t = 0; t < nOut; t++)
      for (let q = 0; q < b; q++) {
        const at = (l0 + q) * lineStride + t * elemStride;
        re[at] = sr[t * b + q];
        im[at] = si[t * b + q];
      }
  }
}
