import { assertInteger, assertNumber, assertOneOf } from '@wordloom/core';
import { VectorFileError } from '../errors/vector-file-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { assertKnownOptions } from '../validate-options.js';
import { ByteReader } from './byte-reader.js';
import {
  decodeText,
  TEXT_ENCODINGS,
  type TextEncoding,
  UNICODE_ERRORS,
  type UnicodeErrors,
} from './decode-text.js';

/** On-disk formats of word vectors. */
export type VectorFormat = 'word2vec-bin' | 'word2vec-txt' | 'glove';

/** Options of {@link readVectors}. */
export interface ReadVectorsOptions {
  /**
   * `'auto'` detects it: a first line `N D` means word2vec (text when the next line parses as a word
   * and D numbers, binary otherwise); no such header means GloVe text.
   * @default 'auto'
   */
  format?: VectorFormat | 'auto';
  /**
   * Read only the first `limit` vectors and stop reading the stream; `0` reads none (an empty
   * `KeyedVectors` of the file's dimension), the same for every format.
   * @default all
   */
  limit?: number;
  /** Name used in error messages. @default '<input>' */
  source?: string;
  /** Encoding of the words (gensim's `encoding`). @default 'utf-8' */
  encoding?: TextEncoding;
  /**
   * Bytes of a word (or line) that are not valid in `encoding`: refused with their offset (`'strict'`,
   * gensim's default), replaced by U+FFFD, or dropped (gensim's `unicode_errors`).
   * @default 'strict'
   */
  unicodeErrors?: UnicodeErrors;
  /**
   * Memory budget of the vectors (count × dim × 4 bytes): a header that asks for more is refused before
   * anything is allocated, and so is a headerless file that grows past it.
   * @default 4294967296 (4 GiB)
   */
  maxBytes?: number;
  /**
   * Total size of the input in bytes, when known (`loadVectors` passes the file size): the header's
   * counts are checked against it before anything is allocated.
   * @default unknown (vectors are then allocated as they arrive)
   */
  byteLength?: number;
  /**
   * Rows to allocate at once for a headerless file, when known (`loadVectors` counts the lines first),
   * so the vectors are never copied to grow.
   * @default unknown
   */
  capacity?: number;
}

const OPTIONS = [
  'format',
  'limit',
  'source',
  'encoding',
  'unicodeErrors',
  'maxBytes',
  'byteLength',
  'capacity',
] as const;
const SPACE = 0x20;
const NEWLINE = 0x0a;
/** Longest word accepted in a binary file: without a space by then, the dimension is wrong. */
const MAX_WORD_BYTES = 100_000;
/** Longest first line of a headerless file (its length gives the dimension). */
const MAX_FIRST_LINE = 1 << 26;
const ascii = new TextDecoder('latin1');

interface Settings {
  source: string;
  encoding: TextEncoding;
  errors: UnicodeErrors;
  maxBytes: number;
  byteLength: number | undefined;
  capacity: number | undefined;
}

/**
 * Parses word vectors from a stream of byte chunks (a Node file stream, a `fetch` body, an array of
 * `Uint8Array`) without holding the file in memory: word2vec binary (`N D\n` then, per word,
 * `word<space>` + D little-endian float32, optionally `\n`), word2vec text (`N D\n` then `word v1 … vD`)
 * and GloVe text (no header).
 *
 * A word is any bytes but space and newline — as word2vec.c writes them and gensim reads them —
 * decoded with `encoding` / `unicodeErrors`; a word seen again is ignored (gensim keeps the first
 * vector of a duplicated word, so the result can hold fewer than N words). Malformed input throws
 * {@link VectorFileError} with the line number (for binary files, the record number + 1); header counts
 * are checked against `byteLength` and `maxBytes` before any allocation.
 */
