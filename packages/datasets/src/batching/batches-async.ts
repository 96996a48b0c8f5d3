import { assertInteger, Random } from '@wordloom/core';

/** Options of {@link batchesAsync}. */
export interface BatchesAsyncOptions {
  /**
   * Drop the last batch when it is smaller than `size`.
   * @default false
   */
  dropLast?: boolean;
  /**
   * Shuffle through a buffer of this many items (like `tf.data`'s `shuffle(bufferSize)`): each output
   * item is drawn at random from the buffer, which is refilled from the stream. Memory stays bounded
   * by the buffer; 0 keeps the stream's order.
   * @default 0
   */
  shuffleBuffer?: number;
  /**
   * Seed of the buffer shuffle; the same seed and input give the same batches.
   * @default 0
   */
  seed?: number;
  /**
   * Stops the iteration (throwing the signal's reason) when aborted.
   * @default undefined (never aborted)
   */
  signal?: AbortSignal;
}

/**
 * Groups a stream of examples (an async or sync iterable — e.g. `readSentences`) into arrays of `size`,
 * optionally through a seeded shuffle buffer. The async form of {@link batches}, for data that does not
 * fit in memory.
 */
export async function* batchesAsync<T>(
  source: AsyncIterable<T> | Iterable<T>,
  size: number,
  options: BatchesAsyncOptions = {},
): AsyncGenerator<T[], void, undefined> {
  assertInteger(size, 'size', 'batchesAsync', 1);
  const { dropLast = false, shuffleBuffer = 0, seed = 0, signal } = options;
  assertInteger(shuffleBuffer, 'shuffleBuffer', 'batchesAsync', 0);
  const random = new Random(seed);
  const buffer: T[] = [];
  let batch: T[] = [];
  const take = (item: T): T[] | undefined => {
    batch.push(item);
    if (batch.length < size) return undefined;
    const full = batch;
    batch = [];
    return full;
  };
  // Swap-remove a random buffered item: O(1) per item.
  const draw = (): T => {
    const j = random.int(buffer.length);
    const item = buffer[j];
    buffer[j] = buffer[buffer.length - 1];
    buffer.pop();
    return item;
  };
  for await (const item of source) {
    signal?.throwIfAborted();
    let out: T[] | undefined;
    if (shuffleBuffer === 0) out = take(item);
    else {
      buffer.push(item);
      if (buffer.length > shuffleBuffer) out = take(draw());
    }
    if (out) yield out;
  }
  while (buffer.length > 0) {
    const out = take(draw());
    if (out) yield out;
  }
  if (batch.length > 0 && !dropLast) yield batch;
}
