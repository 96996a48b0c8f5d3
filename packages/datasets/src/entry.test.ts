import { describe, expect, it } from 'vitest';

describe('@wordloom/datasets', () => {
  it('resolves through its exports map to the built ES module', async () => {
    const entry = await import('@wordloom/datasets');
    expect(typeof entry).toBe('object');
    // Under Node (and vitest) the "node" condition wins: the file loaders of the contract are there.
    for (const name of ['loadMnist', 'mnistToTensors', 'listCorpora', 'loadCorpus', 'loadCorpusSentences']) {
      expect(typeof (entry as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(import.meta.resolve('@wordloom/datasets')).toMatch(/packages\/datasets\/dist\/index\.js$/);
  });
});
