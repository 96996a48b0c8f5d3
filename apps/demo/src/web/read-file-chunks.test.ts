import { describe, expect, it } from 'vitest';
import { formatBytes, readFileChunks } from './read-file-chunks.js';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const c of chunks) out.push(...c);
  return out;
}

describe('readFileChunks', () => {
  it('streams the bytes of a file and reports the running count', async () => {
    const file = new File([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])], 'v.bin');
    const seen: number[] = [];
    expect(await collect(readFileChunks(file, 10, (read) => seen.push(read)))).toEqual([1, 2, 3, 4, 5]);
    expect(seen.at(-1)).toBe(5);
  });

  it('refuses a file over the cap before reading it, naming the file and both sizes', async () => {
    const file = new File([new Uint8Array(2500)], 'huge.txt');
    await expect(collect(readFileChunks(file, 2000))).rejects.toThrow(
      'huge.txt is 2.5 kB; the page reads files of at most 2.0 kB',
    );
  });

  it('stops when asked', async () => {
    const file = new File([new Uint8Array(10)], 'v.bin');
    await expect(collect(readFileChunks(file, 100, undefined, () => true))).rejects.toThrow('stopped');
  });

  it('formats sizes in decimal units', () => {
    expect([999, 1000, 41_000, 1_000_000_000].map(formatBytes)).toEqual([
      '999 bytes',
      '1.0 kB',
      '41 kB',
      '1.0 GB',
    ]);
  });
});
