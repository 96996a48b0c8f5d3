import { open, readFile, stat } from 'node:fs/promises';
import { InvalidArgumentError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';
import type { TextEncoding, UnicodeErrors } from '../io/decode-text.js';
import { readVectors, type VectorFormat } from '../io/read-vectors.js';
import { assertWritable, encodeVectors } from '../io/write-vectors.js';
import type { KeyedVectors } from '../keyed-vectors.js';
import { assertKnownOptions } from '../validate-options.js';

/** Options of {@link loadVectors}. */
export interface LoadVectorsOptions {
  /** File layout; `'auto'` detects word2vec binary, word2vec text or GloVe. @default 'auto' */
  format?: VectorFormat | 'auto';
  /** Read only the first `limit` vectors (the rest of the file is never read); 0 reads none. @default all */
  limit?: number;
  /** Encoding of the words (gensim's `encoding`). @default 'utf-8' */
  encoding?: TextEncoding;
  /** Invalid bytes in a word: `'strict'` refuses them naming their offset (gensim's default). @default 'strict' */
  unicodeErrors?: UnicodeErrors;
  /** Memory budget of the vectors in bytes; larger headers are refused before allocating. @default 4294967296 */
  maxBytes?: number;
}

/** Options of {@link loadWord2VecFormat} (gensim's `load_word2vec_format` names). */
export interface LoadWord2VecOptions {
  /** Binary word2vec file. @default false */
  binary?: boolean;
  /** The file has no `N D` header (GloVe text). @default false */
  noHeader?: boolean;
  /** Read only the first `limit` vectors. @default all */
  limit?: number;
  /** Encoding of the words. @default 'utf-8' */
  encoding?: TextEncoding;
  /** gensim's `unicode_errors`. @default 'strict' */
  unicodeErrors?: UnicodeErrors;
  /** Memory budget of the vectors in bytes. @default 4294967296 */
  maxBytes?: number;
}

async function fileSize(path: string, fn: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
    return info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InvalidArgumentError('path', fn, `a readable vectors file (${code})`, path);
  }
}

/**
 * The bytes of a file in chunks read into one reused buffer: each chunk is valid until the next one is
 * asked for (`ByteReader` copies it at once). A read stream allocates a new buffer per chunk, outside
 * the JS heap, that the GC frees only under external-memory pressure — tens of MB of dead chunks at the
 * peak of a large load.
 */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(1 << 16);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Counts '\n' bytes: an upper bound on the rows of a headerless (GloVe) file, for one exact allocation. */
async function countLines(path: string): Promise<number> {
  let n = 0;
  let last = 0x0a;
  for await (const bytes of fileChunks(path)) {
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
    if (bytes.length > 0) last = bytes[bytes.length - 1];
  }
  return last === 0x0a ? n : n + 1;
}

/** True when the file starts with a word2vec `N D` header line. */
async function hasHeader(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const text = buffer.subarray(0, bytesRead).toString('latin1');
    return /^[ \t]*\d{1,15}[ \t]+\d{1,15}[ \t\r]*\n/.test(text);
  } finally {
    await handle.close();
  }
}

/**
 * Streams a vectors file from disk; see `readVectors` for the formats and errors. The header's counts
 * are checked against the file size and `maxBytes` before anything is allocated; a headerless GloVe
 * file is counted first so its vectors are allocated once (about 1× their size, never grown by copies).
 */
export async function loadVectors(path: string, options: LoadVectorsOptions = {}): Promise<KeyedVectors> {
  assertKnownOptions(options, ['format', 'limit', 'encoding', 'unicodeErrors', 'maxBytes'], 'loadVectors');
  const byteLength = await fileSize(path, 'loadVectors');
  const format = options.format ?? 'auto';
  const glove = format === 'glove' || (format === 'auto' && !(await hasHeader(path)));
  const capacity = glove && options.limit === undefined ? await countLines(path) : undefined;
  return readVectors(fileChunks(path), {
    ...options,
    source: path,
    byteLength,
    ...(capacity === undefined ? {} : { capacity }),
  });
}

/** gensim-style loader: `loadWord2VecFormat(path, { binary: true, limit: 30000 })`. */
export async function loadWord2VecFormat(
  path: string,
  options: LoadWord2VecOptions = {},
): Promise<KeyedVectors> {
  assertKnownOptions(
    options,
    ['binary', 'noHeader', 'limit', 'encoding', 'unicodeErrors', 'maxBytes'],
    'loadWord2VecFormat',
  );
  const { binary, noHeader, ...rest } = options;
  const format: VectorFormat = noHeader ? 'glove' : binary ? 'word2vec-bin' : 'word2vec-txt';
  return loadVectors(path, { ...rest, format });
}

/**
 * Writes vectors atomically (temporary file + fsync + rename): a crash leaves the old file or the new
 * one. Non-finite values and words that cannot be read back (empty, or holding a space or a newline)
 * throw `InvalidArgumentError` before anything is written.
 */
export async function saveVectors(path: string, vectors: KeyedVectors, format: VectorFormat): Promise<void> {
  assertWritable(vectors, 'saveVectors');
  await writeFileAtomic(path, async (append) => {
    for (const chunk of encodeVectors(vectors, format)) await append(chunk);
  });
}

/** gensim-style writer: word2vec text, or binary with `{ binary: true }`. */
export async function saveWord2VecFormat(
  path: string,
  vectors: KeyedVectors,
  options: { binary?: boolean } = {},
): Promise<void> {
  assertKnownOptions(options, ['binary'], 'saveWord2VecFormat');
  await saveVectors(path, vectors, options.binary ? 'word2vec-bin' : 'word2vec-txt');
}

/** A UTF-8 text file (e.g. `questions-words.txt` for `KeyedVectors.evaluateWordAnalogies`). */
export async function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
