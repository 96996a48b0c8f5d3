/**
 * Words of a text by the Unicode word-boundary rules (UAX #29) as Lucene's `StandardTokenizer` uses
 * them. `Intl.Segmenter` decides the boundaries; because it costs about 10 µs a word and grows worse
 * than linearly with the length of its input, text made only of characters whose word-boundary
 * properties are simple (ASCII, Latin / Greek / Cyrillic letters, a few quotes and dashes) takes a
 * regular expression that implements exactly those rules (WB5–WB13b) — a property test checks it against
 * `Intl.Segmenter` on random strings — and other text is segmented in short pieces cut where UAX #29
 * always breaks.
 */

// Letters of scripts without special word-break classes (ALetter), ASCII digits (Numeric), `_`
// (ExtendNumLet); `:` is MidLetter, `,` `;` MidNum, `.` `'` `’` `‘` MidNumLet/Single_Quote.
const LETTER = '[\\p{L}&&[\\p{sc=Latin}\\p{sc=Greek}\\p{sc=Cyrillic}]]';
const ATOM = `(?:${LETTER}|[0-9_])`;
const FAST_TEXT = new RegExp(`^(?:${LETTER}|[\\x00-\\x7f’‘“”–—«»¿¡])*$`, 'v');
const FAST_WORD = new RegExp(
  `${ATOM}+(?:(?:(?<=${LETTER})[:.'’‘](?=${LETTER})|(?<=[0-9])[,;.'’‘](?=[0-9]))${ATOM}+)*`,
  'gv',
);
const UNDERSCORES = /^_+$/;

/** Characters Lucene emits one token each (ideographs, hiragana). */
const SINGLE = /[\p{sc=Han}\p{sc=Hiragana}]\p{M}*|[^\p{sc=Han}\p{sc=Hiragana}]+/gu;
const HAS_SINGLE = /[\p{sc=Han}\p{sc=Hiragana}]/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}|\u20E3/u;
/** Where UAX #29 always breaks: after whitespace before a character that cannot attach to it (WB4). */
const PIECE_BREAK =
  /(?<=\s)(?=[^\s\p{M}\p{Cf}])|(?<=[\p{sc=Han}\p{sc=Hiragana}])(?=[\p{sc=Han}\p{sc=Hiragana}])/u;
const PIECE = 256;

let segmenter: Intl.Segmenter | undefined;

/** The words of `text` (see the module comment). */
export function uax29Words(text: string): string[] {
  if (FAST_TEXT.test(text)) {
    const out: string[] = [];
    for (const match of text.matchAll(FAST_WORD)) if (!UNDERSCORES.test(match[0])) out.push(match[0]);
    return out;
  }
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
  const out: string[] = [];
  for (const piece of pieces(text)) {
    for (const { segment, isWordLike } of segmenter.segment(piece)) {
      if (isWordLike) {
        if (!HAS_SINGLE.test(segment)) {
          if (!UNDERSCORES.test(segment)) out.push(segment);
        } else for (const part of segment.match(SINGLE) ?? []) out.push(part);
      } else if (EMOJI.test(segment)) out.push(segment);
    }
  }
  return out;
}

/** `text` cut into pieces of about {@link PIECE} code units at positions where UAX #29 always breaks. */
function* pieces(text: string): Generator<string> {
  let start = 0;
  while (text.length - start > PIECE) {
    // Look for a cut point after PIECE / 2 so pieces are neither tiny nor unbounded.
    const window = text.slice(start + (PIECE >> 1), start + 4 * PIECE);
    const at = window.search(PIECE_BREAK);
    if (at < 0) {
      // No safe cut nearby (a very long run without spaces, e.g. Thai): segment the rest as one.
      if (window.length < 4 * PIECE - (PIECE >> 1)) break;
      const far = text.slice(start + 4 * PIECE).search(PIECE_BREAK);
      if (far < 0) break;
      yield text.slice(start, start + 4 * PIECE + far);
      start += 4 * PIECE + far;
      continue;
    }
    const cut = start + (PIECE >> 1) + at;
    yield text.slice(start, cut);
    start = cut;
  }
  if (start < text.length) yield text.slice(start);
}
