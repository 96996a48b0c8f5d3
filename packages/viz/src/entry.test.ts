import { describe, expect, it } from 'vitest';

describe('@wordloom/viz', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/viz');
    expect(typeof entry).toBe('object');
    expect(import.meta.resolve('@wordloom/viz')).toMatch(/packages\/viz\/dist\/index\.js$/);
  });
});
