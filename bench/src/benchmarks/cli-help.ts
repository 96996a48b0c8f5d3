import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from '../harness.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../apps/demo/dist/cli/main.js');

/** Wall time in seconds of one fresh `node <args>` process. */
function once(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `wordloom --help` start-up against bare Node starting and exiting (goal: under 200 ms). The two are
 * run in alternation, so that a load change during the run shifts both; the note gives the median of
 * the paired differences — what wordloom's own code costs on top of Node's start-up.
 */
export default async function run(command: string): Promise<void> {
  const runs = Number(process.env.WORDLOOM_BENCH_CLI_RUNS ?? 21);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`WORDLOOM_BENCH_CLI_RUNS must be a positive integer, got ${runs}`);
  once([MAIN, '--help']); // warm the file-system cache
  const node: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(once(['-e', '']));
    help.push(once([MAIN, '--help']));
  }
  const own = median(help.map((h, i) => h - node[i]));
  const seconds = median(help);
  record(
    {
      benchmark: 'cli-help',
      workload: `\`wordloom --help\`, median of ${runs} fresh processes (goal < 200 ms)`,
      note: `${seconds < 0.2 ? 'met' : 'NOT met'}; wordloom's own start-up ${(own * 1000).toFixed(0)} ms over bare node (median of paired differences; runs alternate with bare node)`,
      seconds,
      peer: '`node -e ""` (bare Node start-up)',
      peerSeconds: median(node),
      backend: 'none (start-up)',
    },
    command,
  );
}
