import { open, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { constants, gunzip } from 'node:zlib';
import { UnavailableError } from '@wordloom/core';

const gunzipAsync = promisify(gunzip);

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
 * Gunzips with Node's zlib (on the thread pool). When the input is truncated or corrupt, returns what
 * could be recovered together with the error, so the caller can report the sizes.
 */
export async function gunzipNode(bytes: Uint8Array): Promise<{ data: Uint8Array; error?: unknown }> {
  try {
    return { data: await gunzipAsync(bytes) };
  } catch (error) {
    let data: Uint8Array = new Uint8Array(0);
    try {
      // Z_SYNC_FLUSH makes zlib hand back everything it decoded instead of failing at the end.
      data = await gunzipAsync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // Corrupt in the middle: nothing recoverable; the first error says why.
    }
    return { data, error };
  }
}
