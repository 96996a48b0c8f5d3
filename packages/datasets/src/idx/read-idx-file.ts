import { assertInteger } from '@wordloom/core';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { isGzip } from './gzip-web.js';
import { IDX_DTYPES, type IdxArray } from './idx-dtype.js';
import { type FilePath, gunzipNode, openOrThrow, pathOf, readFileOrThrow } from './node-files.js';
import {
  type IdxBytesSource,
  idxFromDecompressed,
  parseIdx,
  parseIdxHeader,
  readIdx as readIdxBytes,
} from './read-idx.js';

/** Options of {@link readIdxFile}. */
export interface ReadIdxFileOptions {
  /**
   * Read only the first `limit` items (entries of the first dimension). The whole file's size is still
   * checked against its header; an uncompressed file is read only as far as needed.
   * @default all items
   */
  limit?: number;
}

/**
 * Reads an IDX file from disk (Node only), raw or gzip-compressed (detected by its magic bytes).
 * A truncated or corrupt file throws {@link CorruptFileError} naming the file with the expected and the
 * actual size; a missing file throws `UnavailableError`.
 */
export async function readIdxFile(file: FilePath, options: ReadIdxFileOptions = {}): Promise<IdxArray> {
  const path = pathOf(file);
  const { limit } = options;
  if (limit !== undefined) assertInteger(limit, 'limit', 'readIdxFile', 0);
  if (limit !== undefined) {
    const prefix = await readRawPrefix(path, limit);
    if (prefix) return prefix;
  }
  const bytes = await readFileOrThrow(path);
  let array: IdxArray;
  if (isGzip(bytes)) {
    const { data, error } = await gunzipNode(bytes);
    array = idxFromDecompressed(data, path, error);
  } else {
    array = parseIdx(bytes, { name: path });
  }
  return limit === undefined ? array : takeFirst(array, limit);
}

/**
 * {@link readIdxFile} for paths and `file:` URLs, the portable `readIdx` for bytes, `Blob`s and
 * `Response`s. This is the Node entry point's `readIdx`.
 */
export async function readIdx(
  source: FilePath | IdxBytesSource,
  options: { name?: string } = {},
): Promise<IdxArray> {
  if (typeof source === 'string' || source instanceof URL) return readIdxFile(source);
  return readIdxBytes(source, options);
}

/**
 * For an uncompressed file: checks the header against the file size, then reads only the first `limit`
 * items. Returns undefined for a gzip file (which must be decompressed whole).
 */
async function readRawPrefix(path: string, limit: number): Promise<IdxArray | undefined> {
  const handle = await openOrThrow(path);
  try {
    const size = (await handle.stat()).size;
    const head = new Uint8Array(Math.min(size, 4 + 4 * 255));
    await handle.read(head, 0, head.length, 0);
    if (isGzip(head)) return undefined;
    const header = parseIdxHeader(head, path);
    if (size !== header.totalBytes) {
      throw new CorruptFileError(
        path,
        size < header.totalBytes
          ? `is truncated: its header ([${header.shape.join(', ')}] ${header.dtype}) needs ${header.totalBytes} bytes, the file holds ${size}`
          : `has ${size - header.totalBytes} bytes of trailing data: its header needs ${header.totalBytes} bytes, the file holds ${size}`,
        { expected: header.totalBytes, actual: size },
      );
    }
    if (header.shape.length === 0) return undefined;
    const items = Math.min(limit, header.shape[0]);
    const itemBytes = header.shape.slice(1).reduce((a, b) => a * b, 1) * IDX_DTYPES[header.dtype].bytes;
    const bytes = new Uint8Array(header.headerBytes + items * itemBytes);
    bytes.set(head.subarray(0, header.headerBytes));
    await handle.read(bytes, header.headerBytes, items * itemBytes, header.headerBytes);
    // Rewrite the first dimension so the prefix parses as a complete, smaller IDX array.
    new DataView(bytes.buffer).setUint32(4, items, false);
    return parseIdx(bytes, { name: path });
  } finally {
    await handle.close();
  }
}

/** The first `limit` items of an array, copied so the rest can be freed. */
function takeFirst(array: IdxArray, limit: number): IdxArray {
  if (array.shape.length === 0 || limit >= array.shape[0]) return array;
  const itemLength = array.shape.slice(1).reduce((a, b) => a * b, 1);
  return {
    dtype: array.dtype,
    shape: [limit, ...array.shape.slice(1)],
    data: array.data.slice(0, limit * itemLength),
  } as IdxArray;
}
