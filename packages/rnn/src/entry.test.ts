import { describe, expect, it } from 'vitest';

describe('@wordloom/rnn', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/rnn');
    expect(typeof entry).toBe('object');
    expect(import.meta.resolve('@wordloom/rnn')).toMatch(/packages\/rnn\/dist\/index\.js$/);
  });
});
