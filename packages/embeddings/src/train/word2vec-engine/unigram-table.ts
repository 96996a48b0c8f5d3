/**
 * The negative-sampling table of word2vec.c (`InitUnigramTable`): word w fills a share of the slots
 * proportional to count(w)^power (Mikolov et al. 2013, power 0.75). The length is a power of two so a
 * draw is one mask, no modulo. Every word gets at least its rounded-down share of slots.
 */
export function buildUnigramTable(
  counts: ArrayLike<number>,
  power = 0.75,
  size?: number,
  buffer?: (bytes: number) => ArrayBufferLike,
): Int32Array {
  const v = counts.length;
  // ~32 slots per word on average keeps the table in L2 for typical vocabularies (word2vec.c's 1e8 does not).
  const length = size ?? 2 ** Math.min(24, Math.max(16, Math.ceil(Math.log2(v * 32))));
  const table = new Int32Array(buffer ? buffer(length * 4) : new ArrayBuffer(length * 4));
  let total = 0;
  for (let i = 0; i < v; i++) total += counts[i] ** power;
  let i = 0;
  let cumulative = counts[0] ** power / total;
  for (let a = 0; a < length; a++) {
    table[a] = i;
    if (a / length > cumulative && i < v - 1) {
      i++;
      cumulative += counts[i] ** power / total;
    }
  }
  return table;
}
