import { InvalidArgumentError } from '@wordloom/core';
import {
  dtypeOfArray,
  IDX_DTYPES,
  type IdxDtype,
  type IdxTypedArray,
  isLittleEndian,
  swapBytes,
} from './idx-dtype.js';

/** An array to store as IDX: a typed array (its type gives the dtype) or plain numbers with a dtype. */
export interface IdxInput {
  /** Dimension sizes, outermost first; their product must equal the number of elements. */
  shape: readonly number[];
  data: IdxTypedArray | readonly number[];
  /**
   * Element type to store. Integers outside the type's range or fractional (300 as uint8, 1.5 as int32)
   * and finite numbers that overflow float32 are rejected, never wrapped; floats round to nearest.
   * @default the type of `data` (required when `data` is a plain array)
   */
  dtype?: IdxDtype;
}

const INTEGER_RANGE: Partial<Record<IdxDtype, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};

/**
 * Encodes an array in LeCun's IDX format (uncompressed): magic `0x00 0x00 <type> <rank>`, big-endian
 * uint32 dimensions, then the big-endian elements in row-major order. Works in browsers and Node; the
 * Node entry point's `writeIdx` writes it (optionally gzip-compressed) to a file atomically.
 */
export function encodeIdx(array: IdxInput, functionName = 'encodeIdx'): Uint8Array {
  const { shape, data } = array;
  if (!Array.isArray(shape) || shape.length > 255) {
    throw new InvalidArgumentError('shape', functionName, 'an array of at most 255 dimension sizes', shape);
  }
  let count = 1;
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0 || size > 0xffffffff) {
      throw new InvalidArgumentError(
        'shape',
        functionName,
        'dimension sizes that are integers in [0, 2^32)',
        size,
      );
    }
    count *= size;
  }
  const typed = dtypeOfArray(data);
  const dtype = array.dtype ?? typed;
  if (dtype === undefined) {
    throw new InvalidArgumentError(
      'dtype',
      functionName,
      "given when data is a plain array: 'uint8', 'int8', 'int16', 'int32', 'float32' or 'float64'",
      array.dtype,
    );
  }
  if (!(dtype in IDX_DTYPES)) {
    throw new InvalidArgumentError(
      'dtype',
      functionName,
      "one of 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'",
      dtype,
    );
  }
  if (data.length !== count) {
    throw new InvalidArgumentError(
      'data',
      functionName,
      `${count} elements to fill shape [${shape.join(', ')}]`,
      `${data.length} elements`,
    );
  }
  const info = IDX_DTYPES[dtype];
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  for (let i = 0; i < shape.length; i++) view.setUint32(4 + 4 * i, shape[i], false);

  // Fill the body in host order (in an aligned array: the header is not a multiple of 8 bytes), copy
  // it behind the header, then swap to big-endian in one pass.
  const body = info.create(count);
  if (typed === dtype) {
    body.set(data as ArrayLike<number>);
  } else {
    const range = INTEGER_RANGE[dtype];
    for (let i = 0; i < count; i++) {
      const v = data[i];
      const exact = range
        ? Number.isInteger(v) && v >= range[0] && v <= range[1]
        : dtype === 'float64' || !Number.isFinite(v) || Number.isFinite(Math.fround(v));
      if (!exact) {
        throw new InvalidArgumentError(
          'data',
          functionName,
          `values that ${dtype} can hold`,
          `${v} at index ${i}`,
        );
      }
      body[i] = v;
    }
  }
  out.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), headerBytes);
  if (isLittleEndian()) swapBytes(out.subarray(headerBytes), info.bytes);
  return out;
}
