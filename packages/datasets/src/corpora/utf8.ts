import { utf8SequenceLength } from '@wordloom/core';

/**
 * Where a chunk can be cut so that no multi-byte sequence is split: the start of a lead byte at the
 * end whose sequence is not complete yet (its bytes are carried to the next chunk), else the length.
 */
export function utf8CompleteLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let j = n - 1; j >= Math.max(0, n - 3); j--) {
    const b = bytes[j];
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return j + needed > n ? j : n;
    }
  }
  return n;
}

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes complete UTF-8 `bytes` as Python's `bytes.decode('utf-8', errors)`: `'replace'` gives U+FFFD
 * per maximal invalid subpart, `'ignore'` drops them, `'strict'` calls `refuse(offset)` (which throws)
 * with the offset of the first invalid byte.
 */
export function decodeUtf8(
  bytes: Uint8Array,
  errors: 'strict' | 'replace' | 'ignore',
  refuse: (offset: number) => never,
): string {
  if (errors === 'replace') return lenient.decode(bytes);
  try {
    return fatal.decode(bytes);
  } catch {
    // Slow path, only for text that holds invalid bytes.
  }
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; ) {
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (errors === 'strict') refuse(i);
    out += fatal.decode(bytes.subarray(run, i));
    i -= len;
    run = i;
  }
  return out + fatal.decode(bytes.subarray(run));
}
