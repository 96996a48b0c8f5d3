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
    if (!(n >= 1 && (n & (n - 1)) === 0)) throw new RangeError(`FFT length ${n} is not a power of two`);
    const bits = Math.round(Math.log2(n));
    const reverse = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      reverse[i] = r;
    }
    const cos = new Float64Array(Math.max(1, n / 2));
    const sin = new Float64Array(Math.max(1, n / 2));
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
 * (divide by the length afterwards). Twiddles come from a table computed once per length.
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
  // First stage (size 2): the twiddle is 1.
  for (let a = offset, end = offset + n - 1; a < end; a += 2) {
    const xr = re[a + 1];
    const xi = im[a + 1];
    re[a + 1] = re[a] - xr;
    im[a + 1] = im[a] - xi;
    re[a] += xr;
    im[a] += xi;
  }
  const sign = inverse ? 1 : -1;
  for (let size = 4; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0, t = 0; k < half; k++, t += step) {
      const cr = cos[t];
      const ci = sign * sin[t];
      for (let a = offset + k, end = offset + n; a < end; a += size) {
        const b = a + half;
        const br = re[b];
        const bi = im[b];
        const xr = br * cr - bi * ci;
        const xi = br * ci + bi * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/**
 * FFTs of `count` interleaved sequences at once, in place: sequence c is `x[r·count + c]` for r < n (n a
 * power of two) — a block of columns copied out of a row-major grid. The butterflies' inner loop runs over
 * the `count` contiguous sequences, so each twiddle is loaded once per block and memory is read in order.
 */
export function fftInterleaved(
  re: Float64Array,
  im: Float64Array,
  n: number,
  count: number,
  inverse = false,
): void {
  const { reverse, cos, sin } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = reverse[i];
    if (i < j) {
      const a = i * count;
      const b = j * count;
      for (let c = 0; c < count; c++) {
        const tr = re[a + c];
        re[a + c] = re[b + c];
        re[b + c] = tr;
        const ti = im[a + c];
        im[a + c] = im[b + c];
        im[b + c] = ti;
      }
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    const span = half * count;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const cr = cos[t];
        const ci = sign * sin[t];
        const a0 = (start + k) * count;
        for (let a = a0, end = a0 + count; a < end; a++) {
          const b = a + span;
          const br = re[b];
          const bi = im[b];
          const xr = br * cr - bi * ci;
          const xi = br * ci + bi * cr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

/** The smallest power of two of at least `min` (the FFT lengths this module handles). */
export function fftLength(min: number): number {
  let n = 1;
  while (n < min) n <<= 1;
  return n;
}
