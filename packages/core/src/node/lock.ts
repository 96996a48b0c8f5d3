import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { LockedError } from '../errors/locked-error.js';
import { isProcessAlive, syncDirectory } from './atomic-write.js';

/** What a lock file holds. */
interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

/** A breaker file older than this was left by a process killed while breaking a stale lock. */
const BREAKER_STALE_MS = 10_000;

/**
 * Takes an exclusive writer lock: creates `path` with `O_EXCL` holding `{pid, host, since}`, so a
 * second writer (another process, or a second save of this one) gets a {@link LockedError} instead of
 * interleaving its files with ours. A lock left by a killed process on this machine (its pid no longer
 * runs) is taken over; a lock from another host cannot be checked and is reported, naming the file.
 *
 * @returns a function that releases the lock.
 */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
  const mine: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(path, mine)) {
      return async () => {
        await rm(path, { force: true });
      };
    }
    const holder = await readLock(path);
    if (holder === 'missing') continue; // released meanwhile: try again
    if (holder !== 'unreadable' && (holder.host !== mine.host || isProcessAlive(holder.pid)))
      throw new LockedError(path, holder.pid, holder.host);
    // Dead holder (or a lock file torn by a kill between create and write): break it under a breaker
    // file, so that of two processes finding the same stale lock only one removes it — the other would
    // otherwise remove the fresh lock the first one just created.
    await breakStale(path, holder);
  }
  throw new LockedError(path, 0, '');
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(info));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(path));
  return true;
}

async function readLock(path: string): Promise<LockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (Number.isSafeInteger(info.pid) && typeof info.host === 'string') return info;
  } catch {
    // torn write
  }
  // A lock torn by a kill is empty or partial; one being written right now is too, for a moment.
  const age = Date.now() - ((await stat(path).catch(() => null))?.mtimeMs ?? 0);
  return age > 2000 ? 'unreadable' : { pid: process.pid, host: hostname(), since: '' };
}

async function breakStale(path: string, seen: LockInfo | 'unreadable'): Promise<void> {
  const breaker = `${path}.break`;
  const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  if (!(await tryCreate(breaker, info))) {
    const age = Date.now() - ((await stat(breaker).catch(() => null))?.mtimeMs ?? Date.now());
    if (age > BREAKER_STALE_MS) await rm(breaker, { force: true });
    else await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const now = await readLock(path);
    const same =
      now === 'unreadable'
        ? seen === 'unreadable'
        : now !== 'missing' && seen !== 'unreadable' && now.pid === seen.pid && now.since === seen.since;
    if (same) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}
