import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { writeFileAtomic } from '@wordloom/core/node';
import type { FilePath } from './node-files.js';
import { pathOf } from './node-files.js';
import { encodeIdx, type IdxInput } from './write-idx.js';

const gzipAsync = promisify(gzip);

/** Options of {@link writeIdx}. */
export interface WriteIdxOptions {
  /**
   * Compress with gzip.
   * @default true when the path ends in `.gz`
   */
  gzip?: boolean;
}

/**
 * Writes an array as an IDX file (Node only), atomically: a temporary file renamed into place, so an
 * interrupted write never leaves a partial file. Round-trips exactly through {@link readIdx}.
 */
export async function writeIdx(
  file: FilePath,
  array: IdxInput,
  options: WriteIdxOptions = {},
): Promise<void> {
  const path = pathOf(file);
  const raw = encodeIdx(array, 'writeIdx');
  const bytes = (options.gzip ?? path.endsWith('.gz')) ? await gzipAsync(raw) : raw;
  await writeFileAtomic(path, async (append) => append(bytes));
}
