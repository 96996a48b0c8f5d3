import { InvalidArgumentError } from '@wordloom/core';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { dtypeOfCode } from './idx-dtype.js';
import { type IdxHeader, parseIdxHeader } from './read-idx.js';

/** Largest output deflate can make from one input byte (RFC 1951: 258-byte matches of 2 bits). */
const DEFLATE_MAX_RATIO = 1032;

/** Default memory budget of the IDX readers, in bytes of decoded file. */
export const DEFAULT_IDX_MAX_BYTES = 2 ** 30;

/**
 * Checks what a header promises before anything of that size is allocated: no more than the memory
 * budget `maxBytes` and, for a gzip file, no more than deflate can produce from `compressedBytes`.
 */
export function checkIdxBudget(
  header: IdxHeader,
  name: string,
  maxBytes: number,
  compressedBytes?: number,
): void {
  const described = `[${header.shape.join(', ')}] ${header.dtype}`;
  if (header.totalBytes > maxBytes)
    throw new InvalidArgumentError(
      'maxBytes',
      'readIdx',
      `at least ${header.totalBytes} to read ${name}, whose header (${described}) needs that many bytes`,
      maxBytes,
    );
  if (compressedBytes !== undefined && header.totalBytes > compressedBytes * DEFLATE_MAX_RATIO + 1024)
    throw new CorruptFileError(
      name,
      `its header (${described}) promises ${header.totalBytes} bytes, more than gzip can expand ${compressedBytes} compressed bytes to`,
      { expected: `<= ${compressedBytes * DEFLATE_MAX_RATIO + 1024}`, actual: header.totalBytes },
    );
}

/**
 * Collects the output of a gzip stream into exactly the buffer the IDX header promises: the header is
 * read from the first bytes, checked against the budget, then one buffer of its `totalBytes` is
 * allocated and filled. Output beyond it stops the stream at once (a gzip bomb costs no more than the
 * header claimed); a stream that ends short is reported by both sizes. Never returns partial data.
 */
export class IdxInflateSink {
  private head = new Uint8Array(4 + 4 * 255);
  private headLength = 0;
  private header: IdxHeader | null = null;
  private out: Uint8Array | null = null;
  private filled = 0;
  /** Set when {@link push} refused output: the stream must be stopped, and this error reported. */
  refused: unknown = undefined;

  constructor(
    private readonly name: string,
    private readonly maxBytes: number,
    private readonly compressedBytes: number,
  ) {}

  /** Takes the next chunk of decompressed output; throws (and sets {@link refused}) when it must stop. */
  push(chunk: Uint8Array): void {
    try {
      this.take(chunk);
    } catch (error) {
      this.refused = error;
      throw error;
    }
  }

  private take(chunk: Uint8Array): void {
    let offset = 0;
    if (this.out === null) {
      const need = this.headLength < 4 ? 4 : 4 + 4 * this.head[3];
      const n = Math.min(need - this.headLength, chunk.length);
      this.head.set(chunk.subarray(0, n), this.headLength);
      this.headLength += n;
      offset = n;
      const h = this.head;
      if (this.headLength === 4 && (h[0] !== 0 || h[1] !== 0 || dtypeOfCode(h[2]) === undefined))
        parseIdxHeader(h.subarray(0, 4), this.name); // throws the wrong-magic error
      if (this.headLength >= 4 && this.headLength === 4 + 4 * this.head[3]) {
        const header = parseIdxHeader(this.head.subarray(0, this.headLength), this.name);
        checkIdxBudget(header, this.name, this.maxBytes, this.compressedBytes);
        this.header = header;
        this.out = new Uint8Array(header.totalBytes);
        this.out.set(this.head.subarray(0, this.headLength));
        this.filled = this.headLength;
      }
      if (offset < chunk.length) this.take(chunk.subarray(offset));
      return;
    }
    const header = this.header as IdxHeader;
    if (this.filled + chunk.length > header.totalBytes) {
      throw new CorruptFileError(
        this.name,
        `has trailing data: its header ([${header.shape.join(', ')}] ${header.dtype}) needs ${header.totalBytes} bytes, the gzip stream holds more`,
        { expected: header.totalBytes, actual: `> ${header.totalBytes}` },
      );
    }
    this.out.set(chunk, this.filled);
    this.filled += chunk.length;
  }

  /**
   * The complete file, or — when the stream broke (`error`) or ended short — a {@link CorruptFileError}
   * saying which, by the sizes.
   */
  finish(error?: unknown): Uint8Array {
    if (this.refused !== undefined) throw this.refused;
    const header = this.header;
    if (header === null) {
      if (error !== undefined)
        throw new CorruptFileError(this.name, `is not valid gzip data (${messageOf(error)})`, {
          cause: error,
        });
      parseIdxHeader(this.head.subarray(0, this.headLength), this.name); // throws: too short for a header
      throw new CorruptFileError(this.name, 'is truncated inside its header'); // (unreachable: parse throws)
    }
    if (this.filled < header.totalBytes) {
      throw new CorruptFileError(
        this.name,
        `is truncated: its header ([${header.shape.join(', ')}] ${header.dtype}) needs ${header.totalBytes} bytes, the gzip stream holds ${this.filled}`,
        { expected: header.totalBytes, actual: this.filled },
      );
    }
    if (error !== undefined)
      // The payload came out whole but the gzip trailer (checksum, length) is broken.
      throw new CorruptFileError(this.name, `has a corrupt gzip trailer (${messageOf(error)})`, {
        cause: error,
      });
    return this.out as Uint8Array;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
