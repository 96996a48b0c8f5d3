import { describe, expect, it } from 'vitest';

describe('@wordloom/datasets', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/datasets');
    expect(typeof entry).toBe('object');
    expect(import.meta.resolve('@wordloom/datasets')).toMatch(/packages\/datasets\/dist\/index\.js$/);
  });
});
