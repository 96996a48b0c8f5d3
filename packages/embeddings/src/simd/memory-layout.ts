/** Bytes in a WebAssembly page. */
const PAGE = 65536;
/** Most pages a wasm32 memory can have (4 GiB), the maximum the shared build of the kernels imports. */
const MAX_PAGES = 65536;

/**
 * Places the trainers' arrays in one WebAssembly memory: offsets are handed out first ({@link take}),
 * then the memory is created at exactly the size needed ({@link create}) and the arrays are views of it.
 * Every block starts on a 64-byte line, so vector rows never straddle one.
 */
export class MemoryLayout {
  private bytes = 0;

  /** Reserves `bytes` and returns their byte offset. */
  take(bytes: number): number {
    const at = Math.ceil(this.bytes / 64) * 64;
    this.bytes = at + bytes;
    return at;
  }

  /** Bytes reserved so far. */
  get size(): number {
    return this.bytes;
  }

  /**
   * The memory (fixed size: `initial` = `maximum`, so views never detach), shared between threads with
   * `shared`; null when the layout exceeds the 4 GiB of wasm32 or this runtime refuses the memory (no
   * shared memory outside a cross-origin-isolated page, say).
   */
  create(shared: boolean): WebAssembly.Memory | null {
    const pages = Math.max(1, Math.ceil(this.bytes / PAGE));
    if (pages > MAX_PAGES) return null;
    try {
      return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
    } catch {
      return null;
    }
  }
}
