/** Bits of one float64, through a shared scratch buffer (the hash keys on the exact value). */
const scratch = new Float64Array(1);
const bits = new Uint32Array(scratch.buffer);

/**
 * The distinct values of a Float64Array, numbered in order of first occurrence: an open-addressing hash
 * table keyed on the exact bits (typed arrays, 12 bytes per slot, at most half full). A corpus repeats
 * few values of X — sums of 1/k over a few occurrences — so GloVe stores log X and h(X) once per
 * distinct value (5,050,829 entries of the Gutenberg matrix take 94,461 values).
 */
export class DistinctValues {
  /** The distinct values, `count` of them, in order of first occurrence. */
  readonly values: Float64Array;
  readonly count: number;
  private readonly lo: Uint32Array;
  private readonly hi: Uint32Array;
  private readonly ids: Int32Array;

  private constructor(
    values: Float64Array,
    count: number,
    lo: Uint32Array,
    hi: Uint32Array,
    ids: Int32Array,
  ) {
    this.values = values;
    this.count = count;
    this.lo = lo;
    this.hi = hi;
    this.ids = ids;
  }

  /**
   * Numbers the distinct values of `values`; null as soon as there are more than `limit` of them (the
   * table would then save too little to be worth its memory).
   */
  static of(values: Float64Array, limit: number): DistinctValues | null {
    let size = 1024;
    let lo = new Uint32Array(size);
    let hi = new Uint32Array(size);
    let ids = new Int32Array(size).fill(-1);
    let found = new Float64Array(Math.min(size, limit + 1));
    let count = 0;
    for (let p = 0; p < values.length; p++) {
      const x = values[p];
      if (slot(lo, hi, ids, x) >= 0) continue;
      if (count === limit) return null;
      if (2 * (count + 1) > size) {
        size *= 2;
        const next = new Int32Array(size).fill(-1);
        const nlo = new Uint32Array(size);
        const nhi = new Uint32Array(size);
        for (let k = 0; k < count; k++) {
          const at = ~slot(nlo, nhi, next, found[k]);
          nlo[at] = bits[0];
          nhi[at] = bits[1];
          next[at] = k;
        }
        ids = next;
        lo = nlo;
        hi = nhi;
      }
      if (count === found.length) {
        const grown = new Float64Array(Math.min(2 * found.length, limit + 1));
        grown.set(found);
        found = grown;
      }
      const at = ~slot(lo, hi, ids, x);
      lo[at] = bits[0];
      hi[at] = bits[1];
      ids[at] = count;
      found[count++] = x;
    }
    return new DistinctValues(found.subarray(0, count), count, lo, hi, ids);
  }

  /** The number of `x`, one of the values counted (−1 for any other). */
  indexOf(x: number): number {
    const at = slot(this.lo, this.hi, this.ids, x);
    return at >= 0 ? this.ids[at] : -1;
  }
}

/**
 * The slot holding `x` (≥ 0), or the complement (~slot) of the empty slot where it would go; leaves
 * x's bits in `bits`. Linear probing from a multiplicative hash of both 32-bit halves.
 */
function slot(lo: Uint32Array, hi: Uint32Array, ids: Int32Array, x: number): number {
  scratch[0] = x;
  const a = bits[0];
  const b = bits[1];
  const mask = ids.length - 1;
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  for (let at = h & mask; ; at = (at + 1) & mask) {
    if (ids[at] < 0) return ~at;
    if (lo[at] === a && hi[at] === b) return at;
  }
}
