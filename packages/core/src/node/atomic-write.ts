import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Our temp names: `.<target>.<8 hex digits of the writer's pid><12 random hex digits>.tmp`. Round-1
 * writers used 12 random hex digits and no pid; those are recognised too.
 */
const TEMP = /^\.(.+)\.([0-9a-f]{20}|[0-9a-f]{12})\.tmp$/;

/**
 * A temp whose writer's pid cannot be checked (round-1 names, or a pid reused by another process) is
 * swept only when nothing wrote to it for this long: no live writer pauses that long between chunks.
 */
const UNCHECKABLE_STALE_MS = 24 * 60 * 60 * 1000;

/**
 * Writes a file that users keep (vectors, checkpoints, indexes) atomically: the bytes go to a temporary
 * file beside the target (`.<name>.<hex>.tmp`), are fsynced, renamed over the target, and the directory
 * is fsynced so the rename itself survives a power cut (rename alone is atomic but not durable). A crash
 * or an interrupt leaves either the old file or the new one, never a partial one.
 *
 * Before writing, temps of our own naming left in the same folder by a killed writer are removed: a temp
 * is ours when its name matches the pattern above, and stale when the writer's pid (encoded in the name)
 * is no longer running — a dead writer can never finish it, while a live one (another process, or a
 * concurrent write of this one) may still rename it. Names without a pid, or whose pid is alive but the
 * file untouched for 24 h (pid reuse), are swept by age. Nothing else in the folder is touched.
 *
 * `write` receives a function that appends a chunk; it may be called any number of times.
 */
export async function writeFileAtomic(
  path: string,
  write: (append: (chunk: Uint8Array | string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const dir = dirname(path);
  await sweepStaleTemps(dir);
  const tag = process.pid.toString(16).padStart(8, '0').slice(-8) + randomBytes(6).toString('hex');
  const tmp = join(dir, `.${basename(path)}.${tag}.tmp`);
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
  await syncDirectory(dir);
}

/**
 * fsyncs a directory so that entries created, renamed or removed in it are on disk. Windows cannot open
 * a directory for fsync (and its rename is journaled by NTFS), so there it is a no-op.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** True when a process with this pid runs on this machine (EPERM: it runs as another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temps of our naming in `dir` whose writer is dead (see {@link writeFileAtomic}).
 * @returns the names removed.
 */
export async function sweepStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // a missing folder: open() below reports it
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const pid = m[2].length === 20 ? Number.parseInt(m[2].slice(0, 8), 16) : 0;
    let stale = pid > 0 && !isProcessAlive(pid);
    if (!stale) {
      const info = await stat(path).catch(() => null);
      stale = info?.isFile() === true && now - (info?.mtimeMs ?? now) > UNCHECKABLE_STALE_MS;
    }
    if (stale) {
      await rm(path, { force: true });
      removed.push(name);
    }
  }
  return removed;
}
