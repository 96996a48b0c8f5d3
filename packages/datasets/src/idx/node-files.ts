import { open, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { UnavailableError } from '@wordloom/core';

/** A file path or `file:` URL. */
export type FilePath = string | URL;

/** The path of a string or `file:` URL, for fs calls and messages. */
export function pathOf(file: FilePath): string {
  return typeof file === 'string' ? file : fileURLToPath(file);
}

/** Reads a whole file; a missing or unreadable file becomes an {@link UnavailableError} naming it. */
export async function readFileOrThrow(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
}

/** Opens a file for reading; failures become an {@link UnavailableError} naming it. */
export async function openOrThrow(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
}

/** One-line error for a file that cannot be read (missing, a directory, no permission). */
export function fileError(path: string, error: unknown): UnavailableError {
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : error instanceof Error
            ? error.message
            : String(error);
  return new UnavailableError(path, `cannot read ${path}: ${reason}`, { cause: error });
}

/**
 * Gunzips with Node's zlib, streaming the output into `sink` (which stops the stream by throwing), and
 * returns the error that broke the stream midway (truncated or corrupt input), if any.
 */
export async function gunzipNodeInto(
  bytes: Uint8Array,
  sink: { push(chunk: Uint8Array): void },
): Promise<unknown> {
  const gunzip = createGunzip();
  gunzip.end(bytes);
  try {
    for await (const chunk of gunzip) sink.push(chunk as Uint8Array);
    return undefined;
  } catch (error) {
    gunzip.destroy();
    return error;
  }
}
