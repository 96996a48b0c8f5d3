import { assertInteger, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { uax29Words } from './uax29-words.js';

/** Options of {@link createTokenizer}; all of them are plain data, so an index can save them. */
export interface TokenizerOptions {
  /**
   * `'default'`: words by the Unicode word-boundary rules (UAX #29, through the platform's
   * `Intl.Segmenter`, as Lucene's `StandardTokenizer`): `don't`, `3.14`, `e.g`, `a_b` are one word each.
   * CJK ideographs and hiragana become one token per character, as Lucene's `StandardTokenizer` emits
   * them (so `'自然'` finds `'我喜欢自然语言处理'`); katakana and hangul runs stay words; Thai, Lao,
   * Khmer and Myanmar follow ICU's dictionary. Emoji (presentation emoji, ZWJ sequences, flags,
   * keycaps) are kept as tokens. Overstruck characters (`_\bc`, `B\bB`: man-page underline and bold)
   * are resolved to the last character first, as `col -b`.
   * `'whitespace'`: the text is already tokenized; split on whitespace and keep every token as is
   * (still normalized, case-folded and stop-word filtered if asked).
   * @default 'default'
   */
  mode?: 'default' | 'whitespace';
  /**
   * A regular expression (JavaScript syntax, compiled with the `u` flag) whose matches are the tokens,
   * as scikit-learn's `token_pattern`; with one capturing group the group is the token. Overrides
   * `mode`. scikit-learn's default `(?u)\b\w\w+\b` is {@link SKLEARN_TOKEN_PATTERN}.
   * @default undefined
   */
  tokenPattern?: string;
  /**
   * Unicode normalization applied first (and again after case folding, as ICU's `NFKC_Casefold`):
   * `'NFKC'` folds compatibility forms (`ﬁ` → `fi`, full-width `Ａ` → `A`) and composes accents, so NFC
   * `café` and NFD `café` are the same token; `'NFC'` only composes; `'none'` keeps the text as is.
   * @default 'NFKC'
   */
  normalization?: 'NFKC' | 'NFC' | 'none';
  /**
   * Full Unicode case folding (CaseFolding.txt statuses C + F, as ICU's `foldCase`: `STRASSE` and
   * `straße` are both `strasse`, final `ς` is `σ`; dotless `ı` stays). The chapter's worked example
   * counts `The` and `the` as different words — set `false` to reproduce it.
   * @default true
   */
  lowercase?: boolean;
  /**
   * Remove accents after case folding, as scikit-learn's `strip_accents`: `'unicode'` decomposes (NFKD)
   * and drops nonspacing marks (`café` → `cafe`, other scripts kept); `'ascii'` decomposes and drops
   * every character outside ASCII (fast, only for languages written in ASCII once accents are gone);
   * `'none'` keeps them.
   * @default 'none'
   */
  stripAccents?: 'ascii' | 'unicode' | 'none';
  /**
   * Keep apostrophes inside words (`don't`, `o'clock`, `l’homme` stay one token); `false` splits on them.
   * @default true
   */
  keepApostrophes?: boolean;
  /**
   * Tokens to drop, e.g. {@link ENGLISH_STOP_WORDS}; compared after the same normalization, case folding
   * and accent stripping as the text.
   * @default []
   */
  stopWords?: Iterable<string>;
  /**
   * Drop tokens shorter than this many code points.
   * @default 1
   */
  minLength?: number;
}

/** {@link TokenizerOptions} with every default filled in (what a search index saves). */
export interface ResolvedTokenizerOptions {
  /** See {@link TokenizerOptions.mode}. */
  mode: 'default' | 'whitespace';
  /** See {@link TokenizerOptions.tokenPattern}; absent when not set. */
  tokenPattern?: string;
  /** See {@link TokenizerOptions.normalization}. */
  normalization: 'NFKC' | 'NFC' | 'none';
  /** See {@link TokenizerOptions.lowercase}. */
  lowercase: boolean;
  /** See {@link TokenizerOptions.stripAccents}. */
  stripAccents: 'ascii' | 'unicode' | 'none';
  /** See {@link TokenizerOptions.keepApostrophes}. */
  keepApostrophes: boolean;
  /** See {@link TokenizerOptions.stopWords} (as given, before normalization). */
  stopWords: string[];
  /** See {@link TokenizerOptions.minLength}. */
  minLength: number;
}

/** Splits a text into tokens. */
export type Tokenizer = (text: string) => string[];

/**
 * scikit-learn's default `token_pattern` `(?u)\b\w\w+\b` (runs of two or more letters, digits or `_`)
 * in JavaScript syntax, for {@link TokenizerOptions.tokenPattern}.
 */
export const SKLEARN_TOKEN_PATTERN = '(?<![\\p{L}\\p{N}_])[\\p{L}\\p{N}_]{2,}(?![\\p{L}\\p{N}_])';

const OPTION_KEYS = [
  'mode',
  'tokenPattern',
  'normalization',
  'lowercase',
  'stripAccents',
  'keepApostrophes',
  'stopWords',
  'minLength',
];
const WHITESPACE = /\s+/u;
const ASCII = /^\p{ASCII}*$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a backspace is what an overstrike is.
const OVERSTRIKE = /[^\x08\r\n]\x08/gu;
const APOSTROPHES = /['’‘]/u;
const NONSPACING_MARKS = /\p{Mn}/gu;
const NON_ASCII = /\P{ASCII}/gu;

/**
 * Full case folding (see {@link TokenizerOptions.lowercase}). JavaScript has no `foldCase`: lowercase,
 * uppercase (which applies the F foldings of SpecialCasing: `ß` → `SS`, `ῳ` → `ΩΙ`) and lowercase again
 * gives the folded form up to normalization, except for dotless `ı` (kept, as in CaseFolding.txt) and
 * final sigma (folded to `σ`).
 */
export function foldCase(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  const fold = (part: string) => part.toLowerCase().toUpperCase().toLowerCase();
  const folded = text.includes('ı') ? text.split('ı').map(fold).join('ı') : fold(text);
  return folded.replace(/ς/g, 'σ');
}

/** Validates `options` and fills in every default (unknown options throw). */
export function resolveTokenizerOptions(
  options: TokenizerOptions,
  fn = 'createTokenizer',
): ResolvedTokenizerOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new InvalidArgumentError('tokenizer', fn, 'an object of tokenizer options', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key))
      throw new InvalidArgumentError(key, fn, `not given (tokenizer options are ${OPTION_KEYS.join(', ')})`);
  }
  const mode = assertOneOf(options.mode ?? 'default', ['default', 'whitespace'], 'mode', fn);
  const normalization = assertOneOf(
    options.normalization ?? 'NFKC',
    ['NFKC', 'NFC', 'none'],
    'normalization',
    fn,
  );
  const stripAccents = assertOneOf(
    options.stripAccents ?? 'none',
    ['ascii', 'unicode', 'none'],
    'stripAccents',
    fn,
  );
  for (const flag of ['lowercase', 'keepApostrophes'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      throw new InvalidArgumentError(flag, fn, 'a boolean', options[flag]);
  }
  const minLength = assertInteger(options.minLength ?? 1, 'minLength', fn, 1);
  if (options.tokenPattern !== undefined) compilePattern(options.tokenPattern, fn);
  const stopWords = options.stopWords ?? [];
  if (typeof stopWords === 'string' || typeof (stopWords as Iterable<string>)[Symbol.iterator] !== 'function')
    throw new InvalidArgumentError('stopWords', fn, 'an array of words', stopWords);
  const words = [...stopWords];
  for (const w of words) {
    if (typeof w !== 'string') throw new InvalidArgumentError('stopWords', fn, 'an array of strings', w);
  }
  return {
    mode,
    ...(options.tokenPattern !== undefined ? { tokenPattern: options.tokenPattern } : {}),
    normalization,
    lowercase: options.lowercase ?? true,
    stripAccents,
    keepApostrophes: options.keepApostrophes ?? true,
    stopWords: words,
    minLength,
  };
}

