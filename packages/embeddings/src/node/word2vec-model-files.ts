import { readFile, stat } from 'node:fs/promises';
import { assertNumber, InvalidArgumentError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';
import { Word2Vec } from '../model/word2vec-model.js';
import { assertKnownOptions } from '../validate-options.js';

/**
 * Saves a trainable `Word2Vec` model whole (vocabulary and counts, input and output weights, options)
 * atomically — temporary file, fsync, rename — with a CRC-32 footer that {@link loadWord2Vec} checks.
 */
export async function saveWord2Vec(path: string, model: Word2Vec): Promise<void> {
  if (!(model instanceof Word2Vec))
    throw new InvalidArgumentError('model', 'saveWord2Vec', 'a Word2Vec model (from Word2Vec.train)', model);
  await writeFileAtomic(path, async (append) => {
    for (const chunk of model.toBytes()) await append(chunk);
  });
}

/** Options of {@link loadWord2Vec}. */
export interface LoadWord2VecModelOptions {
  /** Largest file accepted, checked before reading it. @default 4294967296 (4 GiB) */
  maxBytes?: number;
}

/**
 * Loads a model saved by {@link saveWord2Vec}; a corrupt, truncated or inconsistent file throws
 * `ModelFileError` naming it, before anything is built. Continue with `model.train(moreText)`.
 */
export async function loadWord2Vec(path: string, options: LoadWord2VecModelOptions = {}): Promise<Word2Vec> {
  assertKnownOptions(options, ['maxBytes'], 'loadWord2Vec');
  const maxBytes = assertNumber(options.maxBytes ?? 2 ** 32, 'maxBytes', 'loadWord2Vec', { min: 0 });
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InvalidArgumentError('path', 'loadWord2Vec', `a readable model file (${code})`, path);
  }
  if (size > maxBytes)
    throw new InvalidArgumentError(
      'path',
      'loadWord2Vec',
      `a model file of at most maxBytes = ${maxBytes} bytes (it has ${size})`,
      path,
    );
  return Word2Vec.fromBytes(await readFile(path), path);
}
