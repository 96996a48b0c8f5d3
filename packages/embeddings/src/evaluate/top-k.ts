/**
 * Indices of the `k` largest scores, best first, skipping `exclude` and, when `limit` is set, any index
 * ≥ `limit`. Insertion into a small sorted buffer: O(n·k) worst case, O(n) in practice for small k.
 */
export function topK(
  scores: Float32Array | Float64Array,
  k: number,
  exclude?: ReadonlySet<number>,
  limit?: number,
): number[] {
  const n = Math.min(scores.length, limit ?? scores.length);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (Number.isNaN(s)) continue; // NaN never ranks
    if (idx.length === k && s <= val[k - 1]) continue;
    if (exclude?.has(i)) continue;
    let p = idx.length === k ? k - 1 : idx.length;
    if (idx.length < k) {
      idx.push(i);
      val.push(s);
    }
    while (p > 0 && val[p - 1] < s) {
      idx[p] = idx[p - 1];
      val[p] = val[p - 1];
      p--;
    }
    idx[p] = i;
    val[p] = s;
  }
  return idx;
}
