import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifacts } from './artifacts.mjs';
import { kill, killAll, seeded, startSaver } from './harness.js';

const root = mkdtempSync(join(tmpdir(), 'wl-faults-two-'));
afterAll(async () => {
  await killAll();
  rmSync(root, { recursive: true, force: true });
});

describe('two concurrent writers on one artifact', () => {
  for (const [kind, artifact] of Object.entries(artifacts)) {
    it(`${kind}: every load in between and after gives one whole generation of one writer`, async () => {
      const dir = join(root, kind);
      const random = seeded(38 + kind.length);
      let refused = 0;
      for (let round = 0; round < 2; round++) {
        // Writer A saves odd generations, writer B even ones, both in the same place.
        const a = startSaver(kind, dir, 2);
        const b = startSaver(kind, dir, 2);
        await Promise.all([a.ready, b.ready]);
        a.go(100_000 * round + 1);
        b.go(100_000 * round + 2);
        await Promise.all([a.firstSave, b.firstSave]);
        await new Promise((r) => setTimeout(r, 100 + random() * 200));
        // A reader while both write (their reports lag behind their files: a wide window of k).
        const window = Array.from({ length: 20_000 }, (_, i) => 100_000 * round + 1 + i);
        const during = await artifact.load(dir, window);
        expect(window).toContain(during);
        await Promise.all([kill(a), kill(b)]);
        const candidates = [a.saved, a.saved + 2, b.saved, b.saved + 2];
        const after = await artifact.load(dir, candidates);
        expect(candidates).toContain(after);
        refused += a.locked + b.locked;
        // Both writers got saves through.
        expect(Number.isFinite(a.saved) && Number.isFinite(b.saved)).toBe(true);
      }
      // Generations are written under a lock: the writers collided and took turns (LockedError,
      // retried), never interleaving their files. Single files need no lock: the rename decides.
      if (kind === 'checkpoint' || kind === 'layers-model') expect(refused).toBeGreaterThan(0);
      else expect(refused).toBe(0);
    });
  }
});
