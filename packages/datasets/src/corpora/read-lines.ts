import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { type FilePath, fileError, pathOf } from '../idx/node-files.js';
import type { SentenceOptions } from './sentences.js';
import { type LinesOptions, splitLines, splitSentences, type TextStreamOptions } from './text-stream.js';

/** Options of {@link readLines} and {@link readSentences}. */
export interface ReadTextOptions extends TextStreamOptions {
  /**
   * Bytes read per chunk; memory use is about this plus the longest line or sentence.
   * @default 65536
   */
  chunkSize?: number;
  /**
   * Decompress the file with gzip while reading.
   * @default true when the path ends in `.gz`
   */
  gzip?: boolean;
}

/** Options of {@link readLines}. */
export interface ReadLinesOptions extends ReadTextOptions, LinesOptions {}

/**
 * The lines of a text file of any size (optionally gzip-compressed), streamed in constant memory
 * (Node only; `linesOf` does the same for a web stream). Line ends `\n` and `\r\n` are removed; a final
 * line without a line end is included. A missing file throws `UnavailableError` naming it.
 */
export function readLines(file: FilePath, options: ReadLinesOptions = {}): AsyncGenerator<string> {
  return splitLines(fileChunks(file, options), options, 'readLines', pathOf(file));
}

/**
 * The sentences of a text file of any size as token arrays (the rules of `tokenizeSentences`), streamed
 * in constant memory (Node only; `sentencesOf` does the same for a web stream).
 */
export function readSentences(
  file: FilePath,
  options: ReadTextOptions & SentenceOptions = {},
): AsyncGenerator<string[]> {
  return splitSentences(fileChunks(file, options), options, 'readSentences', pathOf(file));
}

async function* fileChunks(file: FilePath, options: ReadTextOptions): AsyncGenerator<Uint8Array> {
  const { chunkSize = 65536, signal } = options;
  const path = pathOf(file);
  const gzip = options.gzip ?? path.endsWith('.gz');
  signal?.throwIfAborted();
  const input = createReadStream(path, { highWaterMark: chunkSize, signal });
  const stream = gzip ? input.pipe(createGunzip()) : input;
  if (gzip) input.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if ((error as { code?: string }).code?.startsWith('Z_')) {
      throw new CorruptFileError(path, `is not valid gzip data (${(error as Error).message})`, {
        cause: error,
      });
    }
    throw fileError(path, error);
  } finally {
    input.destroy();
    stream.destroy();
  }
}
