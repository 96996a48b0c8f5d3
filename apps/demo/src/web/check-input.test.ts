import { describe, expect, it } from 'vitest';
import { checkInput } from './check-input.js';
import { MAX_INPUT_CHARS } from './limits.js';

describe('checkInput (the page boxes)', () => {
  it('trims usable text', () => {
    expect(checkInput('  white rabbit ', 'query')).toEqual({ text: 'white rabbit' });
  });

  it('answers empty and oversized input with a message instead of work', () => {
    expect(checkInput(' \t ', 'query')).toEqual({ problem: 'Type a query first.' });
    expect(checkInput('x'.repeat(MAX_INPUT_CHARS), 'word')).toEqual({ text: 'x'.repeat(MAX_INPUT_CHARS) });
    expect(checkInput('x'.repeat(10 * 1024 * 1024), 'prompt')).toEqual({
      problem: 'That prompt is 10,485,760 characters long; the page accepts at most 1,000.',
    });
  });
});