export async function readVectors(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadVectorsOptions = {},
): Promise<KeyedVectors> {
  assertKnownOptions(options, OPTIONS, 'readVectors');
  const format = options.format ?? 'auto';
  assertOneOf(format, ['auto', 'word2vec-bin', 'word2vec-txt', 'glove'], 'format', 'readVectors');
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (options.limit !== undefined) assertInteger(options.limit, 'limit', 'readVectors', 0);
  const settings: Settings = {
    source: options.source ?? '<input>',
    encoding: assertOneOf(options.encoding ?? 'utf-8', TEXT_ENCODINGS, 'encoding', 'readVectors'),
    errors: assertOneOf(options.unicodeErrors ?? 'strict', UNICODE_ERRORS, 'unicodeErrors', 'readVectors'),
    maxBytes: assertNumber(options.maxBytes ?? 2 ** 32, 'maxBytes', 'readVectors', { min: 0 }),
    byteLength:
      options.byteLength === undefined
        ? undefined
        : assertInteger(options.byteLength, 'byteLength', 'readVectors', 0),
    capacity:
      options.capacity === undefined
        ? undefined
        : assertInteger(options.capacity, 'capacity', 'readVectors', 0),
  };
  const { source } = settings;
  const reader = new ByteReader(chunks);
  try {
    let header: { count: number; dim: number } | null = null;
    let kind = format;
    if (format !== 'glove') {
      await reader.ensure(256);
      const firstLine = peekLine(reader, 256);
      const m = /^[ \t]*(\d{1,15})[ \t]+(\d{1,15})[ \t\r]*$/.exec(firstLine);
      if (m) header = { count: Number(m[1]), dim: Number(m[2]) };
      else if (format !== 'auto')
        throw new VectorFileError(
          source,
          1,
          `expected a header "N D" (two integers), got ${JSON.stringify(firstLine.slice(0, 40))}`,
        );
      if (header) {
        await reader.until(NEWLINE);
        if (header.dim < 1) throw new VectorFileError(source, 1, `dimension must be ≥ 1, got ${header.dim}`);
        if (kind === 'auto')
          kind = (await looksLikeText(reader, header.dim)) ? 'word2vec-txt' : 'word2vec-bin';
        checkHeader(header, Math.min(header.count, limit), kind, reader.offset, settings);
      } else kind = 'glove';
    }
    if (kind === 'word2vec-bin') return await readBinary(reader, header!, limit, settings);
    return await readText(reader, header, limit, settings);
  } finally {
    await reader.close();
  }
}

/** Refuses a header whose vectors cannot be in the input or would exceed the memory budget. */
function checkHeader(
  header: { count: number; dim: number },
  target: number,
  kind: VectorFormat | 'auto',
  headerBytes: number,
  s: Settings,
): void {
  const { count, dim } = header;
  const bytes = target * dim * 4;
  if (bytes > s.maxBytes)
    throw new VectorFileError(
      s.source,
      1,
      `the header "${count} ${dim}" asks for ${target} vectors of ${dim} floats = ${bytes} bytes, over the memory budget maxBytes = ${s.maxBytes} (pass a larger maxBytes, or a limit)`,
    );
  if (s.byteLength === undefined) return;
  // Smallest record: a 1-byte word, a space and the floats (binary), or ' 0' per value and '\n' (text).
  const minRecord = kind === 'word2vec-bin' ? dim * 4 + 2 : dim * 2 + 2;
  const need = target * minRecord - 1; // the last record may lack its '\n'
  const have = s.byteLength - headerBytes;
  if (target > 0 && need > have)
    throw new VectorFileError(
      s.source,
      1,
      `the header "${count} ${dim}" promises ${target} vectors of ${dim} values (at least ${need} bytes), but only ${have} bytes follow it (truncated file, or a wrong header)`,
    );
}

function peekLine(reader: ByteReader, max: number): string {
  const n = Math.min(reader.available, max);
  let end = 0;
  while (end < n && reader.peek(end) !== NEWLINE) end++;
  const bytes = new Uint8Array(end);
  for (let i = 0; i < end; i++) bytes[i] = reader.peek(i);
  return ascii.decode(bytes);
}

/** True when the line after the header is `word` plus `dim` numbers (word2vec text, not binary). */
async function looksLikeText(reader: ByteReader, dim: number): Promise<boolean> {
  const probe = Math.min(64 + dim * 32, 1 << 20);
  await reader.ensure(probe);
  const line = peekLine(reader, probe).trimEnd().split(' ');
  return line.length === dim + 1 && line.slice(1).every((t) => parseValue(t) !== undefined);
}

