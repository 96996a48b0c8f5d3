import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Streams a corpus file as sentences: one sentence per line, tokens split on whitespace, empty lines
 * skipped. Each call of `[Symbol.asyncIterator]` re-reads the file, so trainers can make several passes.
 */
export function fileSentences(path: string, options: { lowercase?: boolean } = {}): AsyncIterable<string[]> {
  return {
    async *[Symbol.asyncIterator]() {
      const lines = createInterface({
        input: createReadStream(path, { highWaterMark: 1 << 20 }),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      for await (const line of lines) {
        const text = options.lowercase ? line.toLowerCase() : line;
        const tokens = text.split(/\s+/).filter((t) => t !== '');
        if (tokens.length > 0) yield tokens;
      }
    },
  };
}
