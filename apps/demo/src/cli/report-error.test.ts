import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { FlagError } from './flags.js';
import { errorReport, sanitizeForTerminal } from './report-error.js';

describe('errorReport', () => {
  it('names the error class and the argument', () => {
    expect(errorReport(new FlagError('--top', 'not a number: "abc"'))).toEqual({
      name: 'FlagError',
      message: '--top: not a number: "abc"',
      argument: '--top',
    });
    expect(errorReport(new InvalidArgumentError('topN', 'f', 'an integer')).argument).toBe('topN');
    expect(errorReport('plain')).toEqual({ name: 'Error', message: 'plain', argument: null });
  });
});

describe('sanitizeForTerminal', () => {
  it('escapes control bytes but keeps text, tabs and newlines', () => {
    expect(sanitizeForTerminal('a\u001b[2Jb\u0007c\bd\te\nf\u009bg café')).toBe(
      'a\\x1b[2Jb\\x07c\\x08d\te\nf\\x9bg café',
    );
  });
});
