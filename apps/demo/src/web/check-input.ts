import { MAX_INPUT_CHARS } from './limits.js';

/** Trimmed box text, or a message saying why it cannot be used (empty, or longer than {@link MAX_INPUT_CHARS}). */
export function checkInput(value: string, what: string): { text: string } | { problem: string } {
  if (value.length > MAX_INPUT_CHARS)
    return {
      problem: `That ${what} is ${value.length.toLocaleString('en-US')} characters long; the page accepts at most ${MAX_INPUT_CHARS.toLocaleString('en-US')}.`,
    };
  const text = value.trim();
  if (text === '') return { problem: `Type a ${what} first.` };
  return { text };
}
