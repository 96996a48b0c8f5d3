import { spawnSync } from 'node:child_process';
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

const gensimAvailable =
  spawnSync('/usr/bin/python3', ['-c', 'import gensim'], { encoding: 'utf8' }).status === 0;

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

  it.skipIf(!gensimAvailable)(
    'interoperates with gensim 4: our files load in gensim, gensim files load here, equal vectors',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wl-gensim-'));
      await saveVectors(join(dir, 'ours.bin'), kv, 'word2vec-bin');
      await saveVectors(join(dir, 'ours.txt'), kv, 'word2vec-txt');
      const script = `
import sys, json, numpy as np
from gensim.models import KeyedVectors
d = sys.argv[1]
out = {}
for name, binary in (('ours.bin', True), ('ours.txt', False)):
    kv = KeyedVectors.load_word2vec_format(d + '/' + name, binary=binary)
    out[name] = {'words': list(kv.index_to_key), 'vectors': kv.vectors.astype(float).ravel().tolist()}
kv = KeyedVectors(vector_size=3)
kv.add_vectors(['x', 'y'], np.array([[0.1, -0.2, 0.3], [1e-5, 2.5, -3.75]], dtype=np.float32))
kv.save_word2vec_format(d + '/theirs.bin', binary=True)
kv.save_word2vec_format(d + '/theirs.txt', binary=False)
print(json.dumps(out))`;
      const r = spawnSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const loaded = JSON.parse(r.stdout);
      for (const name of ['ours.bin', 'ours.txt']) {
        expect(loaded[name].words).toEqual(kv.words);
        expect(loaded[name].vectors).toEqual(Array.from(kv.vectors));
      }
      const expected = Array.from(Float32Array.from([0.1, -0.2, 0.3, 1e-5, 2.5, -3.75]));
      for (const name of ['theirs.bin', 'theirs.txt']) {
        const theirs = await loadVectors(join(dir, name));
        expect(theirs.words).toEqual(['x', 'y']);
        expect(Array.from(theirs.vectors)).toEqual(expected);
      }
    },
  );
});
