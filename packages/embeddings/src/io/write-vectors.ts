import { assertOneOf, InvalidArgumentError } from '@wordloom/core';
import type { KeyedVectors } from '../keyed-vectors.js';
import type { VectorFormat } from './read-vectors.js';

const encoder = new TextEncoder();

/** Shortest decimal that reads back as the same float32 (like numpy's `repr` of a float32). */
export function formatFloat32(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  for (let p = 6; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

/**
 * Throws (before anything is written) unless every value is finite and every word can be read back:
 * non-empty, without a space or a newline (the bytes that end a word in word2vec.c and gensim). Any
 * other byte — control characters such as `\b`, non-ASCII — is written as its UTF-8 encoding.
 */
export function assertWritable(vectors: KeyedVectors, functionName: string): void {
  const { dim, words } = vectors;
  const values = vectors.vectors;
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i])) {
      const r = Math.floor(i / dim);
      throw new InvalidArgumentError(
        'vectors',
        functionName,
        `finite numbers: value ${(i % dim) + 1} of ${JSON.stringify(words[r])} (row ${r + 1}) is ${values[i]}, which no word2vec or GloVe reader accepts; nothing was written`,
      );
    }
  for (let r = 0; r < words.length; r++) {
    const w = words[r];
    if (typeof w !== 'string' || w === '' || w.includes(' ') || w.includes('\n'))
      throw new InvalidArgumentError(
        'vectors',
        functionName,
        `words that are non-empty and hold no space or newline (they end a word in word2vec and GloVe files): word ${r + 1} is ${JSON.stringify(w)}; nothing was written`,
      );
  }
}

/**
 * Encodes vectors as chunks of a word2vec binary/text or GloVe text file (see {@link readVectors} for
 * the layouts), about `chunkBytes` at a time so large vector sets never exist as one string. Binary
 * records end with `\n` like word2vec.c's; gensim and wordloom read both. Non-finite values and
 * words holding a space or a newline throw `InvalidArgumentError` before the first chunk.
 */
export function* encodeVectors(
  vectors: KeyedVectors,
  format: VectorFormat,
  chunkBytes = 1 << 20,
): Generator<Uint8Array> {
  assertOneOf(format, ['word2vec-bin', 'word2vec-txt', 'glove'], 'format', 'encodeVectors');
  assertWritable(vectors, 'encodeVectors');
  const { dim } = vectors;
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (bytes: Uint8Array) => {
    parts.push(bytes);
    size += bytes.length;
  };
  const flush = (): Uint8Array => {
    const out = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    parts.length = 0;
    size = 0;
    return out;
  };
  if (format !== 'glove') push(encoder.encode(`${vectors.size} ${dim}\n`));
  for (let r = 0; r < vectors.size; r++) {
    const row = vectors.vectors.subarray(r * dim, (r + 1) * dim);
    const word = vectors.words[r];
    if (format === 'word2vec-bin') {
      push(encoder.encode(`${word} `));
      const bytes = new Uint8Array(dim * 4 + 1);
      const view = new DataView(bytes.buffer);
      for (let k = 0; k < dim; k++) view.setFloat32(k * 4, row[k], true);
      bytes[dim * 4] = 0x0a;
      push(bytes);
    } else {
      let line = word;
      for (let k = 0; k < dim; k++) line += ` ${formatFloat32(row[k])}`;
      push(encoder.encode(`${line}\n`));
    }
    if (size >= chunkBytes) yield flush();
  }
  if (size > 0) yield flush();
}
