import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { WordloomError } from '@wordloom/core';
import { type Mutation, mutations } from '@wordloom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LanguageModel } from '../models/language-model.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';

// Seeded fuzzing of the checkpoint loader: 1,000 mutations of the manifest, 500 of each .bin file,
// and 300 manifests mutated and then re-signed (a hostile author who knows the format, so the
// structural checks behind the hash are what stands). Every load either throws a WordloomError or
// returns exactly the saved weights; no load leaks a tensor or allocates beyond the budget.

const root = mkdtempSync(join(tmpdir(), 'wl-ckpt-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let original = '';
let expected: number[][] = [];
let pointer: Record<string, unknown> = {};
let bins: string[] = [];

beforeAll(async () => {
  const { selectBackend } = await import('@wordloom/backend');
  await selectBackend({ backend: 'cpu' });
  const tokens = 'the cat sat on the mat and the dog sat on the log'.split(' ');
  const model = LanguageModel.fromTokens(tokens, { units: 6, layers: 2, window: 2, embeddingSize: 3 });
  const optimizer = tf.train.adam(0.01);
  await model.fit(tokens, { epochs: 1, batchSize: 4, optimizer });
  original = join(root, 'original');
  // With the best-epoch weights of restoreBestWeights, a third data file.
  const bestWeights = model.variables.map((v) => Float32Array.from(v.dataSync(), (x) => x / 2));
  const state = {
    epoch: 1,
    batch: 0,
    monitor: { best: 1.5, bestEpoch: 1, wait: 0, plateauBest: null, plateauWait: 0 },
    bestWeights,
  };
  await saveCheckpoint(original, { model, optimizer, state, meta: { note: 'x' } });
  expected = [
    ...model.variables.map((v) => Array.from(v.dataSync())),
    ...bestWeights.map((w) => Array.from(w)),
  ];
  model.dispose();
  optimizer.dispose();
  pointer = JSON.parse(readFileSync(join(original, 'checkpoint.json'), 'utf8'));
  bins = readdirSync(original).filter((n) => n.endsWith('.bin'));
});

/** Loads `dir`; returns 'typed' for a WordloomError, 'same' for the original weights, else throws. */
async function verdict(dir: string, m: Mutation, budget: number): Promise<'typed' | 'same' | 'loaded'> {
  const before = tf.memory().numTensors;
  const buffers = process.memoryUsage().arrayBuffers;
  let result: 'typed' | 'same' | 'loaded';
  try {
    const { model, optimizer, state } = await loadCheckpoint(dir, { maxBytes: budget });
    const got = [
      ...model.variables.map((v) => Array.from(v.dataSync())),
      ...(state?.bestWeights ?? []).map((w) => Array.from(w)),
    ];
    for (const w of got.flat())
      if (!Number.isFinite(w))
        throw new Error(`case ${m.index} (${m.description}): non-finite weight accepted`);
    result = JSON.stringify(got) === JSON.stringify(expected) ? 'same' : 'loaded';
    model.dispose();
    optimizer?.dispose();
  } catch (error) {
    if (!WordloomError.isInstance(error))
      throw new Error(`case ${m.index} (${m.description}): untyped ${String(error)}`, { cause: error });
    result = 'typed';
  }
  if (tf.memory().numTensors !== before)
    throw new Error(`case ${m.index} (${m.description}): leaked tensors`);
  if (process.memoryUsage().arrayBuffers - buffers > 4 * budget + 1e6)
    throw new Error(`case ${m.index} (${m.description}): allocated beyond the budget`);
  return result;
}

function fresh(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(original, dir, { recursive: true });
  return dir;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('checkpoint loader fuzz', () => {
  it('1,000 mutations of checkpoint.json: typed errors only, never a silent change', async () => {
    // A plain Uint8Array, not the Buffer itself: mutations() copies with slice(), which on a Node Buffer
    // is a view, and writes through `bytes.buffer`, which for a small (pooled) Buffer is Node's shared pool.
    const valid = new Uint8Array(readFileSync(join(original, 'checkpoint.json')));
    const dir = fresh('manifest');
    const counts = { typed: 0, same: 0, loaded: 0 };
    for (const m of mutations(valid, { seed: 18, count: 1000 })) {
      writeFileSync(join(dir, 'checkpoint.json'), m.bytes);
      counts[await verdict(dir, m, 1e6)]++;
    }
    expect(counts.loaded).toBe(0);
    expect(counts.typed).toBeGreaterThan(900);
  });

  it('500 mutations of each of the weights, optimizer and best-weights files: typed errors only, never a silent change', async () => {
    expect(bins).toHaveLength(3);
    const dir = fresh('bins');
    const counts = { typed: 0, same: 0, loaded: 0 };
    for (const [k, bin] of bins.entries()) {
      const valid = new Uint8Array(readFileSync(join(original, bin)));
      for (const m of mutations(valid, { seed: 19 + k, count: 500 })) {
        writeFileSync(join(dir, bin), m.bytes);
        counts[await verdict(dir, m, 1e6)]++;
      }
      writeFileSync(join(dir, bin), valid);
    }
    expect(counts.loaded).toBe(0);
    expect(counts.typed + counts.same).toBe(500 * bins.length);
  });

  it('300 re-signed manifest mutations (valid hash, hostile content): typed errors or a whole load, no leak, no NaN', async () => {
    const dir = fresh('resigned');
    const { wordloomGeneration: envelope, ...body } = pointer as {
      wordloomGeneration: { generation: number; files: unknown };
    };
    const valid = new TextEncoder().encode(JSON.stringify(body));
    const counts = { typed: 0, same: 0, loaded: 0 };
    for (const m of mutations(valid, { seed: 20, count: 300 })) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(m.bytes));
      } catch {
        parsed = m.bytes.length; // not JSON: still signed as a (non-object) manifest
      }
      const unsigned =
        parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          ? { ...parsed, wordloomGeneration: { generation: envelope.generation, files: envelope.files } }
          : null;
      const text =
        unsigned === null
          ? JSON.stringify(parsed)
          : JSON.stringify({
              ...unsigned,
              wordloomGeneration: {
                ...unsigned.wordloomGeneration,
                sha256: sha256(JSON.stringify(unsigned)),
              },
            });
      writeFileSync(join(dir, 'checkpoint.json'), text);
      counts[await verdict(dir, m, 1e6)]++;
    }
    // The structural checks refused most; what loaded had finite weights and no leak (checked above).
    expect(counts.typed).toBeGreaterThan(150);
  });
});
