import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** BENCHMARKS.md at the repository root. */
export const BENCHMARKS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../BENCHMARKS.md');

const HEADER = `# wordloom benchmarks

Rows are appended by \`pnpm bench [name]\` (never by CI). Each row times wordloom and a peer **in the same
run on the same machine**; ratio = peer time / wordloom time (> 1 means wordloom is faster).

| date | benchmark | workload | wordloom | peer | peer time | ratio | backend | machine | command |
|---|---|---|---|---|---|---|---|---|---|
`;

/** One measured comparison. */
export interface BenchRow {
  benchmark: string;
  workload: string;
  /** wordloom's time in seconds (median of the repeats). */
  seconds: number;
  /** What wordloom was compared with, e.g. `tfjs cpu matMul` or `gensim 4.3`. */
  peer: string;
  /** The peer's time in seconds, measured in the same run; null when no peer applies. */
  peerSeconds: number | null;
  backend: string;
  /** Free-form extra facts (accuracy, memory). */
  note?: string;
}

/** CPU model, cores and memory of this machine, as recorded in every row. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
}

/** Prints a row and appends it to BENCHMARKS.md (created with its header when missing). */
export function record(row: BenchRow, command: string): void {
  const ratio = row.peerSeconds == null ? '–' : `${(row.peerSeconds / row.seconds).toFixed(2)}×`;
  const cells = [
    new Date().toISOString().slice(0, 10),
    row.benchmark,
    row.workload + (row.note ? ` (${row.note})` : ''),
    formatSeconds(row.seconds),
    row.peer,
    row.peerSeconds == null ? '–' : formatSeconds(row.peerSeconds),
    ratio,
    row.backend,
    machine(),
    `\`${command}\``,
  ];
  if (
    !existsSync(BENCHMARKS_FILE) ||
    !readFileSync(BENCHMARKS_FILE, 'utf8').includes('| date | benchmark |')
  ) {
    writeFileSync(BENCHMARKS_FILE, HEADER);
  }
  appendFileSync(BENCHMARKS_FILE, `| ${cells.join(' | ')} |\n`);
  console.log(
    `${row.benchmark}: ${row.workload} — wordloom ${formatSeconds(row.seconds)}, ${row.peer} ${
      row.peerSeconds == null ? '–' : formatSeconds(row.peerSeconds)
    } (ratio ${ratio}) on ${row.backend}`,
  );
}

/** Median wall time in seconds of `repeats` runs of `fn`, after `warmup` untimed runs. */
export async function time(
  fn: () => unknown | Promise<unknown>,
  { repeats = 5, warmup = 1 } = {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    samples.push((performance.now() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function formatSeconds(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}
