// Header markers: the modern "*** START OF THE PROJECT GUTENBERG EBOOK … ***" and the older small-print end.
const START_MARKERS = [
  /^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E(?:BOOK|TEXT)[^\n]*\n/im,
  /^\*END\*THE SMALL PRINT![^\n]*\n/im,
];
// Footer markers: "*** END OF THE PROJECT GUTENBERG EBOOK …", "End of [the] Project Gutenberg['s] …".
const END_MARKERS = [
  /^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E(?:BOOK|TEXT)/im,
  /^End of (?:the )?Project Gutenberg/im,
];
// NLTK replaced each header by one bracketed title line, e.g. "[Emma by Jane Austen 1816]".
const NLTK_TITLE = /^\[[^\]\n]+\][ \t]*\n/;

/**
 * The body of a Project Gutenberg text: drops the license header (up to the `*** START OF …` line), the
 * footer (from `*** END OF …` or `End of Project Gutenberg's …`), NLTK's bracketed title line, and
 * normalises line ends to `\n`. Text without these markers is returned trimmed.
 */
export function stripGutenbergHeader(text: string): string {
  let body = text.replace(/\r\n?/g, '\n');
  for (const marker of START_MARKERS) {
    const match = marker.exec(body);
    if (match) body = body.slice(match.index + match[0].length);
  }
  let end = body.length;
  for (const marker of END_MARKERS) {
    const match = marker.exec(body);
    if (match && match.index < end) end = match.index;
  }
  body = body.slice(0, end).replace(/^\s+/, '');
  return body.replace(NLTK_TITLE, '').trim();
}
