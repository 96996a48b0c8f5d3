import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@wordloom/core/node';
import { readVectors, type VectorFormat } from '../io/read-vectors.js';
import { encodeVectors } from '../io/write-vectors.js';
import type { KeyedVectors } from '../keyed-vectors.js';

/** Options of {@link loadVectors}. */
export interface LoadVectorsOptions {
  /** File layout; `'auto'` detects word2vec binary, word2vec text or GloVe. @default 'auto' */
  format?: VectorFormat | 'auto';
  /** Read only the first `limit` vectors (the rest of the file is never read). @default all */
  limit?: number;
}

/** Options of {@link loadWord2VecFormat} (gensim's `load_word2vec_format` names). */
export interface LoadWord2VecOptions {
  /** Binary word2vec file. @default false */
  binary?: boolean;
  /** The file has no `N D` header (GloVe text). @default false */
  noHeader?: boolean;
  /** Read only the first `limit` vectors. @default all */
  limit?: number;
}

/**
 * Streams a vectors file from disk (constant memory apart from the vectors kept); see `readVectors` for
 * the formats and errors.
 */
export async function loadVectors(path: string, options: LoadVectorsOptions = {}): Promise<KeyedVectors> {
  return readVectors(createReadStream(path, { highWaterMark: 1 << 20 }), { ...options, source: path });
}

/** gensim-style loader: `loadWord2VecFormat(path, { binary: true, limit: 30000 })`. */
export async function loadWord2VecFormat(
  path: string,
  options: LoadWord2VecOptions = {},
): Promise<KeyedVectors> {
  const format: VectorFormat = options.noHeader ? 'glove' : options.binary ? 'word2vec-bin' : 'word2vec-txt';
  return loadVectors(path, { format, limit: options.limit });
}

/** Writes vectors atomically (temporary file + rename): a crash leaves the old file or the new one. */
export async function saveVectors(path: string, vectors: KeyedVectors, format: VectorFormat): Promise<void> {
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
  await saveVectors(path, vectors, options.binary ? 'word2vec-bin' : 'word2vec-txt');
}

/** A UTF-8 text file (e.g. `questions-words.txt` for `KeyedVectors.evaluateWordAnalogies`). */
export async function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
