import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('writes all chunks and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-atomic-'));
    const path = join(dir, 'vectors.txt');
    await writeFileAtomic(path, async (append) => {
      await append('2 3\n');
      await append(new TextEncoder().encode('a 1 2 3\n'));
    });
    expect(await readFile(path, 'utf8')).toBe('2 3\na 1 2 3\n');
    expect(await readdir(dir)).toEqual(['vectors.txt']);
  });

  it('keeps the old file intact when writing fails midway', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-atomic-'));
    const path = join(dir, 'index.bin');
    await writeFile(path, 'old');
    await expect(
      writeFileAtomic(path, async (append) => {
        await append('partial');
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['index.bin']);
  });
});
