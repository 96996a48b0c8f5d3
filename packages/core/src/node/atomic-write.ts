import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file that users keep (vectors, checkpoints, indexes) atomically: the bytes go to a temporary
 * file beside the target, are flushed to disk, then renamed over it. A crash or an interrupt leaves
 * either the old file or the new one, never a partial one.
 *
 * `write` receives a function that appends a chunk; it may be called any number of times.
 */
export async function writeFileAtomic(
  path: string,
  write: (append: (chunk: Uint8Array | string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await write(async (chunk) => {
      // writeFile continues at the current position and, unlike write(), never writes only part.
      await handle.writeFile(chunk);
    });
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw error;
  }
}
