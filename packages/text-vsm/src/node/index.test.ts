import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SearchIndex } from '../search/search-index.js';
import { Vocabulary } from '../vocabulary.js';
import { loadSearchIndex, loadVocabulary, saveSearchIndex, saveVocabulary } from './index.js';

const dir = await mkdtemp(join(tmpdir(), 'text-vsm-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('node file I/O', () => {
  it('saves a search index to one file atomically and loads it back identical', async () => {
    const index = new SearchIndex();
    for (const text of ['the dog chased the cat', 'the cat was chased down by the dog', '']) index.add(text);
    index.delete(2);
    const path = join(dir, 'index.wlsi');
    await saveSearchIndex(index, path);
    await saveSearchIndex(index, path); // overwriting goes through a temporary file too
    expect(await readdir(dir)).toEqual(['index.wlsi']);
    const back = await loadSearchIndex(path);
    expect(back.serialize()).toEqual(index.serialize());
    expect(back.search('dog cat', { scoring: 'lucene' })).toEqual(
      index.search('dog cat', { scoring: 'lucene' }),
    );
  });

  it('saves and loads a vocabulary as JSON', async () => {
    const v = Vocabulary.build([['a', 'b', 'a']]);
    const path = join(dir, 'vocab.json');
    await saveVocabulary(v, path);
    expect((await loadVocabulary(path)).toJSON()).toEqual(v.toJSON());
  });
});
