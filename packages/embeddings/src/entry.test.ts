import { describe, expect, it } from 'vitest';

describe('@wordloom/embeddings', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/embeddings');
    expect(typeof entry).toBe('object');
    expect(import.meta.resolve('@wordloom/embeddings')).toMatch(/packages\/embeddings\/dist\/index\.js$/);
  });
});
