import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@wordloom/core/node';
import { SearchIndex } from '../search/search-index.js';
import { Vocabulary } from '../vocabulary.js';

/**
 * Node-only file I/O of `@wordloom/text-vsm` (the main entry stays browser-safe).
 * @packageDocumentation
 */

/**
 * Writes `index` to `path` as one file, atomically (temporary file, fsync, rename): an interrupted save
 * leaves the previous file intact. Read it back with {@link loadSearchIndex}.
 */
export async function saveSearchIndex(index: SearchIndex, path: string): Promise<void> {
  const bytes = index.serialize();
  await writeFileAtomic(path, async (append) => {
    await append(bytes);
  });
}

/** Reads a file written by {@link saveSearchIndex}. */
export async function loadSearchIndex(path: string): Promise<SearchIndex> {
  const buffer = await readFile(path);
  return SearchIndex.load(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
}

/** Writes `vocabulary` as JSON to `path`, atomically. */
export async function saveVocabulary(vocabulary: Vocabulary, path: string): Promise<void> {
  const text = JSON.stringify(vocabulary);
  await writeFileAtomic(path, async (append) => {
    await append(text);
  });
}

/** Reads a vocabulary written by {@link saveVocabulary}. */
export async function loadVocabulary(path: string): Promise<Vocabulary> {
  return Vocabulary.fromJSON(await readFile(path, 'utf8'));
}
