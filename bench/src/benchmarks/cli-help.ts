import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from '../harness.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../apps/demo/dist/cli/main.js');

/** Median wall time of `node <args>` in fresh processes. */
function median(args: string[], runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    samples.push((performance.now() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(runs / 2)];
}

/** `wordloom --help` start-up against bare Node starting and exiting (goal: under 200 ms). */
export default async function run(command: string): Promise<void> {
  const runs = 21;
  const node = median(['-e', ''], runs);
  const help = median([MAIN, '--help'], runs);
  record(
    {
      benchmark: 'cli-help',
      workload: '`wordloom --help`, median of 21 fresh processes (goal < 200 ms)',
      note: `${help < 0.2 ? 'met' : 'NOT met'}; bare node: ${(node * 1000).toFixed(0)} ms`,
      seconds: help,
      peer: '`node -e ""` (bare Node start-up)',
      peerSeconds: node,
      backend: 'none (start-up)',
    },
    command,
  );
}
