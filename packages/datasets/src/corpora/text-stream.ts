import { InvalidArgumentError } from '@wordloom/core';
import { type SentenceOptions, SentenceSplitter } from './sentences.js';

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
): AsyncGenerator<string> {
  const maxLineLength = options.maxLineLength ?? 16 * 2 ** 20;
  let rest = '';
  for await (const text of decodeChunks(source, options, functionName)) {
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
): AsyncGenerator<string[]> {
  const splitter = new SentenceSplitter(options);
  for await (const text of decodeChunks(source, options, functionName)) yield* splitter.push(text);
  yield* splitter.end();
}

/** Decodes byte chunks to text chunks; a character split between two chunks is decoded whole. */
export async function* decodeChunks(
  source: ByteChunks,
  options: TextStreamOptions,
  functionName: string,
): AsyncGenerator<string> {
  const { encoding = 'utf-8', signal } = options;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw new InvalidArgumentError(
      'encoding',
      functionName,
      "an encoding label TextDecoder knows, e.g. 'utf-8' or 'latin1'",
      encoding,
    );
  }
  signal?.throwIfAborted();
  for await (const chunk of iterate(source)) {
    signal?.throwIfAborted();
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
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
