import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROWS = 10_000;
const DIM = 200;
const VECTOR_BYTES = ROWS * DIM * 4;

describe('headerless GloVe text streams into one allocation', () => {
  it(`${ROWS} × ${DIM} (${VECTOR_BYTES >> 20} MiB of floats): one buffer, peak RSS ≤ 1.5× the vectors + Node's fixed overhead`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-glove-mem-'));
    const path = join(dir, 'glove.txt');
    const lines: string[] = [];
    for (let r = 0; r < ROWS; r++) {
      let line = `w${r}`;
      for (let k = 0; k < DIM; k++) line += ` ${(Math.sin(r * DIM + k) * 3).toFixed(5)}`;
      lines.push(line);
    }
    await writeFile(path, `${lines.join('\n')}\n`);
    lines.length = 0;
    // In a fresh process, so that the peak RSS is the load's: the old reader grew by copies (about 4×).
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
    const { size, dim, buffer, grown } = JSON.parse(child.stdout);
    expect([size, dim]).toEqual([ROWS, DIM]);
    // Counted first, allocated once: the storage is not a grown (doubled) buffer.
    expect(buffer).toBe(VECTOR_BYTES);
    expect(grown).toBeLessThan(1.5 * VECTOR_BYTES + 32 * 2 ** 20);
  });
});
