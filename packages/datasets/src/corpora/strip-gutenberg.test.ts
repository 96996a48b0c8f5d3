import { describe, expect, it } from 'vitest';
import { stripGutenbergHeader } from './strip-gutenberg.js';

describe('stripGutenbergHeader', () => {
  it('removes the license header and footer of a modern Project Gutenberg file', () => {
    const text = [
      'The Project Gutenberg EBook of Alice, by Lewis Carroll',
      'This eBook is for the use of anyone anywhere at no cost',
      '*** START OF THE PROJECT GUTENBERG EBOOK ALICE ***',
      '',
      'CHAPTER I.',
      'Alice was beginning to get very tired.',
      '',
      '*** END OF THE PROJECT GUTENBERG EBOOK ALICE ***',
      'Updated editions will replace the previous one.',
    ].join('\r\n');
    expect(stripGutenbergHeader(text)).toBe('CHAPTER I.\nAlice was beginning to get very tired.');
  });

  it("removes NLTK's bracketed title line and an old-style 'End of Project Gutenberg's' footer", () => {
    const text =
      "[The Ball and The Cross by G.K. Chesterton 1909]\n\n\nI. A DISCUSSION\n\nThe end.\n\nEnd of Project Gutenberg's The Ball and The Cross\n\n*** small print ***";
    expect(stripGutenbergHeader(text)).toBe('I. A DISCUSSION\n\nThe end.');
  });

  it('leaves text without markers alone apart from line ends and outer white space', () => {
    expect(stripGutenbergHeader('  [not a title] in the middle\r\nsecond line \n')).toBe(
      '[not a title] in the middle\nsecond line',
    );
  });
});
