// Child process of the fault suite: `node saver.mjs <kind> <dir> [<step>]` prepares (imports, the model
// to save), prints `ready`, waits for `go <k>` on stdin, then saves generation after generation
// (k, k + step, …) until killed, printing `saved k` after each completed save. Children are started
// ahead of time, so their start-up is not on the clock of the kill that follows.
// A LockedError (another writer holds the folder) is counted and retried, as a real writer would.
import { mkdirSync } from 'node:fs';
import { artifacts } from './artifacts.mjs';

const [kind, dir, step = '1'] = process.argv.slice(2);
const artifact = artifacts[kind];
const state = {};
mkdirSync(dir, { recursive: true });
// Imports and the model to save are ready before the kill clock starts, so kills land in saves.
await artifact.prepare(state);
process.stdout.write('ready\n');
const first = await new Promise((resolve) => {
  let input = '';
  process.stdin.on('data', (chunk) => {
    input += chunk;
    const m = /^go (\d+)\n/.exec(input);
    if (m) resolve(Number(m[1]));
  });
});
for (let k = first; ; k += Number(step)) {
  try {
    await artifact.save(dir, k, state);
    process.stdout.write(`saved ${k}\n`);
  } catch (error) {
    if (error?.name !== 'LockedError') throw error;
    process.stdout.write(`locked ${k}\n`);
    k -= Number(step);
    await new Promise((r) => setTimeout(r, 5));
  }
}
