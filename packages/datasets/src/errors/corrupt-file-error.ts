import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.corrupt-file');

/**
 * A data file is truncated, has the wrong magic number or does not match its own header or checksum.
 * Readers throw it instead of returning partial data.
 */
export class CorruptFileError extends WordloomError {
  readonly [marker] = true;
  /** The file (path, URL or a caller-given name such as `'<bytes>'`). */
  readonly file: string;
  /** What the file should have been (a size in bytes, a magic number, a checksum), when known. */
  readonly expected: string | number | undefined;
  /** What it was. */
  readonly actual: string | number | undefined;

  constructor(
    file: string,
    message: string,
    details: { expected?: string | number; actual?: string | number; cause?: unknown } = {},
  ) {
    super(`${file}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CorruptFileError';
    this.file = file;
    this.expected = details.expected;
    this.actual = details.actual;
  }

  static override isInstance(error: unknown): error is CorruptFileError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
