/** Element types of the IDX format, named after the typed arrays that hold them. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array holding each {@link IdxDtype}. */
export interface IdxTypedArrays {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** Any typed array an IDX file can hold. */
export type IdxTypedArray = IdxTypedArrays[IdxDtype];

/** An n-dimensional array as stored in an IDX file: row-major `data` of `shape`. */
export interface IdxArray<D extends IdxDtype = IdxDtype> {
  dtype: D;
  /** Dimension sizes, outermost first (`[60000, 28, 28]` for MNIST training images). */
  shape: number[];
  data: IdxTypedArrays[D];
}

interface DtypeInfo {
  /** The type byte of the magic number (LeCun, "THE IDX FILE FORMAT", yann.lecun.com/exdb/mnist). */
  code: number;
  bytes: number;
  create: (length: number) => IdxTypedArray;
  view: (buffer: ArrayBuffer, byteOffset: number, length: number) => IdxTypedArray;
}

/** Type byte, element size and constructors of each dtype. */
export const IDX_DTYPES: Readonly<Record<IdxDtype, DtypeInfo>> = {
  uint8: {
    code: 0x08,
    bytes: 1,
    create: (n) => new Uint8Array(n),
    view: (b, o, n) => new Uint8Array(b, o, n),
  },
  int8: { code: 0x09, bytes: 1, create: (n) => new Int8Array(n), view: (b, o, n) => new Int8Array(b, o, n) },
  int16: {
    code: 0x0b,
    bytes: 2,
    create: (n) => new Int16Array(n),
    view: (b, o, n) => new Int16Array(b, o, n),
  },
  int32: {
    code: 0x0c,
    bytes: 4,
    create: (n) => new Int32Array(n),
    view: (b, o, n) => new Int32Array(b, o, n),
  },
  float32: {
    code: 0x0d,
    bytes: 4,
    create: (n) => new Float32Array(n),
    view: (b, o, n) => new Float32Array(b, o, n),
  },
  float64: {
    code: 0x0e,
    bytes: 8,
    create: (n) => new Float64Array(n),
    view: (b, o, n) => new Float64Array(b, o, n),
  },
};

/** The dtype whose type byte is `code`, or undefined. */
export function dtypeOfCode(code: number): IdxDtype | undefined {
  return (Object.keys(IDX_DTYPES) as IdxDtype[]).find((d) => IDX_DTYPES[d].code === code);
}

/** The dtype of a typed array, or undefined when IDX cannot store it. */
export function dtypeOfArray(data: unknown): IdxDtype | undefined {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return undefined;
}

/** True on little-endian hosts (all current browsers and Node platforms), where IDX's big-endian bytes need swapping. */
export function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Reverses each `size`-byte group of `bytes` in place (big-endian ↔ little-endian). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  const n = bytes.length;
  if (size === 2) {
    for (let i = 0; i < n; i += 2) {
      const t = bytes[i];
      bytes[i] = bytes[i + 1];
      bytes[i + 1] = t;
    }
  } else if (size === 4) {
    for (let i = 0; i < n; i += 4) {
      const a = bytes[i];
      const b = bytes[i + 1];
      bytes[i] = bytes[i + 3];
      bytes[i + 1] = bytes[i + 2];
      bytes[i + 2] = b;
      bytes[i + 3] = a;
    }
  } else {
    for (let i = 0; i < n; i += size) bytes.subarray(i, i + size).reverse();
  }
}
