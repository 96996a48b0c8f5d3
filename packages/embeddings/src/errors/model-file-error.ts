import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.model-file');

/** A saved `Word2Vec` model is truncated, corrupt (checksum mismatch) or inconsistent; `source` names it. */
export class ModelFileError extends WordloomError {
  readonly [marker] = true;
  /** File name or `'<bytes>'`. */
  readonly source: string;

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.name = 'ModelFileError';
    this.source = source;
  }

  static override isInstance(error: unknown): error is ModelFileError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
