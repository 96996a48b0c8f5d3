import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifacts } from './artifacts.mjs';
import { interrupted, kill, killAll, seeded, startSaver } from './harness.js';

/** Kills per artifact kind (the acceptance asks for at least 50). */
const KILLS = 50;
const root = mkdtempSync(join(tmpdir(), 'wl-faults-kill-'));
afterAll(async () => {
  await killAll();
  rmSync(root, { recursive: true, force: true });
});

describe('kill -9 at random points of every save', () => {
  for (const [kind, artifact] of Object.entries(artifacts)) {
    it(`${kind}: ${KILLS} kills leave the previous or the new generation, never a mix, never an error`, async () => {
      const random = seeded(18 + kind.length);
      const dir = join(root, kind);
      let last = 0; // the newest generation known to be complete
      let midWrite = 0;
      // Two chains of children run side by side on their own folders: half the kills each.
      const chain = async (sub: string, kills: number) => {
        const folder = `${dir}-${sub}`;
        let known = 0;
        let next = startSaver(kind, folder); // warming up while the previous one is killed and checked
        for (let i = 0; i < kills; i++) {
          const saver = next;
          next = startSaver(kind, folder);
          await saver.ready;
          saver.go(known + 1);
          // Once one save took `ms`, kill at a seeded random moment of the next two or three.
          const ms = await saver.firstSave;
          await new Promise((r) => setTimeout(r, random() * 2.5 * ms));
          await kill(saver);
          if (Number.isFinite(saver.saved)) known = Math.max(known, saver.saved);
          if (interrupted(folder)) midWrite++;
          // The save in flight may have switched just before the kill: k or k + 1, whole.
          const loaded = await artifact.load(folder, [known, known + 1]);
          expect([known, known + 1]).toContain(loaded);
          known = loaded;
        }
        // One more complete save sweeps what the kills left.
        await next.ready;
        next.go(known + 1);
        await next.firstSave;
        await kill(next);
        last = Math.max(last, await artifact.load(folder, [next.saved, next.saved + 1]));
        return folder;
      };
      const folders = await Promise.all([
        chain('a', Math.ceil(KILLS / 2)),
        chain('b', Math.floor(KILLS / 2)),
      ]);
      expect(last).toBeGreaterThan(0);
      // Kills did land inside writes (else this suite would prove nothing).
      expect(midWrite).toBeGreaterThan(0);
      for (const folder of folders) {
        const temps = readdirSync(folder).filter((n) => n.endsWith('.tmp'));
        // Only a temp of the final child's next save can remain (it was killed too).
        expect(temps.length).toBeLessThanOrEqual(1);
      }
      console.log(`${kind}: ${KILLS} kills, ${midWrite} left an interrupted write behind`);
    });
  }
});
