import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@wordloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { mnistFromIdx } from '../mnist/mnist-set.js';
import { readIdx as readIdxBytes } from './read-idx.js';
import { readIdxFile } from './read-idx-file.js';
import { encodeIdx } from './write-idx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wl-idx-bounds-'));
});

/** An IDX header for `shape` of uint8. */
function header(shape: number[]): Uint8Array {
  const h = new Uint8Array(4 + 4 * shape.length);
  h.set([0, 0, 8, shape.length]);
  const view = new DataView(h.buffer);
  for (const [i, d] of shape.entries()) view.setUint32(4 + 4 * i, d, false);
  return h;
}

/**
 * A ~2 MB gzip file that inflates to `header` + 2 GiB of zeros: 2,048 gzip members of 1 MiB of zeros
 * each (RFC 1952 allows concatenated members; zlib inflates them as one stream).
 */
function gzipBomb(head: Uint8Array): Uint8Array {
  const member = gzipSync(new Uint8Array(1 << 20), { level: 9 });
  const first = gzipSync(head);
  const out = new Uint8Array(first.length + member.length * 2048);
  out.set(first);
  for (let i = 0; i < 2048; i++) out.set(member, first.length + i * member.length);
  return out;
}

describe('IDX resource bounds', () => {
  it('a 2 MB gzip bomb behind a small header fails fast with bounded memory', async () => {
    const bomb = gzipBomb(header([16]));
    expect(bomb.length).toBeLessThan(2.5e6);
    const path = join(dir, 'bomb.idx.gz');
    await writeFile(path, bomb);
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    await expect(readIdxFile(path)).rejects.toThrow(
      /has trailing data: its header \(\[16\] uint8\) needs 24 bytes/,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200e6);
  });

  it('a gzip header promising more than the budget, or than deflate can produce, fails before allocating', async () => {
    const bomb = gzipBomb(header([60000, 28, 28]));
    const path = join(dir, 'claims.idx.gz');
    await writeFile(path, bomb);
    await expect(readIdxFile(path, { maxBytes: 2e7 })).rejects.toSatisfy(
      (e) => InvalidArgumentError.isInstance(e) && /at least 47040016 to read/.test((e as Error).message),
    );
    // A 40-byte gzip stream cannot hold a 4 GiB array: deflate expands at most 1032:1.
    const tiny = gzipSync(header([65536, 65535]));
    await expect(readIdxBytes(tiny, { name: 'tiny.gz', maxBytes: 2 ** 33 })).rejects.toSatisfy(
      (e) => CorruptFileError.isInstance(e) && /more than gzip can expand/.test((e as Error).message),
    );
  });

  it('a raw file larger than the budget is refused from its size and header before it is read', async () => {
    const path = join(dir, 'raw.idx');
    await writeFile(path, encodeIdx({ shape: [1000], data: new Uint8Array(1000) }));
    await expect(readIdxFile(path, { maxBytes: 999 })).rejects.toThrow(/'maxBytes'.*at least 1008/);
    expect((await readIdxFile(path, { maxBytes: 1008 })).shape).toEqual([1000]);
    await expect(readIdxFile(path, { maxbytes: 1 } as never)).rejects.toThrow(/maxbytes/);
    await expect(readIdxFile(path, { maxBytes: -1 })).rejects.toThrow(/'maxBytes'/);
  });

  it('the web reader streams gzip into the promised size too', async () => {
    const gz = gzipSync(new Uint8Array([...header([4]), 1, 2, 3, 4, 5, 6, 7, 8]));
    await expect(readIdxBytes(gz, { name: 'long.gz' })).rejects.toThrow(/long\.gz: has trailing data/);
    const ok = gzipSync(new Uint8Array([...header([4]), 1, 2, 3, 4]));
    expect(Array.from((await readIdxBytes(ok)).data)).toEqual([1, 2, 3, 4]);
  });
});

describe('MNIST labels', () => {
  const images = { dtype: 'uint8' as const, shape: [2, 1, 1], data: new Uint8Array([0, 255]) };
  it('refuses a label >= classes, naming the file and the label', () => {
    const labels = { dtype: 'uint8' as const, shape: [2], data: new Uint8Array([9, 10]) };
    expect(() => mnistFromIdx(images, labels, { labelsName: 'labels.idx' })).toThrow(
      'labels.idx: label 1 is 10, not a class below 10',
    );
    expect(mnistFromIdx(images, labels, { classes: 11 }).labels).toEqual(new Uint8Array([9, 10]));
    expect(() => mnistFromIdx(images, labels, { classes: 1 })).toThrow(InvalidArgumentError);
  });
});
