import { describe, expect, it } from 'vitest';
import { buildHuffmanTree } from './huffman.js';

describe('buildHuffmanTree', () => {
  it('gives the textbook code lengths for frequencies 45, 16, 13, 12, 9, 5 (CLRS 16.3)', () => {
    const t = buildHuffmanTree([45, 16, 13, 12, 9, 5]);
    expect(Array.from(t.lengths)).toEqual([1, 3, 3, 3, 4, 4]);
    // Expected cost Σ f·len = 224 (the optimum for these frequencies).
    expect([45, 16, 13, 12, 9, 5].reduce((s, f, i) => s + f * t.lengths[i], 0)).toBe(224);
  });

  it('is prefix-free, starts every path at the root (V−2) and uses every inner node', () => {
    const counts = [40, 30, 20, 20, 10, 5, 3, 1];
    const t = buildHuffmanTree(counts);
    const code = (w: number) =>
      Array.from(t.codes.subarray(t.offsets[w], t.offsets[w] + t.lengths[w])).join('');
    const codes = counts.map((_, w) => code(w));
    for (let a = 0; a < codes.length; a++)
      for (let b = 0; b < codes.length; b++) if (a !== b) expect(codes[b].startsWith(codes[a])).toBe(false);
    for (let w = 0; w < counts.length; w++) expect(t.points[t.offsets[w]]).toBe(counts.length - 2);
    expect(new Set(t.points).size).toBe(counts.length - 1);
    // Kraft equality for a full binary tree.
    expect(codes.reduce((s, c) => s + 2 ** -c.length, 0)).toBe(1);
  });

  it('rejects unsorted counts and one-word vocabularies', () => {
    expect(() => buildHuffmanTree([1, 2])).toThrow(/descending/);
    expect(() => buildHuffmanTree([1])).toThrow(/two words/);
  });
});
