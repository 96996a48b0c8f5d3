import { InvalidArgumentError } from '@wordloom/core';

/** Bytes in a WebAssembly page. */
const PAGE = 65536;
/** Pages of wasm32's 4 GiB: the maximum of a shared memory (and of the kernels' shared import). */
const MAX_PAGES = 65536;
/** The smallest step of {@link GrowableMemory.ensureRoom} (the scan grows its tokens by it). */
const STEP = 16 * PAGE;

/**
 * Bytes that grow in place by whole 64 KiB pages: a `WebAssembly.Memory` (shared between threads with
 * `shared`), or, where this runtime has no WebAssembly, an ArrayBuffer copied when it grows. The counting
 * puts its scratch arrays here and GloVe its state after them, so nothing large lives in the JS heap
 * waiting for a collection: a page costs resident memory only once written, and every page the counting
 * wrote is written again by the training (see `trainGloveOnCorpus`). Views of an unshared memory detach
 * when it grows: make them again from {@link buffer} after {@link ensure}.
 */
export class GrowableMemory {
  /** The WebAssembly memory (null: the ArrayBuffer fallback). */
  readonly memory: WebAssembly.Memory | null;
  private plain: ArrayBuffer | null;

  private constructor(memory: WebAssembly.Memory | null) {
    this.memory = memory;
    this.plain = memory ? null : new ArrayBuffer(0);
  }

  /**
   * An empty memory: shared (`maximum` 4 GiB, as a shared memory must declare one) with `shared`, null
   * when the runtime refuses that (no shared memory outside a cross-origin-isolated page); else an
   * unshared WebAssembly memory, or an ArrayBuffer where WebAssembly is missing.
   */
  static create(shared: boolean): GrowableMemory | null {
    if (typeof WebAssembly !== 'object') return shared ? null : new GrowableMemory(null);
    try {
      return new GrowableMemory(
        new WebAssembly.Memory(shared ? { initial: 0, maximum: MAX_PAGES, shared } : { initial: 0 }),
      );
    } catch {
      return shared ? null : new GrowableMemory(null);
    }
  }

  /** The bytes (a new object after each growth; views of an unshared one's old buffer are detached). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.memory ? this.memory.buffer : (this.plain as ArrayBuffer);
  }

  /** Bytes so far (a whole number of pages). */
  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /**
   * Grows to exactly the pages that hold `bytes` (no-op when they are there already); `fn` names the
   * caller in the error thrown beyond 4 GiB (wasm32's limit) or when the runtime refuses the pages.
   */
  ensure(bytes: number, fn: string): void {
    const have = this.byteLength / PAGE;
    const pages = Math.ceil(bytes / PAGE);
    if (pages <= have) return;
    const refuse = () =>
      new InvalidArgumentError(
        'corpus',
        fn,
        `a corpus whose counts fit in 4 GiB of WebAssembly memory (${bytes} bytes needed)`,
      );
    if (!this.memory) {
      const grown = new ArrayBuffer(pages * PAGE);
      new Uint8Array(grown).set(new Uint8Array(this.plain as ArrayBuffer));
      this.plain = grown;
      return;
    }
    if (pages > MAX_PAGES) throw refuse();
    try {
      this.memory.grow(pages - have);
    } catch {
      throw refuse();
    }
  }

  /**
   * {@link ensure} for an array growing by small amounts: at least 1 MiB more in place (untouched pages
   * cost nothing), at least double where growing copies (the ArrayBuffer fallback).
   */
  ensureRoom(bytes: number, fn: string): void {
    const have = this.byteLength;
    if (bytes <= have) return;
    this.ensure(Math.max(bytes, this.memory ? have + STEP : 2 * have), fn);
  }
}