/**
 * A decimal float as Python's `float()` reads it (no hex, no `0b`/`0o`, no empty string) that is finite
 * as a float32; else undefined.
 */
function parseValue(token: string): number | undefined {
  if (token === '') return undefined;
  const c = token.charCodeAt(1) | 0x20;
  if (c === 0x78 || c === 0x62 || c === 0x6f) {
    // '0x…', '0b…', '0o…' (Number() reads them; Python's float() does not).
    if (/^[+-]?0[xbo]/i.test(token)) return undefined;
  }
  // Finite as float32 too: 1e94 is a valid double but would be stored as Infinity.
  const v = Math.fround(Number(token));
  return Number.isFinite(v) ? v : undefined;
}

/** 10^0 … 10^22: every one is exact in a double (5^22 < 2^53). */
const POW10 = Array.from({ length: 23 }, (_, e) => 10 ** e);

/**
 * Parses the `dim` values of a line (`bytes` from `from`: values separated by single spaces, then
 * optional ASCII whitespace) into `row` when every one is a plain decimal — `[+-]digits[.digits][e[+-]d]`
 * — with at most 15 significant digits and a decimal exponent within ±22. Then the value is one exact
 * integer times or divided by an exact power of ten, a single correctly rounded operation (Clinger's
 * fast path), so it equals `Number(token)` bit for bit, rounded to float32 as {@link parseValue} does.
 * Returns false for anything else (the line then takes the string path, which refuses or parses it).
 * This spares a string per line and per value: a large GloVe file otherwise churns the heap.
 */
function parseRowFast(bytes: Uint8Array, from: number, row: Float32Array, dim: number): boolean {
  let to = bytes.length;
  while (to > from && (bytes[to - 1] === SPACE || (bytes[to - 1] >= 0x09 && bytes[to - 1] <= 0x0d))) to--;
  let i = from;
  for (let k = 0; k < dim; k++) {
    if (k > 0) {
      if (i >= to || bytes[i] !== SPACE) return false;
      i++;
    }
    let c = bytes[i];
    const negative = c === 0x2d;
    if (negative || c === 0x2b) i++;
    let mantissa = 0;
    let significant = 0;
    let scale = 0;
    let digits = 0;
    while (i < to && (c = bytes[i]) >= 0x30 && c <= 0x39) {
      if (significant > 0 || c !== 0x30) significant++;
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      i++;
    }
    if (i < to && bytes[i] === 0x2e) {
      i++;
      while (i < to && (c = bytes[i]) >= 0x30 && c <= 0x39) {
        if (significant > 0 || c !== 0x30) significant++;
        mantissa = mantissa * 10 + (c - 0x30);
        scale--;
        digits++;
        i++;
      }
    }
    if (digits === 0 || significant > 15) return false;
    if (i < to && (bytes[i] | 0x20) === 0x65) {
      i++;
      const minus = bytes[i] === 0x2d;
      if (minus || bytes[i] === 0x2b) i++;
      let exponent = 0;
      let expDigits = 0;
      while (i < to && (c = bytes[i]) >= 0x30 && c <= 0x39 && expDigits < 4) {
        exponent = exponent * 10 + (c - 0x30);
        expDigits++;
        i++;
      }
      if (expDigits === 0 || expDigits === 4) return false;
      scale += minus ? -exponent : exponent;
    }
    if ((i < to && bytes[i] !== SPACE) || scale < -22 || scale > 22) return false;
    const v = scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
    row[k] = negative ? -v : v;
  }
  return i === to;
}

/** Rows of vectors, allocated at once when the count is known, else grown as they arrive. */
class Rows {
  data: Float32Array;
  count = 0;

  constructor(
    readonly dim: number,
    capacity: number,
    private readonly s: Settings,
  ) {
    this.data = new Float32Array(Math.min(capacity, Math.floor(s.maxBytes / 4 / dim)) * dim);
  }

