import { assertOneOf, InvalidArgumentError } from '@wordloom/core';

/** Options of {@link createTokenizer}; all of them are plain data, so an index can save them. */
export interface TokenizerOptions {
  /**
   * `'default'`: words are maximal runs of Unicode letters and digits (`\p{L}\p{N}`, plus combining
   * marks), optionally joined by apostrophes. `'whitespace'`: the text is already tokenized; split on
   * whitespace and keep every token as is (still lowercased and stop-word filtered if asked).
   * @default 'default'
   */
  mode?: 'default' | 'whitespace';
  /**
   * Lowercase the text first (Unicode-aware `toLowerCase`). The chapter's worked example counts `The`
   * and `the` as different words — set `false` to reproduce it.
   * @default true
   */
  lowercase?: boolean;
  /**
   * Keep inner apostrophes (`don't`, `o'clock`, `l’homme` stay one token); `false` splits on them.
   * @default true
   */
  keepApostrophes?: boolean;
  /**
   * Tokens to drop (compared after lowercasing), e.g. {@link ENGLISH_STOP_WORDS}.
   * @default []
   */
  stopWords?: Iterable<string>;
  /**
   * Drop tokens shorter than this many UTF-16 code units.
   * @default 1
   */
  minLength?: number;
}

/** Splits a text into tokens. */
export type Tokenizer = (text: string) => string[];

const WORD_WITH_APOSTROPHES = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const WHITESPACE = /\s+/u;

/**
 * Builds a tokenizer. The default mode lowercases and extracts Unicode words, so `"Don't stop—the
 * café's 2 dogs!"` → `["don't", 'stop', 'the', "café's", '2', 'dogs']`.
 */
export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  const fn = 'createTokenizer';
  const mode = assertOneOf(options.mode ?? 'default', ['default', 'whitespace'], 'mode', fn);
  const lowercase = options.lowercase ?? true;
  const minLength = options.minLength ?? 1;
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new InvalidArgumentError('minLength', fn, 'an integer >= 1', minLength);
  }
  const stop = new Set<string>();
  for (const w of options.stopWords ?? []) stop.add(lowercase ? w.toLowerCase() : w);
  const pattern = (options.keepApostrophes ?? true) ? WORD_WITH_APOSTROPHES : WORD;
  return (text: string) => {
    if (typeof text !== 'string') throw new InvalidArgumentError('text', 'tokenize', 'a string', text);
    const source = lowercase ? text.toLowerCase() : text;
    const raw = mode === 'whitespace' ? source.split(WHITESPACE) : (source.match(pattern) ?? []);
    const out: string[] = [];
    for (const token of raw) {
      if (token.length >= minLength && !stop.has(token)) out.push(token);
    }
    return out;
  };
}

/** Tokenizes one text with {@link createTokenizer}`(options)`. */
export function tokenize(text: string, options: TokenizerOptions = {}): string[] {
  return createTokenizer(options)(text);
}
