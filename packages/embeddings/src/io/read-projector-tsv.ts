import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { VectorFileError } from '../errors/vector-file-error.js';
import { KeyedVectors } from '../keyed-vectors.js';

/** A stream of byte chunks: a Node file stream, a `Blob.stream()`, a `fetch` body, an array of `Uint8Array`. */
type ByteChunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Options of {@link readProjectorTsv}. */
export interface ReadProjectorTsvOptions {
  /**
   * The Projector's `metadata.tsv`: one row per vector, tab-separated. With one column there is no header
   * and the column is the label; with several, the first line names the columns and the first column is
   * the label (the TensorBoard Embedding Projector's rules).
   * @default undefined (labels are the row numbers "0", "1", …)
   */
  metadata?: ByteChunks;
  /** Read only the first `limit` vectors (and metadata rows), then stop reading. @default all */
  limit?: number;
  /** Name of the vectors file in error messages. @default 'vectors.tsv' */
  source?: string;
  /** Name of the metadata file in error messages. @default 'metadata.tsv' */
  metadataSource?: string;
}

/** What {@link readProjectorTsv} returns. */
export interface ProjectorTsv {
  /** The vectors, labelled by the metadata's first column (duplicate labels resolve to their first row). */
  vectors: KeyedVectors;
  /** Metadata column names (`['label']` for a one-column file without header; `[]` without metadata). */
  columns: string[];
  /** `values[c][r]`: column `c` of row `r`, as in the file. */
  values: string[][];
}

const decoderOptions = { fatal: false } as const;

/** Lines of a UTF-8 byte stream, decoded incrementally (a line never has to be in one chunk). */
async function* lines(chunks: ByteChunks): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', decoderOptions);
  let pending = '';
  for await (const chunk of chunks as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      yield pending.slice(start, nl);
      start = nl + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== '') yield pending;
}

/** A line without its `\r` (files written on Windows). */
function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Reads the TensorBoard Embedding Projector's pair of files, streamed: `vectors.tsv` (one vector per line,
 * tab-separated numbers, no header) and the optional `metadata.tsv` (labels and other columns). Every row
 * must have the first row's dimension and finite values; the metadata must have exactly one row per vector.
 * Blank lines at the end are ignored. Malformed input throws {@link VectorFileError} naming the file and line.
 */
export async function readProjectorTsv(
  vectors: ByteChunks,
  options: ReadProjectorTsvOptions = {},
): Promise<ProjectorTsv> {
  const fn = 'readProjectorTsv';
  for (const key of Object.keys(options))
    if (!['metadata', 'limit', 'source', 'metadataSource'].includes(key))
      throw new InvalidArgumentError(
        key,
        fn,
        'a known option (metadata, limit, source, metadataSource)',
        key,
      );
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (options.limit !== undefined) assertInteger(options.limit, 'limit', fn, 1);
  const source = options.source ?? 'vectors.tsv';
  const metaSource = options.metadataSource ?? 'metadata.tsv';

  let dim = 0;
  let rows = 0;
  let data = new Float32Array(0);
  let lineNo = 0;
  let blankAt = 0;
  for await (const raw of lines(vectors)) {
    lineNo++;
    const line = stripCr(raw);
    if (line.trim() === '') {
      blankAt ||= lineNo;
      continue;
    }
    if (blankAt) throw new VectorFileError(source, blankAt, 'empty line where a vector was expected');
    if (rows >= limit) break;
    const parts = line.split('\t');
    if (dim === 0) dim = parts.length;
    if (parts.length !== dim)
      throw new VectorFileError(
        source,
        lineNo,
        `expected ${dim} tab-separated values (as on line 1), got ${parts.length}`,
      );
    if ((rows + 1) * dim > data.length) {
      // Grow geometrically: the file's length is not known in advance.
      const grown = new Float32Array(Math.max(data.length * 2, 1024 * dim));
      grown.set(data);
      data = grown;
    }
    for (let k = 0; k < dim; k++) {
      const token = parts[k].trim();
      const v = Number(token);
      if (token === '' || !Number.isFinite(v))
        throw new VectorFileError(
          source,
          lineNo,
          `value ${k + 1} is not a finite number: ${JSON.stringify(parts[k].slice(0, 20))}`,
        );
      data[rows * dim + k] = v;
    }
    rows++;
  }
  if (rows === 0) throw new VectorFileError(source, Math.max(lineNo, 1), 'no vectors found');
  const matrix = data.length === rows * dim ? data : data.slice(0, rows * dim);

  let columns: string[] = [];
  let values: string[][] = [];
  if (options.metadata !== undefined) {
    const read: string[][] = [];
    let metaLine = 0;
    let width = 0;
    for await (const raw of lines(options.metadata)) {
      metaLine++;
      const line = stripCr(raw);
      if (metaLine === 1) {
        width = line.split('\t').length;
        if (width > 1) {
          columns = line.split('\t');
          continue;
        }
        columns = ['label'];
      }
      if (read.length >= rows) {
        if (line.trim() === '') continue;
        if (rows < limit)
          throw new VectorFileError(
            metaSource,
            metaLine,
            `more metadata rows than the ${rows} vectors of ${source}`,
          );
        break;
      }
      const cells = line.split('\t');
      if (cells.length !== width)
        throw new VectorFileError(
          metaSource,
          metaLine,
          `expected ${width} tab-separated columns, got ${cells.length}`,
        );
      read.push(cells);
    }
    if (read.length < rows)
      throw new VectorFileError(
        metaSource,
        Math.max(metaLine, 1),
        `has ${read.length} data rows but ${source} has ${rows} vectors (one row per vector is needed)`,
      );
    values = columns.map((_, c) => read.map((r) => r[c]));
  }
  const labels = values[0] ?? Array.from({ length: rows }, (_, i) => String(i));
  return { vectors: new KeyedVectors(labels, matrix, dim), columns, values };
}