  /** The row to fill next (grows the storage within the memory budget). */
  next(line: number): Float32Array {
    const d = this.dim;
    if ((this.count + 1) * d > this.data.length) {
      const need = (this.count + 1) * d * 4;
      if (need > this.s.maxBytes)
        throw new VectorFileError(
          this.s.source,
          line,
          `${this.count + 1} vectors of ${d} floats exceed the memory budget maxBytes = ${this.s.maxBytes} (pass a larger maxBytes, or a limit)`,
        );
      const rows = Math.min(Math.max(this.count * 2, 1024), Math.floor(this.s.maxBytes / 4 / d));
      const grown = new Float32Array(Math.max(rows, this.count + 1) * d);
      grown.set(this.data.subarray(0, this.count * d));
      this.data = grown;
    }
    return this.data.subarray(this.count * d, (this.count + 1) * d);
  }

  /**
   * The filled rows. Without a copy (a view) when at most 1/8 of the storage is unused — a copy would
   * briefly double the memory of a large file whose line count was an upper bound.
   */
  values(): Float32Array {
    const n = this.count * this.dim;
    if (n === this.data.length) return this.data;
    return (this.data.length - n) * 8 <= this.data.length ? this.data.subarray(0, n) : this.data.slice(0, n);
  }
}

function decodeWord(bytes: Uint8Array, at: number, line: number, what: string, s: Settings): string {
  return decodeText(bytes, s.encoding, s.errors, (offset) => {
    throw new VectorFileError(
      s.source,
      line,
      `byte 0x${bytes[offset].toString(16).padStart(2, '0').toUpperCase()} at offset ${at + offset} of ${what} is not valid ${s.encoding} (pass unicodeErrors: 'replace' or 'ignore', or the file's encoding)`,
    );
  });
}

async function readText(
  reader: ByteReader,
  header: { count: number; dim: number } | null,
  limit: number,
  s: Settings,
): Promise<KeyedVectors> {
  const { source } = s;
  let dim = header?.dim ?? 0;
  const target = header ? Math.min(header.count, limit) : limit;
  let rows: Rows | undefined = header
    ? new Rows(dim, s.byteLength === undefined ? Math.min(target, 1024) : target, s)
    : undefined;
  // One row parsed by the fast path before the checks that may still refuse its line.
  let scratch: Float32Array | undefined;
  const words: string[] = [];
  const seen = new Set<string>();
  let records = 0;
  let lineNo = header ? 1 : 0;
  while (records < target || (dim === 0 && target === 0)) {
    const at = reader.offset;
    // A line holds a word and dim numbers: far longer means no line breaks (not a vectors file).
    const maxLine = dim > 0 ? Math.max(1 << 20, dim * 64) : MAX_FIRST_LINE;
    const bytes = await reader.until(NEWLINE, maxLine);
    lineNo++;
    if (bytes === undefined)
      throw new VectorFileError(
        source,
        lineNo,
        `no line break within ${maxLine} bytes (not a word2vec or GloVe text file)`,
      );
    if (!bytes) {
      if (header)
        throw new VectorFileError(source, lineNo, `file ends after ${records} of ${header.count} vectors`);
      break;
    }
    // The word is decoded from its own bytes (a string of its own: a slice of the line would keep the
    // whole line alive for as long as the vectors); the values are ASCII.
    const space = bytes.indexOf(SPACE);
    const wordBytes = space < 0 ? bytes : bytes.subarray(0, space);
    if (dim > 0 && space >= 0 && parseRowFast(bytes, space + 1, (scratch ??= new Float32Array(dim)), dim)) {
      // Plain decimals, parsed from the bytes (no string per line and per value); the checks and their
      // order are those of the string path below, which takes every other line.
      const word = decodeWord(wordBytes, at, lineNo, `line ${lineNo}`, s);
      if (word === '') throw new VectorFileError(source, lineNo, 'the line starts with a space (empty word)');
      records++;
      const row = rows!.next(lineNo);
      row.set(scratch!);
      if (seen.has(word)) continue;
      seen.add(word);
      words.push(word);
      rows!.count++;
      continue;
    }
    const values = space < 0 ? '' : ascii.decode(bytes.subarray(space + 1)).trimEnd();
    if (values === '' && decodeWord(bytes, at, lineNo, `line ${lineNo}`, s).trim() === '') {
      if (header) throw new VectorFileError(source, lineNo, 'empty line where a vector was expected');
      continue;
    }
    const parts = values === '' ? [] : values.split(' ');
    if (dim === 0) {
      dim = parts.length;
      if (dim < 1)
        throw new VectorFileError(
          source,
          lineNo,
          `expected a word and its values, got ${JSON.stringify(decodeWord(bytes, at, lineNo, `line ${lineNo}`, s).slice(0, 40))}`,
        );
      rows = new Rows(dim, Math.min(s.capacity ?? 1024, limit), s);
      if (target === 0) break;
    }
    if (parts.length !== dim)
      throw new VectorFileError(source, lineNo, `expected ${dim} values after the word, got ${parts.length}`);
    const word = decodeWord(wordBytes, at, lineNo, `line ${lineNo}`, s);
    if (word === '') throw new VectorFileError(source, lineNo, 'the line starts with a space (empty word)');
    records++;
    const row = rows!.next(lineNo);
    for (let k = 0; k < dim; k++) {
      const v = parseValue(parts[k]);
      if (v === undefined)
        throw new VectorFileError(
          source,
          lineNo,
          `value ${k + 1} of ${JSON.stringify(word)} is not a finite number: ${JSON.stringify(parts[k].slice(0, 20))}`,
        );
      row[k] = v;
    }
    if (seen.has(word)) continue; // gensim: "duplicate word in word2vec file, ignoring all but first"
    seen.add(word);
    words.push(word);
    rows!.count++;
  }
  if (dim === 0) throw new VectorFileError(source, Math.max(lineNo, 1), 'no vectors found');
  seen.clear(); // drop its table before KeyedVectors builds its own index of the same words
  return new KeyedVectors(words, rows!.values(), dim);
}

