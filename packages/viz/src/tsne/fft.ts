/** Bit-reversal permutation and twiddle factors of one power-of-two length, computed once. */
interface Plan {
  reverse: Int32Array;
  cos: Float64Array;
  sin: Float64Array;
}

const plans = new Map<number, Plan>();

function plan(n: number): Plan {
  let p = plans.get(n);
  if (!p) {
    const bits = Math.round(Math.log2(n));
    const reverse = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      reverse[i] = r;
    }
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    p = { reverse, cos, sin };
    plans.set(n, p);
  }
  return p;
}

/**
 * In-place iterative radix-2 complex FFT (Cooley–Tukey, decimation in time) of `re + i·im` over the `length`
 * contiguous entries from `offset`; `length` a power of two. `inverse` computes the unnormalised inverse
 * (divide by the length afterwards).
 */
export function fft(
  re: Float64Array,
  im: Float64Array,
  inverse = false,
  offset = 0,
  length = re.length,
): void {
  const n = length;
  const { reverse, cos, sin } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = reverse[i];
    if (i < j) {
      const a = offset + i;
      const b = offset + j;
      const tr = re[a];
      re[a] = re[b];
      re[b] = tr;
      const ti = im[a];
      im[a] = im[b];
      im[b] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = offset; start < offset + n; start += size) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const cr = cos[t];
        const ci = sign * sin[t];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** Transposes an `m × m` row-major array in place. */
function transpose(a: Float64Array, m: number): void {
  for (let r = 0; r < m; r++)
    for (let c = r + 1; c < m; c++) {
      const t = a[r * m + c];
      a[r * m + c] = a[c * m + r];
      a[c * m + r] = t;
    }
}

/**
 * 2-D FFT of an `m × m` row-major complex array, in place: FFT of every row, transpose, FFT of every row
 * (the columns), transpose back — contiguous rows only, which keeps the passes in cache. `inputRows`: only
 * the first rows are non-zero (the others are skipped in the row pass, their transform being zero);
 * `outputColumns`: only the first columns of the result are needed (the others are left partial).
 */
export function fft2(
  re: Float64Array,
  im: Float64Array,
  m: number,
  inverse = false,
  inputRows = m,
  outputColumns = m,
): void {
  for (let r = 0; r < inputRows; r++) fft(re, im, inverse, r * m, m);
  transpose(re, m);
  transpose(im, m);
  for (let r = 0; r < outputColumns; r++) fft(re, im, inverse, r * m, m);
  transpose(re, m);
  transpose(im, m);
}
