import { InvalidArgumentError, UnavailableError } from '@wordloom/core';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { gunzipWebInto, isGzip } from './gzip-web.js';
import {
  dtypeOfCode,
  IDX_DTYPES,
  type IdxArray,
  type IdxDtype,
  isLittleEndian,
  swapBytes,
} from './idx-dtype.js';
import { checkIdxBudget, DEFAULT_IDX_MAX_BYTES, IdxInflateSink } from './inflate-idx.js';

/** Bytes of an IDX file, raw or gzip-compressed, as the browser and Node both have them. */
export type IdxBytesSource = Uint8Array | ArrayBuffer | ArrayBufferView | Blob | Response;

/** Options of {@link parseIdx} and {@link readIdx}. */
export interface ParseIdxOptions {
  /**
   * Name of the file used in error messages.
   * @default the URL of a `Response`, else `'<bytes>'`
   */
  name?: string;
  /**
   * Memory budget: the largest decoded file accepted, in bytes. The size the header promises is
   * checked against it before anything of that size is allocated (and, for gzip, decompression stops
   * at the promised size).
   * @default 2 ** 30
   */
  maxBytes?: number;
}

/** What the header of an IDX file says (LeCun, "THE IDX FILE FORMAT"). */
export interface IdxHeader {
  dtype: IdxDtype;
  shape: number[];
  /** Size of the header: 4 magic bytes + 4 per dimension. */
  headerBytes: number;
  /** Size of the whole (uncompressed) file the header implies. */
  totalBytes: number;
}

/**
 * Reads and checks the header of an IDX file: magic `0x00 0x00 <type> <rank>`, then `rank` big-endian
 * uint32 dimension sizes. Throws {@link CorruptFileError} on a wrong magic number or a short header.
 */
export function parseIdxHeader(bytes: Uint8Array, name = '<bytes>'): IdxHeader {
  if (bytes.length < 4) {
    throw new CorruptFileError(
      name,
      `is not an IDX file: ${bytes.length} bytes, the magic number alone needs 4`,
      {
        expected: 4,
        actual: bytes.length,
      },
    );
  }
  const dtype = dtypeOfCode(bytes[2]);
  if (bytes[0] !== 0 || bytes[1] !== 0 || dtype === undefined) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    throw new CorruptFileError(
      name,
      `wrong magic number 0x${magic}: an IDX file starts with 0x0000 and a type byte 08, 09, 0b, 0c, 0d or 0e`,
      { expected: '0x0000TTRR', actual: `0x${magic}` },
    );
  }
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new CorruptFileError(
      name,
      `is truncated: its header of rank ${rank} needs ${headerBytes} bytes, the file has ${bytes.length}`,
      { expected: headerBytes, actual: bytes.length },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const size = view.getUint32(4 + 4 * i, false);
    shape.push(size);
    count *= size;
  }
  const totalBytes = headerBytes + count * IDX_DTYPES[dtype].bytes;
  if (!Number.isSafeInteger(totalBytes)) {
    throw new CorruptFileError(name, `header claims an impossible shape [${shape.join(', ')}]`, {
      actual: `[${shape.join(', ')}]`,
    });
  }
  return { dtype, shape, headerBytes, totalBytes };
}

/**
 * Parses an uncompressed IDX file held in memory. Works in browsers and Node.
 *
 * The file size must match the header exactly; otherwise a {@link CorruptFileError} names the file, the
 * expected and the actual size (no partial data is ever returned). `uint8` and `int8` data are views into
 * `bytes` (no copy); wider types are copied and converted from big-endian.
 */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const name = options.name ?? '<bytes>';
  const maxBytes = budgetOf(options, 'parseIdx');
  if (isGzip(bytes)) {
    throw new CorruptFileError(name, 'is gzip-compressed; read it with readIdx, which decompresses', {
      expected: 'raw IDX',
      actual: 'gzip',
    });
  }
  const header = parseIdxHeader(bytes, name);
  checkSize(header, bytes.length, name, 'file');
  checkIdxBudget(header, name, maxBytes);
  return extract(bytes, header);
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected by its magic bytes), from bytes, an
 * `ArrayBuffer`, a `Blob` or a fetch `Response`. Works in browsers (gzip through
 * `DecompressionStream`) and Node; the Node entry point also accepts a file path.
 */
