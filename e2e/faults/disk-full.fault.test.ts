import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifacts } from './artifacts.mjs';
import { seeded } from './harness.js';

// The full disk is injected through Node's own FileHandle: its writeFile (which every wordloom writer
// uses through writeFileAtomic) fails with ENOSPC once a seeded byte budget is spent, as a full
// filesystem fails a write midway. No production code has a test seam; a size-limited tmpfs would need
// root and a mount, which CI machines may not allow.
const root = mkdtempSync(join(tmpdir(), 'wl-faults-enospc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withFullDisk<T>(budget: number, run: () => Promise<T>): Promise<T> {
  const probe = await open(join(root, '.probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { writeFile: (data: unknown) => Promise<void> };
  await probe.close();
  const original = proto.writeFile;
  let left = budget;
  proto.writeFile = async function (this: unknown, data: unknown) {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).byteLength;
    if (size > left) {
      left = 0;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    }
    left -= size;
    return original.call(this, data);
  };
  try {
    return await run();
  } finally {
    proto.writeFile = original;
  }
}

describe('a full disk (ENOSPC) in the middle of a save', () => {
  for (const [kind, artifact] of Object.entries(artifacts)) {
    it(`${kind}: the save fails, the previous generation still loads, nothing is left behind`, async () => {
      const dir = join(root, kind);
      mkdirSync(dir, { recursive: true });
      const state = {};
      await artifact.prepare(state);
      await artifact.save(dir, 1, state);
      const random = seeded(28 + kind.length);
      let failed = 0;
      for (let attempt = 0; attempt < 20; attempt++) {
        // A byte budget anywhere from nothing to a little more than one save.
        const budget = Math.floor(random() * 3_000_000);
        const k = attempt + 2;
        let saved = true;
        try {
          await withFullDisk(budget, () => artifact.save(dir, k, state));
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
          saved = false;
          failed++;
        }
        const loaded = await artifact.load(dir, [k - 1, k]);
        if (saved) expect(loaded).toBe(k);
        else {
          expect(loaded).toBe(k - 1);
          // Undo the k that never happened, so the next attempt's "previous" is k - 1.
          await artifact.save(dir, k, state);
        }
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      }
      expect(failed).toBeGreaterThan(0);
    });
  }
});
