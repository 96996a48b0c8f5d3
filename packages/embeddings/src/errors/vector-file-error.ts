import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.vector-file');

/**
 * A vectors file (word2vec binary/text, GloVe text) is malformed. `line` is the 1-based line of the
 * offending record (for binary files: the record number + 1, counting the header as line 1).
 */
export class VectorFileError extends WordloomError {
  readonly [marker] = true;
  /** File name or `'<input>'`. */
  readonly source: string;
  /** 1-based line (record) where the problem was found. */
  readonly line: number;

  constructor(source: string, line: number, problem: string) {
    super(`${source}:${line}: ${problem}`);
    this.name = 'VectorFileError';
    this.source = source;
    this.line = line;
  }

  static override isInstance(error: unknown): error is VectorFileError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
