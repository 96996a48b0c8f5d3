import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnavailableError } from '@wordloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import type { IdxDtype } from './idx-dtype.js';
import { readIdx, readIdxFile } from './read-idx-file.js';
import { writeIdx } from './write-idx-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wl-idx-'));
});

describe('writeIdx / readIdxFile', () => {
  const arrays = {
    uint8: new Uint8Array([0, 255, 7, 8, 9, 10]),
    int8: new Int8Array([-128, 127, 0, 1, -1, 5]),
    int16: new Int16Array([-32768, 32767, 256, -256, 1, 0]),
    int32: new Int32Array([-(2 ** 31), 2 ** 31 - 1, 65536, -1, 0, 3]),
    float32: new Float32Array([0.5, -2, 1e30, Math.fround(Math.PI), 0, -0]),
    float64: new Float64Array([Math.E, -Number.MIN_VALUE, 1e300, 0.1, 2, 3]),
  };

  for (const [dtype, data] of Object.entries(arrays) as [IdxDtype, (typeof arrays)[IdxDtype]][]) {
    it(`round-trips ${dtype} through a raw and a gzip file`, async () => {
      for (const name of [`${dtype}.idx`, `${dtype}.idx.gz`]) {
        const path = join(dir, name);
        await writeIdx(path, { shape: [2, 3], data });
        const back = await readIdxFile(path);
        expect(back).toEqual({ dtype, shape: [2, 3], data });
      }
      const gz = await readFile(join(dir, `${dtype}.idx.gz`));
      expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    });
  }

  it('reads paths, file URLs and bytes through the Node readIdx, and leaves no temporary files', async () => {
    const path = join(dir, 'url.idx');
    await writeIdx(path, { shape: [3], data: [1, 2, 3], dtype: 'int16' }, { gzip: true });
    for (const source of [path, pathToFileURL(path), await readFile(path)]) {
      expect([...(await readIdx(source)).data]).toEqual([1, 2, 3]);
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads only the first items with limit, raw or gzip', async () => {
    const data = Int16Array.from({ length: 40 }, (_, i) => i - 20);
    for (const name of ['limit.idx', 'limit.idx.gz']) {
      const path = join(dir, name);
      await writeIdx(path, { shape: [10, 2, 2], data });
      const head = await readIdxFile(path, { limit: 3 });
      expect(head.shape).toEqual([3, 2, 2]);
      expect([...head.data]).toEqual([...data.subarray(0, 12)]);
      expect((await readIdxFile(path, { limit: 99 })).shape).toEqual([10, 2, 2]);
    }
  });

  it('rejects truncated files, raw or gzip, with or without limit, naming the file and both sizes', async () => {
    const data = new Uint8Array(5000).map((_, i) => i % 251);
    const raw = join(dir, 'full.idx');
    const gz = join(dir, 'full.idx.gz');
    await writeIdx(raw, { shape: [50, 100], data });
    await writeIdx(gz, { shape: [50, 100], data });
    const cutRaw = join(dir, 'cut.idx');
    const cutGz = join(dir, 'cut.idx.gz');
    await writeFile(cutRaw, (await readFile(raw)).subarray(0, 3000));
    const gzBytes = await readFile(gz);
    await writeFile(cutGz, gzBytes.subarray(0, gzBytes.length >> 1));
    for (const [path, limit] of [
      [cutRaw, undefined],
      [cutRaw, 2],
      [cutGz, undefined],
      [cutGz, 2],
    ] as const) {
      const error = await readIdxFile(path, { limit }).catch((e) => e);
      expect(CorruptFileError.isInstance(error), `${path} ${limit}`).toBe(true);
      expect(error.file).toBe(path);
      expect(error.expected).toBe(5012);
      expect(error.actual).toBeLessThan(5012);
      expect(error.message).toContain(`${path}: is truncated`);
    }
  });

  it('rejects a wrong magic number and reports a missing file as UnavailableError', async () => {
    const path = join(dir, 'text.idx');
    await writeFile(path, 'hello world, not IDX');
    await expect(readIdxFile(path)).rejects.toThrow(`${path}: wrong magic number 0x68656c6c`);
    const missing = join(dir, 'nope.idx');
    const error = await readIdxFile(missing).catch((e) => e);
    expect(UnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`cannot read ${missing}: no such file`);
    await expect(readIdxFile(dir)).rejects.toThrow(/is a directory/);
  });
});
