/** Options of {@link tokenizeSentences}, {@link SentenceSplitter} and the streaming readers. */
export interface SentenceOptions {
  /**
   * Lower-case every token, as both of the chapter's pipelines do (`corpus_raw.lower()` in Listings
   * 4-1a/b, `.lower()` in Listing 4-4's `read_data`).
   * @default true
   */
  lowercase?: boolean;
  /**
   * Keep punctuation marks as one-character tokens (`,` `.` `'` …), as Listing 4-4's vocabulary has them.
   * @default false
   */
  punctuation?: boolean;
  /**
   * A sentence longer than this many characters (text without any boundary, e.g. a binary file) is cut
   * there, which keeps streaming memory bounded.
   * @default 100000
   */
  maxSentenceLength?: number;
}

// A word: letters/digits, with inner apostrophes or hyphens ("alice's", "rabbit-hole", "2-1").
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const WORD_OR_MARK = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'prof',
  'vs',
  'e.g',
  'i.e',
  'mt',
  'messrs',
]);
const TERMINAL = '.!?';
const CLOSERS = `'"’”)]`;

/** The tokens of `text` (words; with `punctuation`, also single punctuation marks). */
export function tokenizeWords(text: string, options: SentenceOptions = {}): string[] {
  const { lowercase = true, punctuation = false } = options;
  const tokens = text.match(punctuation ? WORD_OR_MARK : WORD) ?? [];
  return lowercase ? tokens.map((t) => t.toLowerCase()) : tokens;
}

/**
 * Splits text into sentences incrementally, for streams: feed chunks with {@link push}, then call
 * {@link end}. A sentence ends at `.`, `!` or `?` (plus closing quotes/brackets) followed by white space —
 * except after common abbreviations and single-capital initials ("Mr.", "G. K.") — and at every blank
 * line (paragraph and heading breaks). Memory is bounded by the longest sentence.
 */
export class SentenceSplitter {
  private pending = '';
  private scanned = 0;
  private readonly options: SentenceOptions;
  private readonly maxLength: number;

  constructor(options: SentenceOptions = {}) {
    this.options = options;
    this.maxLength = options.maxSentenceLength ?? 100_000;
  }

  /** Adds text; returns the sentences (token arrays) it completed. */
  push(text: string): string[][] {
    const out: string[][] = [];
    let s = this.pending + text;
    let start = 0;
    let i = this.scanned;
    const n = s.length;
    while (i < n) {
      const c = s[i];
      if (c === '\n') {
        let j = i + 1;
        while (j < n && (s[j] === ' ' || s[j] === '\t' || s[j] === '\r')) j++;
        if (j >= n) break; // cannot tell yet whether a blank line follows
        if (s[j] === '\n') {
          this.emit(s.slice(start, i), out);
          start = j + 1;
          i = j + 1;
          continue;
        }
      } else if (TERMINAL.includes(c)) {
        let j = i + 1;
        while (j < n && (TERMINAL.includes(s[j]) || CLOSERS.includes(s[j]))) j++;
        if (j >= n) break; // the boundary depends on what comes next
        if (isSpace(s[j]) && !(c === '.' && isAbbreviation(s, start, i))) {
          this.emit(s.slice(start, j), out);
          start = j;
        }
        i = j;
        continue;
      }
      i++;
      if (i - start > this.maxLength) {
        // Cut at the last white space, so no word is split.
        let cut = i;
        while (cut > start && !isSpace(s[cut - 1])) cut--;
        if (cut === start) cut = i;
        this.emit(s.slice(start, cut), out);
        start = cut;
      }
    }
    s = s.slice(start);
    this.pending = s;
    this.scanned = i - start;
    return out;
  }

  /** Flushes the last sentence (text after the final boundary). */
  end(): string[][] {
    const out: string[][] = [];
    this.emit(this.pending, out);
    this.pending = '';
    this.scanned = 0;
    return out;
  }

  private emit(text: string, out: string[][]): void {
    const tokens = tokenizeWords(text, this.options);
    if (tokens.length > 0) out.push(tokens);
  }
}

/** Sentences of `text`, each a list of tokens (see {@link SentenceSplitter} for the rules). */
export function tokenizeSentences(text: string, options: SentenceOptions = {}): string[][] {
  const splitter = new SentenceSplitter(options);
  return [...splitter.push(text), ...splitter.end()];
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0';
}

/** Whether the period at `dot` closes an abbreviation or an initial rather than a sentence. */
function isAbbreviation(s: string, start: number, dot: number): boolean {
  let k = dot;
  while (k > start && !isSpace(s[k - 1]) && s[k - 1] !== '(' && s[k - 1] !== '"') k--;
  const word = s.slice(k, dot);
  if (word.length === 1 && word >= 'A' && word <= 'Z') return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}
