import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { sweepStaleTemps, writeFileAtomic } from './atomic-write.js';

const dist = fileURLToPath(new URL('../../dist/node/index.js', import.meta.url));

describe('writeFileAtomic', () => {
  it('writes all chunks and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-atomic-'));
    const path = join(dir, 'vectors.txt');
    await writeFileAtomic(path, async (append) => {
      await append('2 3\n');
      await append(new TextEncoder().encode('a 1 2 3\n'));
    });
    expect(await readFile(path, 'utf8')).toBe('2 3\na 1 2 3\n');
    expect(await readdir(dir)).toEqual(['vectors.txt']);
  });

  it('keeps the old file intact when writing fails midway', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-atomic-'));
    const path = join(dir, 'index.bin');
    await writeFile(path, 'old');
    await expect(
      writeFileAtomic(path, async (append) => {
        await append('partial');
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['index.bin']);
  });

  it('sweeps only our temps whose writer is dead (or, without a pid, untouched for a day)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-atomic-'));
    const deadPid = 0x3ffffff0; // above any pid_max: never a running process
    const hex = (pid: number) => pid.toString(16).padStart(8, '0');
    const names = {
      dead: `.a.bin.${hex(deadPid)}0123456789ab.tmp`,
      live: `.a.bin.${hex(process.pid)}0123456789ab.tmp`,
      oldLegacy: '.b.bin.0123456789ab.tmp',
      freshLegacy: '.c.bin.ba9876543210.tmp',
      notOurs: '.d.bin.xyz.tmp',
      user: 'notes.tmp',
    };
    for (const n of Object.values(names)) await writeFile(join(dir, n), 'x');
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    await utimes(join(dir, names.oldLegacy), dayAgo, dayAgo);
    expect((await sweepStaleTemps(dir)).sort()).toEqual([names.dead, names.oldLegacy].sort());
    expect((await readdir(dir)).sort()).toEqual(
      [names.live, names.freshLegacy, names.notOurs, names.user].sort(),
    );
  });

  it('20 kill -9 during writes: the target is always whole, and the next write sweeps every torn temp', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-atomic-kill-'));
    const path = join(dir, 'big.bin');
    const chunk = 64 * 1024;
    const chunks = 32;
    // A writer that rewrites a 2 MB file forever, chunk by chunk. It says 'writing' only once its
    // first temp exists, so the kill below cannot land before any write began (CI load made the
    // old fixed delay race the child's start).
    const script = `
      const { writeFileAtomic } = await import(${JSON.stringify(dist)});
      const chunk = new Uint8Array(${chunk});
      for (let round = 1; ; round++) {
        chunk.fill(round & 255);
        await writeFileAtomic(${JSON.stringify(path)}, async (append) => {
          for (let i = 0; i < ${chunks}; i++) {
            await append(chunk);
            if (round === 1 && i === 0) process.stdout.write('writing\\n');
          }
        });
      }`;
    const random = new Random(18);
    let torn = 0;
    for (let k = 0; k < 20; k++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, random.next() * 40));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      // Counted now: the next child's first write sweeps this dead writer's temp.
      if ((await readdir(dir)).some((n) => n.endsWith('.tmp'))) torn++;
      // Whatever round the kill interrupted, the target is an earlier round's whole file or absent.
      const target = await readFile(path).catch(() => undefined);
      if (target !== undefined) {
        expect(target.length).toBe(chunk * chunks);
        expect(target.every((b) => b === target[0])).toBe(true);
      }
    }
    // Each child is killed only after its first temp exists and mid-stream of 2 MB writes, so all
    // 20 kills falling between a rename and the next open is not a chance worth considering.
    expect(torn).toBeGreaterThan(0);
    await writeFileAtomic(path, (append) => append(new Uint8Array(chunk * chunks)));
    expect(await readdir(dir)).toEqual(['big.bin']);
    expect((await stat(path)).size).toBe(chunk * chunks);
  });
});
