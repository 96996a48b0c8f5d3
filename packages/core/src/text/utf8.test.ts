import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { utf8SequenceLength } from './utf8.js';

/** Splits `bytes` into sequences: positive lengths for characters, negative for maximal invalid subparts. */
function units(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const len = utf8SequenceLength(bytes, i);
    out.push(len);
    i += Math.abs(len);
  }
  return out;
}

const replacing = new TextDecoder('utf-8', { ignoreBOM: true });

describe('utf8SequenceLength', () => {
  it('gives the length of each well-formed sequence (1 to 4 bytes)', () => {
    expect(units(new TextEncoder().encode('a¢€𐍈'))).toEqual([1, 2, 3, 4]);
  });

  it('cuts ill-formed input into maximal subparts as Unicode Table 3-8 does', () => {
    // Unicode §3.9, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 → a, �, �, �, b, �, c, �, �, d.
    const bytes = new Uint8Array([
      0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62, 0x80, 0x63, 0x80, 0xbf, 0x64,
    ]);
    expect(units(bytes)).toEqual([1, -3, -2, -1, 1, -1, 1, -1, -1, 1]);
  });

  it('refuses overlong forms, surrogates and code points above U+10FFFF at their first byte', () => {
    expect(utf8SequenceLength(new Uint8Array([0xc0, 0xaf]), 0)).toBe(-1); // overlong '/'
    expect(utf8SequenceLength(new Uint8Array([0xe0, 0x80, 0xaf]), 0)).toBe(-1); // overlong
    expect(utf8SequenceLength(new Uint8Array([0xed, 0xa0, 0x80]), 0)).toBe(-1); // U+D800
    expect(utf8SequenceLength(new Uint8Array([0xf0, 0x80, 0x80, 0xaf]), 0)).toBe(-1); // overlong
    expect(utf8SequenceLength(new Uint8Array([0xf4, 0x90, 0x80, 0x80]), 0)).toBe(-1); // U+110000
    expect(utf8SequenceLength(new Uint8Array([0xf5, 0x80, 0x80, 0x80]), 0)).toBe(-1);
    expect(utf8SequenceLength(new Uint8Array([0xe2, 0x82]), 0)).toBe(-2); // truncated at the end
  });

  it('agrees with TextDecoder (WHATWG) on random bytes: one U+FFFD per maximal subpart', () => {
    const rng = new Random(7);
    // Mostly lead and continuation bytes, so that near-valid sequences are common.
    const pool = [
      0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5,
    ];
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = Uint8Array.from({ length: 1 + rng.int(12) }, () => pool[rng.int(pool.length)]);
      const decoded = [...replacing.decode(bytes)];
      const expected: string[] = [];
      let i = 0;
      for (const len of units(bytes)) {
        expected.push(len < 0 ? '\ufffd' : replacing.decode(bytes.subarray(i, i + len)));
        i += Math.abs(len);
      }
      expect(decoded).toEqual(expected);
    }
  });
});
