import { gzipSync } from 'node:zlib';
import { WordloomError } from '@wordloom/core';
import { type Mutation, mutations } from '@wordloom/core/testing';
import { describe, expect, it } from 'vitest';
import { parseIdx, readIdx } from './read-idx.js';
import { encodeIdx } from './write-idx.js';

// Seeded fuzzing of the IDX readers. Raw IDX has no checksum (LeCun's format), so a flipped data bit
// is a different valid file: what must hold is that every result is exactly what the mutated bytes say
// (re-encoding gives them back) or a WordloomError, within the budget. gzip carries a CRC-32, so a
// mutated .gz either fails typed or decodes to exactly the original.

const BUDGET = 1 << 20;
const original = encodeIdx({
  shape: [40, 3, 5],
  data: Int16Array.from({ length: 600 }, (_, i) => (i * 37) % 3001),
  dtype: 'int16',
});

function typedOrThrow(error: unknown, m: Mutation): 'typed' {
  if (!WordloomError.isInstance(error))
    throw new Error(`case ${m.index} (${m.description}): untyped ${String(error)}`, { cause: error });
  return 'typed';
}

describe('IDX reader fuzz', () => {
  it('1,000 mutations of a raw file: typed errors or exactly what the bytes say, within the budget', () => {
    const counts = { typed: 0, consistent: 0 };
    for (const m of mutations(original, { seed: 18, count: 1000 })) {
      try {
        const array = parseIdx(m.bytes, { maxBytes: BUDGET });
        const again = encodeIdx({ shape: array.shape, data: array.data, dtype: array.dtype });
        if (!Buffer.from(again).equals(Buffer.from(m.bytes)))
          throw new Error(`case ${m.index} (${m.description}): parsed to something else than its bytes`);
        if (array.data.byteLength > BUDGET) throw new Error(`case ${m.index}: above the budget`);
        counts.consistent++;
      } catch (error) {
        counts[typedOrThrow(error, m)]++;
      }
    }
    expect(counts.typed).toBeGreaterThan(300);
  });

  it('1,000 mutations of a gzip file: typed errors or exactly the original', async () => {
    const gz = new Uint8Array(gzipSync(original));
    const counts = { typed: 0, same: 0 };
    for (const m of mutations(gz, { seed: 19, count: 1000 })) {
      try {
        const array = await readIdx(m.bytes, { maxBytes: BUDGET });
        const again = encodeIdx({ shape: array.shape, data: array.data, dtype: array.dtype });
        if (!Buffer.from(again).equals(Buffer.from(original)))
          throw new Error(`case ${m.index} (${m.description}): a silent change`);
        counts.same++;
      } catch (error) {
        if (String(error).includes('case ')) throw error;
        counts[typedOrThrow(error, m)]++;
      }
    }
    expect(counts.typed).toBeGreaterThan(900);
  });
});
