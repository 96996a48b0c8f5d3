/**
 * Length of the well-formed UTF-8 sequence starting at `bytes[i]` (1–4), or minus the length of the
 * maximal invalid subpart there (Unicode §3.9, "U+FFFD Substitution of Maximal Subparts", Table 3-7
 * of well-formed byte sequences): the unit that WHATWG's `TextDecoder` and Python's `'replace'` turn
 * into one U+FFFD and that `'ignore'` drops. For example `[0xe2, 0x82, 0xac]` (€) gives 3, a lone
 * continuation byte `0x80` gives −1, and the truncated `[0xe2, 0x82]` gives −2.
 *
 * @param bytes the text
 * @param i index of the first byte of the sequence, `0 ≤ i < bytes.length`
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  if (b0 < 0xc2 || b0 > 0xf4) return -1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < n && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b0 < 0xe0) return cont(1) ? 2 : -1;
  if (b0 < 0xf0) {
    // E0 needs A0–BF next (no overlong forms), ED needs 80–9F (no surrogates).
    if (!cont(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf)) return -1;
    return cont(2) ? 3 : -2;
  }
  // F0 needs 90–BF next (no overlong forms), F4 needs 80–8F (nothing above U+10FFFF).
  if (!cont(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf)) return -1;
  if (!cont(2)) return -2;
  return cont(3) ? 4 : -3;
}
