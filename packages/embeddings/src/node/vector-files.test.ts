import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyedVectors } from '../keyed-vectors.js';
import {
  loadVectors,
  loadWord2VecFormat,
  readTextFile,
  saveVectors,
  saveWord2VecFormat,
} from './vector-files.js';

const kv = new KeyedVectors(
  ['alpha', 'beta', 'gamma'],
  Float32Array.from([0.5, -1.25, 2, 1e-3, 3.25, -7, 0, 0.1, 42]),
  3,
);

describe('vector files on disk', () => {
  it('saves atomically and loads back all three formats, with limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-vec-'));
    for (const format of ['word2vec-bin', 'word2vec-txt', 'glove'] as const) {
      const path = join(dir, `v.${format}`);
      await saveVectors(path, kv, format);
      const back = await loadVectors(path);
      expect(back.words).toEqual(kv.words);
      expect(Array.from(back.vectors)).toEqual(Array.from(kv.vectors));
      expect((await loadVectors(path, { limit: 1 })).words).toEqual(['alpha']);
    }
    await saveWord2VecFormat(join(dir, 'g.bin'), kv, { binary: true });
    expect((await loadWord2VecFormat(join(dir, 'g.bin'), { binary: true, limit: 2 })).words).toEqual([
      'alpha',
      'beta',
    ]);
    expect((await loadWord2VecFormat(join(dir, 'v.glove'), { noHeader: true })).size).toBe(3);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the file and line of a malformed vector', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-vec-'));
    const path = join(dir, 'bad.txt');
    await writeFile(path, '2 2\na 1 2\nb 1 oops\n');
    await expect(loadVectors(path)).rejects.toThrow(`${path}:3: value 2 of "b" is not a finite number`);
    expect(await readTextFile(path)).toContain('oops');
  });
});
