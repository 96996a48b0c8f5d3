import { createReadStream } from 'node:fs';
import { assertOneOf, InvalidArgumentError, WordloomError } from '@wordloom/core';
import { TextDecodeError } from '../errors/text-decode-error.js';
import { ByteReader } from '../io/byte-reader.js';
import {
  decodeText,
  TEXT_ENCODINGS,
  type TextEncoding,
  UNICODE_ERRORS,
  type UnicodeErrors,
} from '../io/decode-text.js';
import { assertKnownOptions } from '../validate-options.js';

/** Options of {@link fileSentences}. */
export interface FileSentencesOptions {
  /** Lower-case every line. @default false */
  lowercase?: boolean;
  /** The file's encoding (`'latin1'` is ISO-8859-1: every byte is a character). @default 'utf-8' */
  encoding?: TextEncoding;
  /**
   * Bytes not valid in `encoding`: `'strict'` throws {@link TextDecodeError} naming the byte and its
   * offset (gensim's `LineSentence` decodes strictly too), `'replace'` gives U+FFFD, `'ignore'` drops
   * them.
   * @default 'strict'
   */
  unicodeErrors?: UnicodeErrors;
  /** Stops reading (the iterator throws the signal's reason) when aborted. @default undefined */
  signal?: AbortSignal;
}

// Python's str.split() separators (gensim's LineSentence): \t \n \v \f \r, \x1c–\x1f, space, \x85, \xa0 and
// the Unicode spaces. Backspace, bell and the other control characters stay inside words, as in word2vec.c.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the separators are control characters.
const WHITESPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Streams a corpus file as sentences: one sentence per line, tokens split on white space as Python's
 * `str.split()` (gensim's `LineSentence`), empty lines skipped. Each call of `[Symbol.asyncIterator]`
 * re-reads the file, so trainers can make several passes.
 */
export function fileSentences(path: string, options: FileSentencesOptions = {}): AsyncIterable<string[]> {
  assertKnownOptions(options, ['lowercase', 'encoding', 'unicodeErrors', 'signal'], 'fileSentences');
  const encoding = assertOneOf(options.encoding ?? 'utf-8', TEXT_ENCODINGS, 'encoding', 'fileSentences');
  const errors = assertOneOf(
    options.unicodeErrors ?? 'strict',
    UNICODE_ERRORS,
    'unicodeErrors',
    'fileSentences',
  );
  const { lowercase = false, signal } = options;
  return {
    async *[Symbol.asyncIterator]() {
      signal?.throwIfAborted();
      const reader = new ByteReader(createReadStream(path, { highWaterMark: 1 << 20, signal }));
      try {
        for (;;) {
          const at = reader.offset;
          const bytes = await reader.until(0x0a);
          if (!bytes) break;
          const line = decodeText(bytes, encoding, errors, (offset) => {
            throw new TextDecodeError(path, at + offset, bytes[offset], encoding);
          });
          const text = lowercase ? line.toLowerCase() : line;
          const tokens = text.split(WHITESPACE).filter((t) => t !== '');
          if (tokens.length > 0) yield tokens;
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (WordloomError.isInstance(error)) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new InvalidArgumentError('path', 'fileSentences', `a readable corpus file (${code})`, path);
      } finally {
        await reader.close();
      }
    },
  };
}
