import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';

const ROWS = 40_000;
const DIM = 300;
const VECTOR_BYTES = ROWS * DIM * 4;
/**
 * What a load may add above the process base, as a multiple of the vectors' bytes: issue 13 asks for
 * ~1.5×; this size measured 1.34× (GloVe) and 1.32× (header) here, and 1.66× / 1.49× before the fix.
 */
const BOUND = 1.45;

let dir: string | undefined;

/** A seeded GloVe (or, with `header`, word2vec text) file of ROWS × DIM values, written in chunks. */
async function vectorsFile(header: boolean): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), 'wl-vec-mem-'));
  const path = join(dir, header ? 'w2v.txt' : 'glove.txt');
  const rng = new Random(13);
  // Values drawn from a pool of formatted decimals: writing 12 M of them one by one would be slow.
  const pool = Array.from({ length: 4096 }, () => ((rng.next() - 0.5) * 4).toFixed(5));
  const file = await open(path, 'w');
  try {
    if (header) await file.write(`${ROWS} ${DIM}\n`);
    for (let r = 0; r < ROWS; r += 1000) {
      const lines: string[] = [];
      for (let q = r; q < Math.min(ROWS, r + 1000); q++) {
        const values = new Array<string>(DIM + 1);
        values[0] = `w${q}`;
        for (let k = 1; k <= DIM; k++) values[k] = pool[rng.int(4096)];
        lines.push(values.join(' '));
      }
      await file.write(`${lines.join('\n')}\n`);
    }
  } finally {
    await file.close();
  }
  return path;
}

/** Loads `path` in a fresh process (so that its peak RSS is the load's) and reports what it added. */
function load(path: string): { size: number; dim: number; buffer: number; grown: number } {
  const dist = new URL('../../dist/node/index.js', import.meta.url).href;
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { loadVectors } = await import(${JSON.stringify(dist)});
       const base = process.memoryUsage().rss;
       const kv = await loadVectors(${JSON.stringify(path)});
       console.log(JSON.stringify({ size: kv.size, dim: kv.dim, buffer: kv.vectors.buffer.byteLength,
         grown: process.resourceUsage().maxRSS * 1024 - base }));`,
    ],
    { encoding: 'utf8' },
  );
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout);
}

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`a text vectors file of ${ROWS} × ${DIM} (${VECTOR_BYTES >> 20} MiB of floats) loads within ${BOUND}× the vectors above the process base`, () => {
  for (const header of [false, true]) {
    it(
      header ? 'word2vec text (header "N D")' : 'headerless GloVe: counted first, allocated once',
      async () => {
        const { size, dim, buffer, grown } = load(await vectorsFile(header));
        expect([size, dim]).toEqual([ROWS, DIM]);
        // One exact buffer, never a grown (doubled) one.
        expect(buffer).toBe(VECTOR_BYTES);
        expect(grown / VECTOR_BYTES).toBeLessThan(BOUND);
      },
    );
  }
});
