import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twoTopicCorpus } from '../test-support/two-topic-corpus.js';

// Through the package's dist entry point, as users import it.
const node = await import('@wordloom/embeddings/node');

describe('trainWord2Vec on Node', () => {
  it('trains from a corpus file (one sentence per line) with 2 Hogwild threads of the kernel pool', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-w2v-'));
    const file = join(dir, 'corpus.txt');
    await writeFile(
      file,
      `${twoTopicCorpus(1500)
        .map((s) => s.join(' ').toUpperCase())
        .join('\n')}\n\n`,
    );
    const epochs: number[] = [];
    const r = await node.trainWord2Vec(file, {
      threads: 2,
      lowercase: true,
      dim: 16,
      window: 3,
      minCount: 1,
      sample: 0,
      epochs: 3,
      onEpoch: (e) => epochs.push(e.epoch),
    });
    expect(epochs).toEqual([1, 2, 3]);
    expect(r.tokens).toBe(12_000);
    expect(r.vectors.has('cat')).toBe(true);
    expect(r.lossPerEpoch[2]).toBeLessThan(r.lossPerEpoch[0]);
    expect(r.vectors.similarity('cat', 'dog') - r.vectors.similarity('cat', 'hammer')).toBeGreaterThan(0.3);
  });

  it('with threads: 1 gives the same vectors as the browser-safe trainer', async () => {
    const corpus = twoTopicCorpus(200);
    const { trainWord2Vec } = await import('@wordloom/embeddings');
    const a = await node.trainWord2Vec(corpus, { dim: 8, minCount: 1, epochs: 1, threads: 1 });
    const b = await trainWord2Vec(corpus, { dim: 8, minCount: 1, epochs: 1, threads: 1 });
    expect(Array.from(a.vectors.vectors)).toEqual(Array.from(b.vectors.vectors));
  });

  it('trains GloVe with 2 worker threads and the cost falls', async () => {
    const { buildCooccurrence } = await import('@wordloom/embeddings');
    const m = await buildCooccurrence(twoTopicCorpus(500), { window: 3, weighting: 'harmonic' });
    const r = await node.trainGlove(m, { dim: 8, epochs: 10, threads: 2, xMax: 10 });
    expect(r.costPerEpoch[9]).toBeLessThan(r.costPerEpoch[0] / 2);
  });
});
