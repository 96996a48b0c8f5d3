import { describe, expect, it } from 'vitest';
import { VectorFileError } from '../errors/vector-file-error.js';
import { readProjectorTsv } from './read-projector-tsv.js';

const bytes = (text: string) => new TextEncoder().encode(text);
/** The text split into chunks of `size` bytes: lines and UTF-8 sequences cross chunk boundaries. */
const chunked = (text: string, size: number) => {
  const all = bytes(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.subarray(i, i + size));
  return out;
};

const VECTORS = '1\t0\t0.5\n-0.25\t2\t3e-1\n0\t0\t1\n';

describe('readProjectorTsv', () => {
  it('reads vectors labelled by a one-column metadata file, whatever the chunking', async () => {
    for (const size of [1, 3, 1000]) {
      const { vectors, columns, values } = await readProjectorTsv(chunked(VECTORS, size), {
        metadata: chunked('king\ncafé\nqueen\n', size),
      });
      expect(vectors.words).toEqual(['king', 'café', 'queen']);
      expect(vectors.dim).toBe(3);
      expect(Array.from(vectors.vectors)).toEqual(
        Array.from(Float32Array.of(1, 0, 0.5, -0.25, 2, 0.3, 0, 0, 1)),
      );
      expect(columns).toEqual(['label']);
      expect(values).toEqual([['king', 'café', 'queen']]);
    }
  });

  it('takes the header of a multi-column metadata file, labels from its first column', async () => {
    const { vectors, columns, values } = await readProjectorTsv([bytes(VECTORS.replaceAll('\n', '\r\n'))], {
      metadata: [bytes('word\tpos\r\nrun\tverb\r\ndog\tnoun\r\nblue\tadj\r\n')],
    });
    expect(vectors.words).toEqual(['run', 'dog', 'blue']);
    expect(columns).toEqual(['word', 'pos']);
    expect(values[1]).toEqual(['verb', 'noun', 'adj']);
    expect(vectors.mostSimilar({ positive: ['blue'], topN: 1 })[0].word).toBe('run');
  });

  it('labels rows by number without metadata, and honours limit', async () => {
    const all = await readProjectorTsv([bytes(VECTORS)]);
    expect(all.vectors.words).toEqual(['0', '1', '2']);
    expect(all.columns).toEqual([]);
    const two = await readProjectorTsv([bytes(VECTORS)], { limit: 2, metadata: [bytes('a\nb\nc\n')] });
    expect(two.vectors.words).toEqual(['a', 'b']);
    expect(two.vectors.vectors).toHaveLength(6);
  });

  it('names the file and line of ragged rows, bad numbers, blank lines and count mismatches', async () => {
    const fail = async (vectors: string, metadata?: string) => {
      const error = await readProjectorTsv([bytes(vectors)], {
        metadata: metadata === undefined ? undefined : [bytes(metadata)],
      }).catch((e: unknown) => e);
      expect(VectorFileError.isInstance(error)).toBe(true);
      return (error as Error).message;
    };
    expect(await fail('1\t2\n3\n')).toBe(
      'vectors.tsv:2: expected 2 tab-separated values (as on line 1), got 1',
    );
    expect(await fail('1\t2\n3\tx\n')).toBe('vectors.tsv:2: value 2 is not a finite number: "x"');
    expect(await fail('1\t2\n3\tNaN\n')).toMatch(/^vectors\.tsv:2: value 2 is not a finite number/);
    expect(await fail('1\t2\n\n3\t4\n')).toBe('vectors.tsv:2: empty line where a vector was expected');
    expect(await fail('')).toBe('vectors.tsv:1: no vectors found');
    expect(await fail(VECTORS, 'a\nb\n')).toBe(
      'metadata.tsv:2: has 2 data rows but vectors.tsv has 3 vectors (one row per vector is needed)',
    );
    expect(await fail(VECTORS, 'a\nb\nc\nd\n')).toBe(
      'metadata.tsv:4: more metadata rows than the 3 vectors of vectors.tsv',
    );
    expect(await fail(VECTORS, 'w\tp\na\tx\nb\nc\tz\n')).toBe(
      'metadata.tsv:3: expected 2 tab-separated columns, got 1',
    );
  });

  it('rejects unknown options and a bad limit', async () => {
    await expect(readProjectorTsv([bytes(VECTORS)], { labels: 1 } as never)).rejects.toThrow(/'labels'/);
    await expect(readProjectorTsv([bytes(VECTORS)], { limit: 0 })).rejects.toThrow(/'limit'/);
  });
});
