import { InvalidArgumentError } from '@wordloom/core';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { type SentenceOptions, SentenceSplitter } from './sentences.js';
import { decodeUtf8, utf8CompleteLength } from './utf8.js';

/** Bytes arriving in chunks: a web `ReadableStream` (e.g. `fetch(url).body`) or any async iterable. */
export type ByteChunks = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Options of {@link linesOf} and {@link sentencesOf}. */
export interface TextStreamOptions {
  /**
   * Text encoding, any WHATWG label (`'utf-8'`, `'utf-16le'`, `'latin1'`, `'windows-1252'`, …).
   * @default 'utf-8'
   */
  encoding?: string;
  /**
   * Bytes that are not valid in `encoding` (Python's codec error handlers, gensim's `unicode_errors`):
   * `'strict'` throws a `CorruptFileError` naming the byte and its offset (as gensim's `LineSentence`
   * decodes), `'replace'` puts U+FFFD in place of each maximal invalid subsequence, `'ignore'` drops
   * them (UTF-8 only). Single-byte encodings such as `'latin1'` map every byte and never refuse one.
   * @default 'strict'
   */
  unicodeErrors?: 'strict' | 'replace' | 'ignore';
  /**
   * Stops reading (the iterator throws the signal's reason) when aborted.
   * @default undefined (never aborted)
   */
  signal?: AbortSignal;
}

/** Options of {@link linesOf}. */
export interface LinesOptions extends TextStreamOptions {
  /**
   * A line longer than this many characters is an error (a stream without line breaks would otherwise
   * be held in memory whole).
   * @default 16777216
   */
  maxLineLength?: number;
}

/**
 * The lines of a byte stream, decoded incrementally in constant memory (browsers and Node). Line ends
 * `\n` and `\r\n` are removed; a final line without a line end is included.
 */
export function linesOf(source: ByteChunks, options: LinesOptions = {}): AsyncGenerator<string> {
  return splitLines(source, options, 'linesOf');
}

/** {@link linesOf} reporting errors as coming from `functionName`. */
export async function* splitLines(
  source: ByteChunks,
  options: LinesOptions,
  functionName: string,
  name?: string,
): AsyncGenerator<string> {
  const maxLineLength = options.maxLineLength ?? 16 * 2 ** 20;
  let rest = '';
  for await (const text of decodeChunks(source, options, functionName, name)) {
    const buffer = rest + text;
    let start = 0;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
      yield buffer.slice(start, nl > start && buffer[nl - 1] === '\r' ? nl - 1 : nl);
      start = nl + 1;
    }
    rest = buffer.slice(start);
    if (rest.length > maxLineLength) {
      throw new InvalidArgumentError(
        'maxLineLength',
        'linesOf',
        'at least the length of the longest line',
        maxLineLength,
      );
    }
  }
  if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/**
 * The sentences of a byte stream as token arrays (the rules of `tokenizeSentences`), in constant memory
 * (browsers and Node).
 */
export function sentencesOf(
  source: ByteChunks,
  options: TextStreamOptions & SentenceOptions = {},
): AsyncGenerator<string[]> {
  return splitSentences(source, options, 'sentencesOf');
}

/** {@link sentencesOf} reporting errors as coming from `functionName`. */
export async function* splitSentences(
  source: ByteChunks,
  options: TextStreamOptions & SentenceOptions,
  functionName: string,
  name?: string,
): AsyncGenerator<string[]> {
  const splitter = new SentenceSplitter(options);
  for await (const text of decodeChunks(source, options, functionName, name)) yield* splitter.push(text);
  yield* splitter.end();
}

/**
 * Decodes byte chunks to text chunks; a character split between two chunks is decoded whole. `source`
 * names the input in errors (a file path, or `'<input>'`).
 */
export async function* decodeChunks(
  source: ByteChunks,
  options: TextStreamOptions,
  functionName: string,
  name = '<input>',
): AsyncGenerator<string> {
  const { encoding = 'utf-8', signal } = options;
  const errors = options.unicodeErrors ?? 'strict';
  if (!['strict', 'replace', 'ignore'].includes(errors))
    throw new InvalidArgumentError(
      'unicodeErrors',
      functionName,
      "one of 'strict', 'replace', 'ignore'",
      errors,
    );
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: errors === 'strict' });
  } catch {
    throw new InvalidArgumentError(
      'encoding',
      functionName,
      "an encoding label TextDecoder knows, e.g. 'utf-8' or 'latin1'",
      encoding,
    );
  }
  const utf8 = decoder.encoding === 'utf-8';
  if (errors === 'ignore' && !utf8)
    throw new InvalidArgumentError(
      'unicodeErrors',
      functionName,
      `'strict' or 'replace' for ${decoder.encoding} ('ignore' is for UTF-8 text)`,
      errors,
    );
  const refuse = (at: number, byte: number | undefined, where: string): never => {
    const what = byte === undefined ? 'a byte' : `byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;
    throw new CorruptFileError(
      name,
      `${what} ${where} is not valid ${decoder.encoding} (pass encoding 'latin1', or unicodeErrors 'replace' or 'ignore')`,
      { actual: at },
    );
  };
  signal?.throwIfAborted();
  if (utf8 && errors !== 'replace') {
    // Our own UTF-8 decoding, to name the offset of a refused byte or to drop it.
    let carry = new Uint8Array(0);
    let base = 0;
    let started = false;
    // A byte-order mark at the start is dropped, as TextDecoder does.
    const bom = (text: string) => {
      if (started || text.length === 0) return text;
      started = true;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    };
    for await (const chunk of iterate(source)) {
      signal?.throwIfAborted();
      const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
      const cut = utf8CompleteLength(bytes);
      const head = bytes.subarray(0, cut);
      const text = bom(decodeUtf8(head, errors, (i) => refuse(base + i, head[i], `at offset ${base + i}`)));
      base += cut;
      carry = bytes.slice(cut);
      if (text.length > 0) yield text;
    }
    const tail = bom(decodeUtf8(carry, errors, (i) => refuse(base + i, carry[i], `at offset ${base + i}`)));
    if (tail.length > 0) yield tail;
    return;
  }
  let offset = 0;
  for await (const chunk of iterate(source)) {
    signal?.throwIfAborted();
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      refuse(offset, undefined, `within offsets ${offset}–${offset + chunk.length - 1}`);
    }
    offset += chunk.length;
    if (text!.length > 0) yield text!;
  }
  let tail = '';
  try {
    tail = decoder.decode();
  } catch {
    refuse(offset, undefined, `at the end (offset ${offset})`);
  }
  if (tail.length > 0) yield tail;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// ReadableStream is not async-iterable in every browser yet; read it through its reader.
async function* iterate(source: ByteChunks): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream).getReader !== 'function') {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early (break, abort, error) cancels the stream so its source can be released.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
