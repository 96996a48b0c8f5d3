/** Huffman codes of a vocabulary, flattened (one segment per word). */
export interface HuffmanTree {
  /** Bits of every word's code, root first, concatenated; word w uses `codes[offsets[w] … offsets[w]+lengths[w])`. */
  codes: Uint8Array;
  /** Inner-node indices (0 … V−2, the root is V−2) along every word's path, aligned with `codes`. */
  points: Int32Array;
  offsets: Int32Array;
  lengths: Uint8Array;
}

/**
 * Builds the Huffman tree of word2vec.c's `CreateBinaryTree` (Mikolov et al. 2013, hierarchical
 * softmax): frequent words get short codes. `counts` must be sorted in descending order (as vocabularies
 * from the trainer are); the two-queue construction is then O(V). Inner node i has its output vector in
 * row i of `syn1`.
 */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanTree {
  const v = counts.length;
  if (v < 2) throw new RangeError('hierarchical softmax needs at least two words');
  for (let i = 1; i < v; i++)
    if (counts[i] > counts[i - 1]) throw new RangeError('counts must be sorted in descending order');
  const count = new Float64Array(2 * v - 1);
  for (let i = 0; i < v; i++) count[i] = counts[i];
  for (let i = v; i < 2 * v - 1; i++) count[i] = Number.POSITIVE_INFINITY;
  const binary = new Uint8Array(2 * v - 1);
  const parent = new Int32Array(2 * v - 1);
  let pos1 = v - 1; // next smallest leaf (leaves are in descending order)
  let pos2 = v; // next smallest inner node (created in ascending order)
  const pick = (): number => {
    if (pos1 >= 0 && count[pos1] < count[pos2]) return pos1--;
    return pos2++;
  };
  for (let a = 0; a < v - 1; a++) {
    const min1 = pick();
    const min2 = pick();
    count[v + a] = count[min1] + count[min2];
    parent[min1] = v + a;
    parent[min2] = v + a;
    binary[min2] = 1;
  }
  const root = 2 * v - 2;
  const lengths = new Uint8Array(v);
  const offsets = new Int32Array(v + 1);
  for (let w = 0; w < v; w++) {
    let n = 0;
    for (let b = w; b !== root; b = parent[b]) n++;
    if (n > 255) throw new RangeError('Huffman code longer than 255 bits');
    lengths[w] = n;
    offsets[w + 1] = offsets[w] + n;
  }
  const codes = new Uint8Array(offsets[v]);
  const points = new Int32Array(offsets[v]);
  for (let w = 0; w < v; w++) {
    const n = lengths[w];
    const o = offsets[w];
    // Walk leaf → root, filling from the end so the stored order is root → leaf.
    let i = n - 1;
    for (let b = w; b !== root; b = parent[b], i--) {
      codes[o + i] = binary[b];
      points[o + i] = parent[b] - v;
    }
  }
  return { codes, points, offsets, lengths };
}
