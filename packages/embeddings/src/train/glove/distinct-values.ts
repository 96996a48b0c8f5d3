/** Bits of one float64, through a shared scratch buffer (the hash of a value is a hash of its bits). */
const scratch = new Float64Array(1);
const bits = new Uint32Array(scratch.buffer);

/**
 * The distinct values met so far, numbered in order of first occurrence and stored in `values` (the
 * caller's array, whose length is the capacity), found again through an open-addressing hash table of
 * their numbers (an Int32Array at most half full). A corpus repeats few values of X — sums of 1/k over a
 * few occurrences — so GloVe stores log X and h(X) once per distinct value (the 5,050,829 entries of the
 * Gutenberg matrix take 94,461 values). Values are equal when `===` (so each NaN is new).
 */
export class DistinctValues {
  /** The values, `count` of them in order of first occurrence (the rest of the array is unused). */
  values: Float64Array;
  /** Distinct values so far. */
  count = 0;
  private ids: Int32Array;
  private readonly limit: number;

  /**
   * An empty set storing its values in `storage`, at most `limit` of them: beyond `storage.length` in
   * new, doubling arrays (then `values` is no longer `storage`).
   * @default limit storage.length
   */
  constructor(storage: Float64Array, limit = storage.length) {
    this.values = storage;
    this.limit = limit;
    this.ids = new Int32Array(1024).fill(-1);
  }

  /** Numbers the distinct values of `values`; null as soon as there are more than `limit` of them. */
  static of(values: Float64Array, limit: number): DistinctValues | null {
    const set = new DistinctValues(new Float64Array(Math.min(limit, 1024)), limit);
    for (let p = 0; p < values.length; p++) if (set.add(values[p]) < 0) return null;
    return set;
  }

  /** The number of `x`, adding it if new; −1 when it is new and `limit` values are stored. */
  add(x: number): number {
    const at = this.slot(x);
    if (at >= 0) return this.ids[at];
    if (this.count === this.limit) return -1;
    if (this.count === this.values.length) {
      const grown = new Float64Array(Math.min(2 * this.values.length, this.limit));
      grown.set(this.values);
      this.values = grown;
    }
    const id = this.count++;
    this.values[id] = x;
    if (2 * this.count > this.ids.length) this.rehash();
    else this.ids[~at] = id;
    return id;
  }

  /** The number of `x` (−1 when it was never added). */
  indexOf(x: number): number {
    const at = this.slot(x);
    return at >= 0 ? this.ids[at] : -1;
  }

  /** The slot holding x's number (≥ 0), or the complement (~slot) of the empty slot where it would go. */
  private slot(x: number): number {
    const { ids, values } = this;
    const mask = ids.length - 1;
    for (let at = hash(x) & mask; ; at = (at + 1) & mask) {
      const id = ids[at];
      if (id < 0) return ~at;
      if (values[id] === x) return at;
    }
  }

  /** Doubles the table and inserts every number again (the newest included). */
  private rehash(): void {
    const ids = new Int32Array(2 * this.ids.length).fill(-1);
    const mask = ids.length - 1;
    for (let id = 0; id < this.count; id++) {
      let at = hash(this.values[id]) & mask;
      while (ids[at] >= 0) at = (at + 1) & mask;
      ids[at] = id;
    }
    this.ids = ids;
  }
}

/** A multiplicative hash of both 32-bit halves of x. */
function hash(x: number): number {
  scratch[0] = x;
  const h = Math.imul(bits[0] ^ Math.imul(bits[1], 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/**
 * Renumbers the value numbers in `index` (each below `count`) by decreasing frequency, ties in the old
 * order, in place, and returns `order`: new number r was old number `order[r]`. The kernel looks log X
 * and h(X) up by number for every entry, and a few values are most entries (on Gutenberg the 1,024
 * commonest of 94,461 are 90% of them): numbered first, they share a few cache lines.
 */
export function rankByFrequency(index: Uint32Array, count: number): Int32Array {
  const frequency = new Int32Array(count);
  for (let e = 0; e < index.length; e++) frequency[index[e]]++;
  const order = Int32Array.from({ length: count }, (_, k) => k).sort(
    (a, b) => frequency[b] - frequency[a] || a - b,
  );
  const rank = new Uint32Array(count);
  for (let r = 0; r < count; r++) rank[order[r]] = r;
  for (let e = 0; e < index.length; e++) index[e] = rank[index[e]];
  return order;
}
