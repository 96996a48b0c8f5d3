import { WordloomError } from './wordloom-error.js';

const marker = Symbol.for('wordloom.error.corrupt-artifact');

/**
 * A saved artifact (a checkpoint, a model folder, one of its files) fails verification: a size or hash
 * differs from its manifest, a field is missing or out of range. Loaders throw it instead of returning
 * anything partial or silently different. Names the file.
 */
export class CorruptArtifactError extends WordloomError {
  readonly [marker] = true;
  /** The file at fault. */
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'CorruptArtifactError';
    this.file = file;
  }

  static override isInstance(error: unknown): error is CorruptArtifactError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
