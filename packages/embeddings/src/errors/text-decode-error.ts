import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.text-decode');

/**
 * A text file (a corpus) holds bytes that are not valid in its encoding, read with
 * `unicodeErrors: 'strict'` (gensim's default). `offset` is the 0-based byte offset of the first
 * refused byte in the file.
 */
export class TextDecodeError extends WordloomError {
  readonly [marker] = true;
  /** File name or `'<input>'`. */
  readonly source: string;
  /** 0-based byte offset of the refused byte. */
  readonly offset: number;
  /** The refused byte's value. */
  readonly byte: number;

  constructor(source: string, offset: number, byte: number, encoding: string) {
    super(
      `${source}: byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()} at offset ${offset} is not valid ${encoding} ` +
        `(read the file with encoding 'latin1', or unicodeErrors 'replace' or 'ignore')`,
    );
    this.name = 'TextDecodeError';
    this.source = source;
    this.offset = offset;
    this.byte = byte;
  }

  static override isInstance(error: unknown): error is TextDecodeError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
