import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { zipfCorpus } from '../../test-support/zipf-corpus.js';
import { scanCorpus } from '../word2vec-engine/corpus-scan.js';
import { GrowableMemory } from './growable-memory.js';
import { BOUNDARY, scanTokens } from './scan-tokens.js';

describe('scanTokens', () => {
  it('writes the ids into the memory with a boundary around every sentence, rare words removed', async () => {
    const memory = GrowableMemory.create(false)!;
    const corpus = [['b', 'a', 'x'], ['a'], ['y'], ['b', 'a']];
    const s = await scanTokens(corpus, 2, 'test', memory, 64);
    expect(s.words).toEqual(['a', 'b']);
    expect(Array.from(s.counts)).toEqual([3, 2]);
    expect(s.tokens).toBe(5);
    const B = BOUNDARY;
    expect(Array.from(new Int32Array(memory.buffer, 64, s.length))).toEqual([B, 1, 0, B, 0, B, B, 1, 0, B]);
  });

  it('gives scanCorpus’s vocabulary and tokens on a corpus that grows the memory many times', async () => {
    const corpus = zipfCorpus(3000, 400_000, 4);
    const memory = GrowableMemory.create(false)!;
    const s = await scanTokens(corpus, 3, 'test', memory, 128);
    const want = await scanCorpus(corpus, 3);
    expect(s.words).toEqual(want.words);
    expect(s.counts).toEqual(want.counts);
    const slots = new Int32Array(memory.buffer, 128, s.length);
    const words = Array.from(slots).filter((t) => t !== BOUNDARY);
    expect(words).toEqual(Array.from(want.tokens));
    expect(s.length - s.tokens).toBe(corpus.length + 1);
    // The memory grew in place by 1 MiB steps: at most one step beyond the raw corpus.
    expect(memory.byteLength).toBeLessThanOrEqual(128 + 4 * (400_000 + corpus.length + 1) + 2 ** 20);
  });

  it('refuses a string, a sentence that is a string and a token that is not, by name', async () => {
    const memory = GrowableMemory.create(false)!;
    await expect(scanTokens('a b c' as never, 1, 'fnName', memory, 0)).rejects.toThrow(/'corpus'.*'fnName'/);
    await expect(scanTokens(['a b c'] as never, 1, 'fnName', memory, 0)).rejects.toThrow(
      /sentence 1 is the string "a b c"/,
    );
    await expect(scanTokens([['a'], ['b', 3]] as never, 1, 'fnName', memory, 0)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});
