import { Random } from '../random.js';

/** One mutated input and how it was made, for a failure message that can be reproduced. */
export interface Mutation {
  /** 0-based index of the case; with the seed it reproduces the bytes. */
  index: number;
  /** What was done, e.g. `'flip bit 3 of byte 120'`. */
  description: string;
  bytes: Uint8Array;
}

/** Options of {@link mutations}. */
export interface MutationOptions {
  /** Seed of the generator; the same seed gives the same cases. @default 1 */
  seed?: number;
  /** How many cases. @default 1000 */
  count?: number;
}

// Values that break readers which trust a size or a count: 0, -1, the int32 and uint32 extremes, NaN.
const HOSTILE_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x3b9aca00, 0x00010000];
const HOSTILE_TEXT = [
  '0',
  '-1',
  '1e9',
  '1000000000 1000',
  'NaN',
  'Infinity',
  '',
  ' ',
  '\n',
  '\u0000',
  '\uFFFD',
];

/**
 * Seeded mutations of a valid input, as a fuzzer makes them: bit flips, byte overwrites, truncation,
 * appended garbage, duplicated and deleted spans, hostile 32-bit integers (little and big endian) and,
 * for text formats, hostile tokens spliced in. Every case is derived from `(seed, index)` alone.
 */
export function* mutations(input: Uint8Array, options: MutationOptions = {}): Generator<Mutation> {
  // A plain copy: a Node Buffer's slice() is a view (mutations would pile up on the input) and a pooled
  // Buffer's .buffer is Node's shared pool (a DataView on it would write outside the input).
  const valid = Uint8Array.from(input);
  const seed = options.seed ?? 1;
  const count = options.count ?? 1000;
  for (let index = 0; index < count; index++) {
    const random = new Random((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    const n = valid.length;
    const at = n === 0 ? 0 : random.nextUint32() % n;
    const kind = random.nextUint32() % 8;
    let bytes: Uint8Array;
    let description: string;
    switch (kind) {
      case 0: {
        const bit = random.nextUint32() % 8;
        bytes = valid.slice();
        if (n > 0) bytes[at] ^= 1 << bit;
        description = `flip bit ${bit} of byte ${at}`;
        break;
      }
      case 1: {
        const value = random.nextUint32() & 0xff;
        bytes = valid.slice();
        if (n > 0) bytes[at] = value;
        description = `set byte ${at} to ${value}`;
        break;
      }
      case 2:
        bytes = valid.slice(0, at);
        description = `truncate to ${at} bytes`;
        break;
      case 3: {
        const extra = 1 + (random.nextUint32() % 64);
        bytes = new Uint8Array(n + extra);
        bytes.set(valid);
        for (let i = n; i < bytes.length; i++) bytes[i] = random.nextUint32() & 0xff;
        description = `append ${extra} random bytes`;
        break;
      }
      case 4: {
        const length = Math.min(n - at, 1 + (random.nextUint32() % 32));
        bytes = new Uint8Array(n + length);
        bytes.set(valid.subarray(0, at + length));
        bytes.set(valid.subarray(at), at + length);
        description = `duplicate ${length} bytes at ${at}`;
        break;
      }
      case 5: {
        const length = Math.min(n - at, 1 + (random.nextUint32() % 32));
        bytes = new Uint8Array(n - length);
        bytes.set(valid.subarray(0, at));
        bytes.set(valid.subarray(at + length), at);
        description = `delete ${length} bytes at ${at}`;
        break;
      }
      case 6: {
        const value = HOSTILE_U32[random.nextUint32() % HOSTILE_U32.length];
        const littleEndian = (random.nextUint32() & 1) === 1;
        bytes = valid.slice();
        const start = Math.max(0, Math.min(at & ~3, n - 4));
        if (n >= 4) new DataView(bytes.buffer).setUint32(start, value, littleEndian);
        description = `write ${value} (${littleEndian ? 'LE' : 'BE'}) at ${start}`;
        break;
      }
      default: {
        const token = new TextEncoder().encode(HOSTILE_TEXT[random.nextUint32() % HOSTILE_TEXT.length]);
        bytes = new Uint8Array(n + token.length);
        bytes.set(valid.subarray(0, at));
        bytes.set(token, at);
        bytes.set(valid.subarray(at), at + token.length);
        description = `insert ${JSON.stringify(new TextDecoder().decode(token))} at ${at}`;
      }
    }
    yield { index, description, bytes };
  }
}
