import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { crc32 } from './crc32.js';

describe('crc32', () => {
  it('gives the standard check value', () => {
    // The CRC-32/ISO-HDLC check value of the nine ASCII digits.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('equals zlib on random bytes, whole and in chunks', () => {
    const random = new Random(7);
    for (const length of [1, 3, 255, 4096, 10_001]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = random.nextUint32() & 0xff;
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
      const cut = Math.floor(length / 3);
      expect(crc32(bytes.subarray(cut), crc32(bytes.subarray(0, cut)))).toBe(crc32(bytes));
    }
  });
});
