import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { isGzip } from './gzip-web.js';
import { IDX_DTYPES, type IdxArray } from './idx-dtype.js';
import { checkIdxBudget, IdxInflateSink } from './inflate-idx.js';
import {
  type FilePath,
  fileError,
  gunzipNodeInto,
  openOrThrow,
  pathOf,
  readFileOrThrow,
} from './node-files.js';
import {
  budgetOf,
  type IdxBytesSource,
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
  /**
   * Memory budget: the largest decoded file accepted, in bytes, checked against the file's size and
   * its header before anything of that size is allocated; gzip decompression stops at the size the
   * header promises.
   * @default 2 ** 30
   */
  maxBytes?: number;
}

/**
 * Reads an IDX file from disk (Node only), raw or gzip-compressed (detected by its magic bytes).
 * A truncated or corrupt file throws {@link CorruptFileError} naming the file with the expected and the
 * actual size; a missing file throws `UnavailableError`.
 */
export async function readIdxFile(file: FilePath, options: ReadIdxFileOptions = {}): Promise<IdxArray> {
  const path = pathOf(file);
  const { limit } = options;
  const maxBytes = budgetOf(options, 'readIdxFile');
  if (limit !== undefined) assertInteger(limit, 'limit', 'readIdxFile', 0);
  // The header and the file's size are checked before the file is read whole.
  const prefix = await readRawPrefix(path, limit, maxBytes);
  if (prefix) return prefix;
  const bytes = await readFileOrThrow(path);
  const array = await decodeIdxBytes(bytes, path, maxBytes);
  return limit === undefined ? array : takeFirst(array, limit);
}

/**
 * {@link readIdxFile} for paths and `file:` URLs, the portable `readIdx` for bytes, `Blob`s and
 * `Response`s. This is the Node entry point's `readIdx`.
 */
export async function readIdx(
  source: FilePath | IdxBytesSource,
  options: { name?: string; maxBytes?: number } = {},
): Promise<IdxArray> {
  if (typeof source === 'string' || source instanceof URL) return readIdxFile(source, options);
  return readIdxBytes(source, options);
}

/**
 * Raw or gzip file bytes to an array: gzip is inflated as a stream into exactly the buffer its header
 * promises (see `IdxInflateSink`), so a gzip bomb fails after at most that many bytes.
 */
export async function decodeIdxBytes(bytes: Uint8Array, path: string, maxBytes: number): Promise<IdxArray> {
  if (!isGzip(bytes)) return parseIdx(bytes, { name: path, maxBytes });
  const sink = new IdxInflateSink(path, maxBytes, bytes.length);
  const error = await gunzipNodeInto(bytes, sink);
  return parseIdx(sink.finish(error), { name: path, maxBytes });
}

/**
 * For an uncompressed file: checks the header against the file size and the budget, then reads only
 * the first `limit` items (all without a limit). For a gzip file, checks the compressed size against
 * the budget and returns undefined (it must be decompressed whole).
 */
async function readRawPrefix(
  path: string,
  limit: number | undefined,
  maxBytes: number,
): Promise<IdxArray | undefined> {
  const handle = await openOrThrow(path);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw fileError(path, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
    const size = info.size;
    const head = new Uint8Array(Math.min(size, 4 + 4 * 255));
    await handle.read(head, 0, head.length, 0);
    if (isGzip(head)) {
      if (size > maxBytes)
        throw new InvalidArgumentError(
          'maxBytes',
          'readIdxFile',
          `at least ${size} to read ${path}`,
          maxBytes,
        );
      return undefined;
    }
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
    checkIdxBudget(header, path, maxBytes);
    if (header.shape.length === 0 || limit === undefined) return undefined;
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
