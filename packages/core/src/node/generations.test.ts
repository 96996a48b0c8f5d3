import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptArtifactError } from '../errors/corrupt-artifact-error.js';
import { LockedError } from '../errors/locked-error.js';
import { UnavailableError } from '../errors/unavailable-error.js';
import { listGenerations, readGeneration, writeGeneration } from './generations.js';
import { acquireLock } from './lock.js';

const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

async function save(dir: string, v: number, keep?: number) {
  return writeGeneration(
    dir,
    'thing.json',
    { weights: bytes(100, v), extra: bytes(10, v + 1) },
    (names) => ({ format: 'test', value: v, weightsFile: names.weights }),
    keep === undefined ? {} : { keep },
  );
}

async function load(dir: string, generation?: number) {
  return readGeneration(
    dir,
    'thing.json',
    async (g) => ({
      generation: g.generation,
      body: g.body,
      weights: await g.read('weights'),
      extra: await g.read('extra'),
    }),
    generation === undefined ? {} : { generation },
  );
}

describe('writeGeneration / readGeneration', () => {
  it('writes new files per generation, switches the pointer last and prunes beyond keep', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-gen-'));
    for (let v = 1; v <= 4; v++) await save(dir, v);
    const got = await load(dir);
    expect(got.generation).toBe(4);
    expect(got.body.value).toBe(4);
    expect(got.weights).toEqual(bytes(100, 4));
    expect(got.extra).toEqual(bytes(10, 5));
    expect(await listGenerations(dir, 'thing.json')).toEqual([3, 4]);
    // 2 kept generations: 2 manifests + 2 × 2 data files, plus the pointer; no lock, no temps.
    const names = await readdir(dir);
    expect(names.length).toBe(7);
    expect(names).toContain('thing.json');
    expect((await load(dir, 3)).weights).toEqual(bytes(100, 3));
    await expect(load(dir, 1)).rejects.toSatisfy((e) => UnavailableError.isInstance(e));
    await save(dir, 5, 1);
    expect(await listGenerations(dir, 'thing.json')).toEqual([5]);
    expect((await readdir(dir)).length).toBe(4);
  });

  it('rejects a damaged data file or manifest with a CorruptArtifactError naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-gen-'));
    const { files } = await save(dir, 7);
    const path = join(dir, files.weights.path);
    const good = await readFile(path);
    const flipped = Uint8Array.from(good);
    flipped[50] ^= 1;
    await writeFile(path, flipped);
    await expect(load(dir)).rejects.toSatisfy(
      (e) => CorruptArtifactError.isInstance(e) && (e as Error).message.includes(files.weights.path),
    );
    await writeFile(path, good.subarray(0, 99));
    await expect(load(dir)).rejects.toThrow(/holds 99 bytes, its manifest says 100/);
    await writeFile(path, good);
    const pointer = join(dir, 'thing.json');
    const text = await readFile(pointer, 'utf8');
    await writeFile(pointer, text.replace('"value": 7', '"value": 8'));
    await expect(load(dir)).rejects.toThrow(/manifest is damaged/);
    await writeFile(pointer, text.replace(files.weights.path, '../../etc/passwd'));
    await expect(load(dir)).rejects.toSatisfy((e) => CorruptArtifactError.isInstance(e));
    await writeFile(pointer, text);
    expect((await load(dir)).body.value).toBe(7);
  });

  it('refuses budget-exceeding files before reading them and unknown options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-gen-'));
    await save(dir, 1);
    await expect(
      readGeneration(dir, 'thing.json', (g) => g.read('weights'), { maxBytes: 50 }),
    ).rejects.toThrow(/above the budget of 50/);
    await expect(
      readGeneration(dir, 'thing.json', (g) => g.read('weights'), { maxbytes: 50 } as never),
    ).rejects.toThrow(/maxbytes/);
    await expect(writeGeneration(dir, 'thing.json', {}, () => ({}), { keep: 0 })).rejects.toThrow(/keep/);
  });

  it('refuses a second live writer with a LockedError and takes over a dead one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-gen-'));
    const release = await acquireLock(join(dir, '.thing.lock'));
    await expect(save(dir, 1)).rejects.toSatisfy(
      (e) => LockedError.isInstance(e) && (e as LockedError).pid === process.pid,
    );
    await release();
    // A lock left by a process that was killed.
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((r) => child.once('exit', r));
    const { hostname } = await import('node:os');
    await writeFile(join(dir, '.thing.lock'), JSON.stringify({ pid, host: hostname(), since: 'x' }));
    await save(dir, 2);
    expect((await load(dir)).body.value).toBe(2);
    expect(await readdir(dir)).not.toContain('.thing.lock');
  });

  it('gives a reader the new generation whole when a concurrent writer pruned the one it started on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-gen-'));
    await save(dir, 1, 1);
    let first = true;
    const got = await readGeneration(dir, 'thing.json', async (g) => {
      if (first) {
        first = false;
        await save(dir, 2, 1); // switches and deletes generation 1 under the reader
      }
      return { value: g.body.value, weights: await g.read('weights') };
    });
    expect(got).toEqual({ value: 2, weights: bytes(100, 2) });
  });
});
