import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { WordloomError } from '@wordloom/core';
import { mutations } from '@wordloom/core/testing';
import { expect, it } from 'vitest';
import { KeyedVectors } from '../keyed-vectors.js';
import { readVectors } from './read-vectors.js';
import { encodeVectors } from './write-vectors.js';

// Seeded fuzzing of the three vector-file parsers through the public API: every failure must be a
// WordloomError, every success a consistent KeyedVectors, and nothing may allocate above the budget.
const words = ['the', 'king', 'queen', '_\bc_\ba_\bt', 'café', '自然', 'B\bB', 'x', 'apple', 'pear'];
const valid = new KeyedVectors(
  words,
  Float32Array.from({ length: words.length * 4 }, (_, i) => Math.sin(i) * 3),
  4,
);
const MAX_BYTES = 1 << 20;
const COUNT = 1500;

function bytesOf(format: 'word2vec-bin' | 'word2vec-txt' | 'glove'): Uint8Array {
  const parts = [...encodeVectors(valid, format)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// The parsers use no tensors; the count is checked on one backend to prove none leak.
describeEachBackend('readVectors under fuzzed input', () => {
  for (const format of ['word2vec-bin', 'word2vec-txt', 'glove'] as const)
    it(`${COUNT} mutations of a ${format} file: typed errors only, consistent results`, async () => {
      const before = tf.memory().numTensors;
      const source = bytesOf(format);
      let ok = 0;
      let failed = 0;
      for (const m of mutations(source, { seed: 13, count: COUNT })) {
        for (const options of [{ format }, { format: 'auto' as const, byteLength: m.bytes.length }]) {
          let kv: KeyedVectors;
          try {
            kv = await readVectors([m.bytes], { ...options, maxBytes: MAX_BYTES });
          } catch (error) {
            if (!WordloomError.isInstance(error))
              throw new Error(`case ${m.index} (${m.description}): untyped ${String(error)}`);
            failed++;
            continue;
          }
          ok++;
          const context = `case ${m.index} (${m.description})`;
          expect(kv.dim, context).toBeGreaterThanOrEqual(1);
          expect(kv.vectors.length, context).toBe(kv.size * kv.dim);
          expect(kv.vectors.byteLength, context).toBeLessThanOrEqual(MAX_BYTES);
          expect(new Set(kv.words).size, context).toBe(kv.size);
          for (const w of kv.words)
            expect(w.length > 0 && !w.includes(' ') && !w.includes('\n'), context).toBe(true);
          expect(kv.vectors.every(Number.isFinite), context).toBe(true);
        }
      }
      // Both outcomes occur: the mutations are not all fatal, nor all harmless.
      expect(ok).toBeGreaterThan(0);
      expect(failed).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    });
}, ['cpu']);
