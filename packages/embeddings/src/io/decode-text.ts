import { utf8SequenceLength } from '@wordloom/core';

/** Text encodings of corpus and vector files (gensim's `encoding`). */
export type TextEncoding = 'utf-8' | 'latin1';

/**
 * What to do with bytes that are not valid in the encoding (gensim's `unicode_errors`, Python's codec
 * error handlers): `'strict'` refuses them, `'replace'` puts U+FFFD in place of each maximal invalid
 * subsequence, `'ignore'` drops them.
 */
export type UnicodeErrors = 'strict' | 'replace' | 'ignore';

/** The encodings and error handlers accepted by the readers. */
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'latin1'];
/** The error handlers accepted by the readers. */
export const UNICODE_ERRORS: readonly UnicodeErrors[] = ['strict', 'replace', 'ignore'];

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Offset of the first byte of `bytes` that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const len = utf8SequenceLength(bytes, i);
    if (len < 0) return i;
    i += len;
  }
  return -1;
}

/**
 * Decodes `bytes` as Python's `bytes.decode(encoding, errors)` does. `'latin1'` is ISO-8859-1 (each
 * byte is the code point of the same value, as Python's — not WHATWG's windows-1252 alias). Under
 * `'strict'`, `refuse(offset)` is called with the offset of the first invalid byte and must throw.
 */
export function decodeText(
  bytes: Uint8Array,
  encoding: TextEncoding,
  errors: UnicodeErrors,
  refuse: (offset: number) => never,
): string {
  if (encoding === 'latin1') {
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192)
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
    return s;
  }
  if (errors === 'replace') return lenient.decode(bytes);
  try {
    return fatal.decode(bytes);
  } catch {
    if (errors === 'strict') refuse(firstInvalidUtf8(bytes));
  }
  // 'ignore': decode the valid runs, skip each maximal invalid subpart.
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; ) {
    const len = bytes[i] < 0x80 ? 1 : utf8SequenceLength(bytes, i);
    if (len > 0) {
      i += len;
      continue;
    }
    out += fatal.decode(bytes.subarray(run, i));
    i -= len;
    run = i;
  }
  return out + fatal.decode(bytes.subarray(run));
}
