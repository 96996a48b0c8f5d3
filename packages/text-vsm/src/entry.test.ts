import { describe, expect, it } from 'vitest';

describe('@wordloom/text-vsm', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/text-vsm');
    expect(typeof entry).toBe('object');
    expect(import.meta.resolve('@wordloom/text-vsm')).toMatch(/packages\/text-vsm\/dist\/index\.js$/);
  });
});
