import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import type { IdxDtype } from './idx-dtype.js';
import { parseIdx, parseIdxHeader, readIdx } from './read-idx.js';
import { encodeIdx } from './write-idx.js';

const DTYPES: IdxDtype[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

// Values at both ends of each type's range, so byte order and sign handling are exercised.
function sample(dtype: IdxDtype, n: number) {
  const pick: Record<IdxDtype, number[]> = {
    uint8: [0, 1, 127, 128, 255],
    int8: [-128, -1, 0, 1, 127],
    int16: [-32768, -2, 0, 258, 32767],
    int32: [-2147483648, -65536, 0, 16909060, 2147483647],
    float32: [-1.5, 0, 3.140000104904175, 2 ** -149, -3.4028234663852886e38],
    float64: [-1.5, 0, Math.PI, 5e-324, -Number.MAX_VALUE],
  };
  return Array.from({ length: n }, (_, i) => pick[dtype][i % 5]);
}

describe('IDX encode/parse', () => {
  it('writes the header and big-endian body by the format (hand-derived bytes)', () => {
    const bytes = encodeIdx({ shape: [2], data: new Int16Array([1, -2]) });
    expect([...bytes]).toEqual([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x00, 0x01, 0xff, 0xfe]);
    const f32 = encodeIdx({ shape: [1, 1], data: new Float32Array([1]) });
    expect([...f32]).toEqual([0, 0, 0x0d, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0]);
  });

  for (const dtype of DTYPES) {
    for (const shape of [[7], [3, 4], [2, 3, 5], [2, 1, 3, 2]]) {
      it(`round-trips ${dtype} of rank ${shape.length}`, () => {
        const count = shape.reduce((a, b) => a * b, 1);
        const values = sample(dtype, count);
        const array = parseIdx(encodeIdx({ shape, data: values, dtype }));
        expect(array.dtype).toBe(dtype);
        expect(array.shape).toEqual(shape);
        expect([...array.data]).toEqual(values);
      });
    }
  }

  it('round-trips a typed array without naming the dtype, and empty and rank-0 arrays', () => {
    const data = new Float64Array([0.1, 0.2, 0.3]);
    expect(parseIdx(encodeIdx({ shape: [3], data })).data).toEqual(data);
    expect(parseIdx(encodeIdx({ shape: [0, 28], data: new Uint8Array(0) })).shape).toEqual([0, 28]);
    const scalar = parseIdx(encodeIdx({ shape: [], data: new Int32Array([-7]) }));
    expect([scalar.shape, [...scalar.data]]).toEqual([[], [-7]]);
  });

  it('refuses values the dtype cannot hold and data that does not fill the shape', () => {
    expect(() => encodeIdx({ shape: [1], data: [300], dtype: 'uint8' })).toThrow(
      /Argument 'data' passed to 'encodeIdx' must be values that uint8 can hold, got "300 at index 0"/,
    );
    expect(() => encodeIdx({ shape: [1], data: [1e39], dtype: 'float32' })).toThrow(InvalidArgumentError);
    expect(() => encodeIdx({ shape: [1], data: [1.5], dtype: 'int32' })).toThrow(InvalidArgumentError);
    expect(parseIdx(encodeIdx({ shape: [1], data: [0.1], dtype: 'float32' })).data[0]).toBe(Math.fround(0.1));
    expect(() => encodeIdx({ shape: [2, 2], data: new Uint8Array(3) })).toThrow(
      /must be 4 elements to fill shape \[2, 2\]/,
    );
    expect(() => encodeIdx({ shape: [2], data: [1, 2] })).toThrow(/'dtype'/);
  });
});

describe('IDX validation', () => {
  const good = encodeIdx({ shape: [10, 4], data: new Int32Array(40) });

  it('rejects a truncated file naming it with the expected and actual size', () => {
    const error = catchError(() => parseIdx(good.subarray(0, 100), { name: 'x.idx' }));
    expect(CorruptFileError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: 'x.idx', expected: 172, actual: 100 });
    expect((error as Error).message).toBe(
      'x.idx: is truncated: its header ([10, 4] int32) needs 172 bytes, the file holds 100',
    );
  });

  it('rejects trailing data, a wrong magic number and a short header', () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(() => parseIdx(longer)).toThrow(/<bytes>: has 3 bytes of trailing data/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect(catchError(() => parseIdx(png, { name: 'a.png' }))).toMatchObject({
      file: 'a.png',
      expected: '0x0000TTRR',
      actual: '0x89504e47',
    });
    expect(() => parseIdx(new Uint8Array([0, 0, 0x07, 1, 0, 0, 0, 0]))).toThrow(
      /wrong magic number 0x00000701/,
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]))).toThrow(
      /header of rank 3 needs 16 bytes, the file has 6/,
    );
    expect(() => parseIdxHeader(new Uint8Array([0, 0]))).toThrow(/the magic number alone needs 4/);
  });
});

describe('readIdx (portable)', () => {
  const raw = encodeIdx({ shape: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) });

  it('reads raw and gzip bytes, ArrayBuffers, Blobs and Responses alike', async () => {
    const gz = new Uint8Array(gzipSync(raw));
    for (const source of [raw, gz, raw.slice().buffer, new Blob([gz]), new Response(gz)]) {
      const array = await readIdx(source);
      expect(array.shape).toEqual([3, 2]);
      expect([...array.data]).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('reports a truncated gzip file by its uncompressed sizes, never returning partial data', async () => {
    const big = encodeIdx({ shape: [1000, 50], data: new Uint8Array(50_000).map((_, i) => i * 7) });
    const gz = gzipSync(big);
    const error = await readIdx(gz.subarray(0, gz.length - 40), { name: 'cut.gz' }).catch((e) => e);
    expect(CorruptFileError.isInstance(error)).toBe(true);
    expect(error.file).toBe('cut.gz');
    expect(error.expected).toBe(50_004 + 8);
    expect(error.actual).toBeLessThan(50_012);
    expect(error.message).toMatch(/^cut\.gz: is truncated: .* needs 50012 bytes, the gzip stream holds \d+$/);
  });

  it('rejects a gzip file whose checksum is damaged', async () => {
    const gz = new Uint8Array(gzipSync(raw));
    gz[gz.length - 6] ^= 0xff; // CRC-32
    const error = await readIdx(gz, { name: 'crc.gz' }).catch((e) => e);
    expect(CorruptFileError.isInstance(error)).toBe(true);
    // DecompressionStream may withhold the last block when the check fails, so either message is right.
    expect(error.message).toMatch(
      /^crc\.gz: (has a corrupt gzip trailer|is not valid gzip data) \(incorrect data check\)$/,
    );
  });

  it('names a failed HTTP response and an unsupported source', async () => {
    await expect(readIdx(new Response('nope', { status: 404, statusText: 'Not Found' }))).rejects.toThrow(
      /HTTP 404 Not Found/,
    );
    await expect(readIdx(42 as never)).rejects.toThrow(/Argument 'source' passed to 'readIdx'/);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
