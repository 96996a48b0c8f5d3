import { WordloomError } from './wordloom-error.js';

const marker = Symbol.for('wordloom.error.locked');

/**
 * Another writer holds the lock of an artifact (a checkpoint folder, a model folder): two writers at
 * once would interleave their generations. Names the lock file and the holder.
 */
export class LockedError extends WordloomError {
  readonly [marker] = true;
  /** The lock file. */
  readonly path: string;
  /** Process id of the holder (0 when unknown). */
  readonly pid: number;
  /** Host name of the holder ('' when unknown). */
  readonly host: string;

  constructor(path: string, pid: number, host: string) {
    super(
      pid > 0
        ? `'${path}' is locked by process ${pid} on ${host}: another save is writing there; wait for it, or delete the lock file if no such process runs`
        : `'${path}' could not be locked: other writers keep taking it`,
    );
    this.name = 'LockedError';
    this.path = path;
    this.pid = pid;
    this.host = host;
  }

  static override isInstance(error: unknown): error is LockedError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
