/**
 * Pulls bytes from an async stream of chunks on demand, keeping only the unread part in memory, so
 * vector files of any size are parsed in constant memory (plus the vectors kept).
 */
export class ByteReader {
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private done = false;
  private consumed = 0;
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    const it = chunks as AsyncIterable<Uint8Array> & Iterable<Uint8Array>;
    this.iterator =
      typeof it[Symbol.asyncIterator] === 'function'
        ? it[Symbol.asyncIterator]()
        : (it[Symbol.iterator]() as unknown as AsyncIterator<Uint8Array>);
  }

  /** Bytes consumed so far: the stream offset of the read position. */
  get offset(): number {
    return this.consumed;
  }

  /** Unread bytes currently buffered. */
  get available(): number {
    return this.end - this.start;
  }

  /** Buffers at least `n` bytes unless the stream ends first; returns how many are buffered. */
  async ensure(n: number): Promise<number> {
    while (this.end - this.start < n && !this.done) {
      const { value, done } = await this.iterator.next();
      if (done) {
        this.done = true;
        break;
      }
      this.append(value);
    }
    return this.end - this.start;
  }

  /** Byte at offset `i` from the read position (after {@link ensure}). */
  peek(i: number): number {
    return this.buffer[this.start + i];
  }

  /** The next `n` buffered bytes (a view, valid until the next read), advancing past them. */
  take(n: number): Uint8Array {
    const view = this.buffer.subarray(this.start, this.start + n);
    this.start += n;
    this.consumed += n;
    return view;
  }

  /**
   * The bytes up to (excluding) the next `delimiter`, advancing past the delimiter; at end of stream
   * the rest (or null when nothing is left). When no delimiter comes within `maxLength` bytes, returns
   * `undefined` without consuming anything (so a file without delimiters is never buffered whole).
   */
  async until(
    delimiter: number,
    maxLength = Number.POSITIVE_INFINITY,
  ): Promise<Uint8Array | null | undefined> {
    let scanned = 0;
    for (;;) {
      const at = this.buffer.subarray(this.start + scanned, this.end).indexOf(delimiter);
      if (at >= 0) {
        if (scanned + at > maxLength) return undefined;
        const view = this.buffer.subarray(this.start, this.start + scanned + at);
        this.start += scanned + at + 1;
        this.consumed += scanned + at + 1;
        return view;
      }
      scanned = this.end - this.start;
      if (scanned > maxLength) return undefined;
      if ((await this.ensure(scanned + 1)) <= scanned) {
        if (scanned === 0) return null;
        return this.take(scanned);
      }
    }
  }

  /** Stops the underlying stream (e.g. after `limit` vectors). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
  }

  private append(chunk: Uint8Array): void {
    const live = this.end - this.start;
    if (this.end + chunk.length > this.buffer.length) {
      const need = live + chunk.length;
      if (need <= this.buffer.length) {
        // Room enough once the consumed bytes are dropped: compact instead of growing, so the buffer
        // stays about one chunk plus the longest record (it used to double on every refill).
        this.buffer.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(Math.max(need, this.buffer.length * 2, 1 << 16));
        next.set(this.buffer.subarray(this.start, this.end), 0);
        this.buffer = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }
}