function compilePattern(source: unknown, fn: string): { pattern: RegExp; group: boolean } {
  if (typeof source !== 'string' || source === '')
    throw new InvalidArgumentError('tokenPattern', fn, 'a non-empty regular expression source', source);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'gu');
  } catch (error) {
    throw new InvalidArgumentError(
      'tokenPattern',
      fn,
      `a valid JavaScript regular expression (${(error as Error).message})`,
      source,
    );
  }
  // Capturing groups, as scikit-learn counts them: more than one is refused.
  const groups = new RegExp(`${source}|`, 'u').exec('')!.length - 1;
  if (groups > 1)
    throw new InvalidArgumentError('tokenPattern', fn, 'a pattern with at most one capturing group', source);
  if (pattern.test(''))
    throw new InvalidArgumentError('tokenPattern', fn, 'a pattern that cannot match ""', source);
  return { pattern, group: groups === 1 };
}

/**
 * Builds a tokenizer. By default it normalizes (NFKC), case-folds and extracts UAX #29 words, so
 * `"Don't stop—the café's 2 dogs!"` → `["don't", 'stop', 'the', "café's", '2', 'dogs']` and `'STRASSE'`
 * → `['strasse']`.
 */
export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  const o = resolveTokenizerOptions(options);
  const compiled =
    o.tokenPattern !== undefined ? compilePattern(o.tokenPattern, 'createTokenizer') : undefined;
  const normalize = (text: string): string => {
    let s = text;
    if (o.normalization !== 'none' && !ASCII.test(s)) s = s.normalize(o.normalization);
    if (o.lowercase) {
      s = foldCase(s);
      if (o.normalization !== 'none' && !ASCII.test(s)) s = s.normalize(o.normalization);
    }
    if (o.stripAccents !== 'none' && !ASCII.test(s)) {
      s = s.normalize('NFKD');
      s = o.stripAccents === 'unicode' ? s.replace(NONSPACING_MARKS, '') : s.replace(NON_ASCII, '');
    }
    return s;
  };
  const stop = new Set(o.stopWords.map(normalize));
  return (text: string) => {
    if (typeof text !== 'string') throw new InvalidArgumentError('text', 'tokenize', 'a string', text);
    // Overstrike (X backspace Y prints Y over X) before anything else: underlined and bold words.
    const source = normalize(text.includes('\b') ? text.replace(OVERSTRIKE, '') : text);
    let raw: string[];
    if (compiled) {
      raw = [];
      compiled.pattern.lastIndex = 0;
      for (const match of source.matchAll(compiled.pattern)) {
        const token = compiled.group ? match[1] : match[0];
        if (token) raw.push(token);
      }
    } else if (o.mode === 'whitespace') raw = source.split(WHITESPACE);
    else raw = uax29Words(source);
    const out: string[] = [];
    for (const token of raw) {
      if (!o.keepApostrophes && APOSTROPHES.test(token)) {
        for (const part of token.split(APOSTROPHES)) keep(part, out);
      } else keep(token, out);
    }
    return out;
  };

  function keep(token: string, out: string[]) {
    if (token.length < o.minLength || stop.has(token) || token === '') return;
    if (o.minLength > 1 && token.length < 2 * o.minLength) {
      let points = 0;
      for (const _ of token) points++;
      if (points < o.minLength) return;
    }
    out.push(token);
  }
}

/** Tokenizes one text with {@link createTokenizer}`(options)`. */
export function tokenize(text: string, options: TokenizerOptions = {}): string[] {
  return createTokenizer(options)(text);
}
