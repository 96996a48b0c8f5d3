import { assertInteger, assertOneOf } from '@wordloom/core';
import { VectorFileError } from '../errors/vector-file-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { ByteReader } from './byte-reader.js';

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
  /** Read only the first `limit` vectors and stop reading the stream. @default all */
  limit?: number;
  /** Name used in error messages. @default '<input>' */
  source?: string;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8');

/**
 * Parses word vectors from a stream of byte chunks (a Node file stream, a `fetch` body, an array of
 * `Uint8Array`) without holding the file in memory: word2vec binary (`N D\n` then, per word,
 * `word<space>` + D little-endian float32, optionally `\n`), word2vec text (`N D\n` then `word v1 … vD`)
 * and GloVe text (no header). Malformed input throws {@link VectorFileError} with the line number
 * (for binary files, the record number + 1).
 */
export async function readVectors(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadVectorsOptions = {},
): Promise<KeyedVectors> {
  const format = options.format ?? 'auto';
  assertOneOf(format, ['auto', 'word2vec-bin', 'word2vec-txt', 'glove'], 'format', 'readVectors');
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (options.limit !== undefined) assertInteger(options.limit, 'limit', 'readVectors', 0);
  const source = options.source ?? '<input>';
  const reader = new ByteReader(chunks);
  try {
    let header: { count: number; dim: number } | null = null;
    let kind = format;
    if (format !== 'glove') {
      await reader.ensure(256);
      const firstLine = peekLine(reader);
      const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(firstLine);
      if (m) header = { count: Number(m[1]), dim: Number(m[2]) };
      else if (format !== 'auto')
        throw new VectorFileError(
          source,
          1,
          `expected a header "N D", got ${JSON.stringify(firstLine.slice(0, 40))}`,
        );
      if (header) {
        await reader.until(NEWLINE);
        if (header.dim < 1) throw new VectorFileError(source, 1, `dimension must be ≥ 1, got ${header.dim}`);
        if (kind === 'auto')
          kind = (await looksLikeText(reader, header.dim)) ? 'word2vec-txt' : 'word2vec-bin';
      } else kind = 'glove';
    }
    if (kind === 'word2vec-bin') return await readBinary(reader, header!, limit, source);
    return await readText(reader, header, limit, source);
  } finally {
    await reader.close();
  }
}

function peekLine(reader: ByteReader): string {
  const n = reader.available;
  let end = 0;
  while (end < n && reader.peek(end) !== NEWLINE) end++;
  const bytes = new Uint8Array(end);
  for (let i = 0; i < end; i++) bytes[i] = reader.peek(i);
  return decoder.decode(bytes);
}

/** True when the line after the header is `word` plus `dim` numbers (word2vec text, not binary). */
async function looksLikeText(reader: ByteReader, dim: number): Promise<boolean> {
  await reader.ensure(64 + dim * 32);
  const line = peekLine(reader).trim().split(/\s+/);
  return line.length === dim + 1 && line.slice(1).every((t) => t !== '' && Number.isFinite(Number(t)));
}

async function readText(
  reader: ByteReader,
  header: { count: number; dim: number } | null,
  limit: number,
  source: string,
): Promise<KeyedVectors> {
  let dim = header?.dim ?? 0;
  const target = header ? Math.min(header.count, limit) : limit;
  let data = new Float32Array(header ? target * dim : 0);
  const words: string[] = [];
  let lineNo = header ? 1 : 0;
  while (words.length < target) {
    const bytes = await reader.until(NEWLINE);
    lineNo++;
    if (bytes === null) {
      if (header)
        throw new VectorFileError(
          source,
          lineNo,
          `file ends after ${words.length} of ${header.count} vectors`,
        );
      break;
    }
    const line = decoder.decode(bytes).trimEnd();
    if (line === '') {
      if (header) throw new VectorFileError(source, lineNo, 'empty line where a vector was expected');
      continue;
    }
    const parts = line.split(' ');
    if (dim === 0) dim = parts.length - 1;
    if (dim < 1)
      throw new VectorFileError(
        source,
        lineNo,
        `expected a word and its values, got ${JSON.stringify(line.slice(0, 40))}`,
      );
    if (parts.length !== dim + 1)
      throw new VectorFileError(
        source,
        lineNo,
        `expected ${dim} values after the word, got ${parts.length - 1}`,
      );
    if (words.length * dim + dim > data.length) {
      const grown = new Float32Array(Math.max(data.length * 2, 1024 * dim));
      grown.set(data);
      data = grown;
    }
    const base = words.length * dim;
    for (let k = 0; k < dim; k++) {
      const token = parts[k + 1];
      const v = Number(token);
      if (token === '' || !Number.isFinite(v))
        throw new VectorFileError(
          source,
          lineNo,
          `value ${k + 1} of ${JSON.stringify(parts[0])} is not a finite number: ${JSON.stringify(token.slice(0, 20))}`,
        );
      data[base + k] = v;
    }
    words.push(parts[0]);
  }
  if (words.length === 0 && dim === 0)
    throw new VectorFileError(source, Math.max(lineNo, 1), 'no vectors found');
  return new KeyedVectors(
    words,
    data.length === words.length * dim ? data : data.slice(0, words.length * dim),
    dim,
  );
}

async function readBinary(
  reader: ByteReader,
  header: { count: number; dim: number },
  limit: number,
  source: string,
): Promise<KeyedVectors> {
  const { dim } = header;
  const target = Math.min(header.count, limit);
  const data = new Float32Array(target * dim);
  const words: string[] = [];
  const bytesPerVector = dim * 4;
  for (let r = 0; r < target; r++) {
    const line = r + 2;
    // word2vec.c ends each record with '\n'; gensim does not. Skip it either way.
    while ((await reader.ensure(1)) > 0 && reader.peek(0) === NEWLINE) reader.take(1);
    const wordBytes = await reader.until(SPACE);
    if (wordBytes === null)
      throw new VectorFileError(source, line, `file ends after ${r} of ${header.count} vectors`);
    const word = decoder.decode(wordBytes);
    if (
      wordBytes.length === 0 ||
      wordBytes.length > 10_000 ||
      wordBytes.some((b) => b < SPACE) ||
      word.includes('\uFFFD')
    )
      throw new VectorFileError(
        source,
        line,
        `record ${r + 1} does not start with a word (wrong dimension in the header, or not a word2vec binary file)`,
      );
    if ((await reader.ensure(bytesPerVector)) < bytesPerVector)
      throw new VectorFileError(
        source,
        line,
        `truncated vector for ${JSON.stringify(word)}: expected ${bytesPerVector} bytes, got ${reader.available}`,
      );
    const bytes = reader.take(bytesPerVector);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytesPerVector);
    const base = r * dim;
    for (let k = 0; k < dim; k++) {
      const v = view.getFloat32(k * 4, true);
      if (!Number.isFinite(v))
        throw new VectorFileError(source, line, `value ${k + 1} of ${JSON.stringify(word)} is not finite`);
      data[base + k] = v;
    }
    words.push(word);
  }
  return new KeyedVectors(words, data, dim);
}