export async function readIdx(source: IdxBytesSource, options: ParseIdxOptions = {}): Promise<IdxArray> {
  const maxBytes = budgetOf(options, 'readIdx');
  const { bytes, name } = await bytesOf(source, options.name);
  if (!isGzip(bytes)) return parseIdx(bytes, { name, maxBytes });
  const sink = new IdxInflateSink(name, maxBytes, bytes.length);
  const error = await gunzipWebInto(bytes, sink);
  return parseIdx(sink.finish(error), { name, maxBytes });
}

/** The `maxBytes` option, checked; unknown options throw. */
export function budgetOf(options: ParseIdxOptions, fn: string): number {
  for (const key of Object.keys(options))
    if (key !== 'name' && key !== 'maxBytes' && key !== 'limit')
      throw new InvalidArgumentError(key, fn, 'a known option (name, maxBytes)');
  const maxBytes = options.maxBytes ?? DEFAULT_IDX_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new InvalidArgumentError('maxBytes', fn, 'an integer >= 0', maxBytes);
  return maxBytes;
}

function checkSize(header: IdxHeader, actual: number, name: string, what: string): void {
  if (actual === header.totalBytes) return;
  const described = `[${header.shape.join(', ')}] ${header.dtype}`;
  const problem =
    actual < header.totalBytes
      ? `is truncated: its header (${described}) needs ${header.totalBytes} bytes, the ${what} holds ${actual}`
      : `has ${actual - header.totalBytes} bytes of trailing data: its header (${described}) needs ${header.totalBytes} bytes, the ${what} holds ${actual}`;
  throw new CorruptFileError(name, problem, { expected: header.totalBytes, actual });
}

function extract(bytes: Uint8Array, header: IdxHeader): IdxArray {
  const { dtype, shape, headerBytes, totalBytes } = header;
  const info = IDX_DTYPES[dtype];
  const length = (totalBytes - headerBytes) / info.bytes;
  if (info.bytes === 1) {
    return {
      dtype,
      shape,
      data: info.view(bytes.buffer as ArrayBuffer, bytes.byteOffset + headerBytes, length),
    };
  }
  // Copy into a fresh, aligned buffer, then turn IDX's big-endian into the host's order.
  // (Not bytes.slice: on a Node Buffer that is a view, not a copy.)
  const copy = new Uint8Array(totalBytes - headerBytes);
  copy.set(bytes.subarray(headerBytes, totalBytes));
  if (isLittleEndian()) swapBytes(copy, info.bytes);
  return { dtype, shape, data: info.view(copy.buffer, 0, length) };
}

async function bytesOf(
  source: IdxBytesSource,
  name: string | undefined,
): Promise<{ bytes: Uint8Array; name: string }> {
  if (source instanceof Uint8Array) return { bytes: source, name: name ?? '<bytes>' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: name ?? '<bytes>' };
  if (ArrayBuffer.isView(source)) {
    return {
      bytes: new Uint8Array(source.buffer as ArrayBuffer, source.byteOffset, source.byteLength),
      name: name ?? '<bytes>',
    };
  }
  if (typeof Response !== 'undefined' && source instanceof Response) {
    const label = name ?? (source.url || '<response>');
    if (!source.ok)
      throw new UnavailableError(label, `${label}: HTTP ${source.status} ${source.statusText}`.trim());
    return { bytes: new Uint8Array(await source.arrayBuffer()), name: label };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return { bytes: new Uint8Array(await source.arrayBuffer()), name: name ?? '<blob>' };
  }
  throw new InvalidArgumentError(
    'source',
    'readIdx',
    'a Uint8Array, ArrayBuffer, Blob or Response (or, in Node, a file path)',
    source,
  );
}