async function readBinary(
  reader: ByteReader,
  header: { count: number; dim: number },
  limit: number,
  s: Settings,
): Promise<KeyedVectors> {
  const { source } = s;
  const { dim } = header;
  const target = Math.min(header.count, limit);
  const rows = new Rows(dim, s.byteLength === undefined ? Math.min(target, 1024) : target, s);
  const words: string[] = [];
  const seen = new Set<string>();
  const bytesPerVector = dim * 4;
  const misaligned = `(the header's dimension ${dim} is wrong, or this is not a word2vec binary file)`;
  for (let r = 0; r < target; r++) {
    const line = r + 2;
    // word2vec.c ends each record with '\n'; gensim does not, and strips leading '\n' from words.
    while ((await reader.ensure(1)) > 0 && reader.peek(0) === NEWLINE) reader.take(1);
    const at = reader.offset;
    const wordBytes = await reader.until(SPACE, MAX_WORD_BYTES);
    if (wordBytes === null)
      throw new VectorFileError(source, line, `file ends after ${r} of ${header.count} vectors`);
    if (wordBytes === undefined)
      throw new VectorFileError(
        source,
        line,
        `record ${r + 1} has no space within ${MAX_WORD_BYTES} bytes ${misaligned}`,
      );
    if (wordBytes.length === 0)
      throw new VectorFileError(
        source,
        line,
        `record ${r + 1} starts with a space (empty word) ${misaligned}`,
      );
    const newline = wordBytes.indexOf(NEWLINE);
    if (newline >= 0)
      throw new VectorFileError(
        source,
        line,
        `the word of record ${r + 1} holds a newline at offset ${at + newline} ${misaligned}`,
      );
    const word = decodeWord(wordBytes, at, line, `the word of record ${r + 1}`, s);
    if ((await reader.ensure(bytesPerVector)) < bytesPerVector)
      throw new VectorFileError(
        source,
        line,
        `truncated vector for ${JSON.stringify(word)}: expected ${bytesPerVector} bytes, got ${reader.available}`,
      );
    const bytes = reader.take(bytesPerVector);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytesPerVector);
    const row = rows.next(line);
    for (let k = 0; k < dim; k++) {
      const v = view.getFloat32(k * 4, true);
      if (!Number.isFinite(v))
        throw new VectorFileError(
          source,
          line,
          `value ${k + 1} of ${JSON.stringify(word)} is not finite (${v})`,
        );
      row[k] = v;
    }
    if (seen.has(word)) continue; // gensim keeps the first vector of a duplicated word
    seen.add(word);
    words.push(word);
    rows.count++;
  }
  seen.clear();
  return new KeyedVectors(words, rows.values(), dim);
}
