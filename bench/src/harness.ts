import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** BENCHMARKS.md at the repository root: rendered from {@link RESULTS_FILE}, never edited by hand. */
export const BENCHMARKS_FILE = resolve(ROOT, 'BENCHMARKS.md');
/** Every row ever recorded, one JSON object a line (the source of BENCHMARKS.md). */
export const RESULTS_FILE = resolve(ROOT, 'bench/results.jsonl');
const ROUND1_FILE = resolve(ROOT, 'bench/history-round1.md');
const BENCHMARKS_DIR = resolve(ROOT, 'bench/src/benchmarks');

/**
 * A run counts as measured on a quiet machine when the 1-minute load average, taken before the
 * benchmark started, was at most this (2 cores: anything above means something else was running).
 */
export const QUIET_LOAD = 1.0;

// The load when this process started, before any benchmark ran; `pnpm bench` imports the harness first.
const loadAtStart = loadavg()[0];

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
  /** Shown instead of `seconds` / `peerSeconds` when the measure is not a time (bundle sizes). */
  value?: string;
  peerValue?: string;
}

/** A row as stored in bench/results.jsonl. */
export interface StoredRow extends BenchRow {
  date: string;
  machine: string;
  command: string;
  /** 1-minute load average before the benchmark process started its work, and when the row was recorded. */
  loadAtStart: number;
  loadAtEnd: number;
}

/** CPU model, cores and memory of this machine, as recorded in every row. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
}

function readRows(): StoredRow[] {
  if (!existsSync(RESULTS_FILE)) return [];
  return readFileSync(RESULTS_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StoredRow);
}

const ratioOf = (r: BenchRow) => (r.peerSeconds == null ? '–' : `${(r.peerSeconds / r.seconds).toFixed(2)}×`);
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The workload cell of a benchmark that has no row yet. */
export const NOT_MEASURED = 'not measured on a quiet machine yet';

/** The benchmarks `pnpm bench NAME` runs: the files of bench/src/benchmarks. */
export function benchmarkNames(): string[] {
  return readdirSync(BENCHMARKS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
}

/** The benchmark file that recorded a row (`pnpm bench text-vsm-bm25` → `text-vsm-bm25`). */
const fileOf = (r: StoredRow) => /^pnpm bench (\S+)/.exec(r.command)?.[1] ?? r.benchmark;

/**
 * BENCHMARKS.md: the current claims first — for each (benchmark, workload) the latest row measured on a
 * quiet machine (or, where none was, the latest row, marked as measured under load), and for each of
 * `benchmarks` that recorded no row yet, a row saying so with its command — then every row.
 */
export function renderBenchmarks(rows: StoredRow[] = readRows(), benchmarks = benchmarkNames()): string {
  const latest = new Map<string, StoredRow>();
  for (const row of rows) {
    const key = `${row.benchmark}\u0000${row.workload}`;
    const previous = latest.get(key);
    const quiet = row.loadAtStart <= QUIET_LOAD;
    // A quiet row always replaces a loaded one; among equals the newer wins.
    if (!previous || quiet || previous.loadAtStart > QUIET_LOAD) latest.set(key, row);
  }
  const measuredFiles = new Set(rows.map(fileOf));
  // A benchmark measured on a quiet machine claims only its quiet rows: a loaded row of a workload
  // worded differently (an older version of the benchmark) is history, not a claim.
  const quietBenchmarks = new Set(rows.filter((r) => r.loadAtStart <= QUIET_LOAD).map((r) => r.benchmark));
  const claimed = [...latest.values()].filter(
    (r) => r.loadAtStart <= QUIET_LOAD || !quietBenchmarks.has(r.benchmark),
  );
  const claimRows = [
    ...claimed.map((r) => ({
      benchmark: r.benchmark,
      cells: [
        r.benchmark,
        cell(r.workload + (r.note ? ` (${r.note})` : '')),
        shown(r),
        cell(r.peer),
        peerShown(r),
        `**${ratioOf(r)}**`,
        cell(r.backend),
        `${r.date}, load ${r.loadAtStart.toFixed(2)}${r.loadAtStart <= QUIET_LOAD ? '' : ' (NOT quiet)'}`,
        `\`${r.command}\``,
      ],
    })),
    // A benchmark file that never recorded a row still gets its line, so the table lists every claim.
    ...benchmarks
      .filter((name) => !measuredFiles.has(name))
      .map((name) => ({
        benchmark: name,
        cells: [name, NOT_MEASURED, '–', '–', '–', '**–**', '–', 'not yet', `\`pnpm bench ${name}\``],
      })),
  ];
  // Stable: the rows of one benchmark keep the order they were recorded in.
  claimRows.sort((a, b) => (a.benchmark === b.benchmark ? 0 : a.benchmark < b.benchmark ? -1 : 1));
  const claimLines = claimRows.map((r) => r.cells.join(' | '));
  const historyLines = rows.map((r) =>
    [
      r.date,
      r.benchmark,
      cell(r.workload + (r.note ? ` (${r.note})` : '')),
      shown(r),
      cell(r.peer),
      peerShown(r),
      ratioOf(r),
      cell(r.backend),
      `${r.loadAtStart.toFixed(2)} → ${r.loadAtEnd.toFixed(2)}`,
      cell(r.machine),
      `\`${r.command}\``,
    ].join(' | '),
  );
  const round1 = existsSync(ROUND1_FILE) ? readFileSync(ROUND1_FILE, 'utf8') : '';
  return `# wordloom benchmarks

Generated by \`pnpm bench [name]\` from \`bench/results.jsonl\` (never by CI; do not edit by hand). Each
row times wordloom and a peer **in the same run on the same machine**; ratio = peer time / wordloom time
(> 1 means wordloom is faster). A row counts as measured on a quiet machine when the 1-minute load
average before it started was at most ${QUIET_LOAD} (2 cores).

## Current claims

The latest quiet-machine row of each benchmark and workload (a benchmark never run on one says so), with
its command, date and load. The READMEs quote figures from this table only; \`pnpm lint\` checks that each
one is here (\`node scripts/check-readme-claims.mjs --list\` lists them).

| benchmark | workload | wordloom | peer | peer time | ratio | backend | measured | command |
|---|---|---|---|---|---|---|---|---|
${claimLines.map((l) => `| ${l} |`).join('\n')}

## History

Every row, oldest first; load is the 1-minute load average at the start → at the end of the run.

| date | benchmark | workload | wordloom | peer | peer time | ratio | backend | load | machine | command |
|---|---|---|---|---|---|---|---|---|---|---|
${historyLines.map((l) => `| ${l} |`).join('\n')}

## Round 1

${round1}`;
}

/** Prints a row, stores it in bench/results.jsonl and renders BENCHMARKS.md again. */
export function record(row: BenchRow, command: string): void {
  const stored: StoredRow = {
    ...row,
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    command,
    loadAtStart: Number(loadAtStart.toFixed(2)),
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
  };
  appendFileSync(RESULTS_FILE, `${JSON.stringify(stored)}\n`);
  writeFileSync(BENCHMARKS_FILE, renderBenchmarks());
  console.log(
    `${row.benchmark}: ${row.workload} — wordloom ${shown(row)}, ${row.peer} ${peerShown(row)} (ratio ${ratioOf(row)}) on ${row.backend}; load ${stored.loadAtStart} → ${stored.loadAtEnd}${
      stored.loadAtStart <= QUIET_LOAD ? '' : ' — NOT a quiet machine: rerun alone'
    }`,
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

const shown = (r: BenchRow) => r.value ?? formatSeconds(r.seconds);
const peerShown = (r: BenchRow) =>
  r.peerValue ?? (r.peerSeconds == null ? '–' : formatSeconds(r.peerSeconds));

function formatSeconds(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

// `node --import tsx bench/src/harness.ts`: renders BENCHMARKS.md again from bench/results.jsonl, recording
// nothing (after a change to the renderer or to the set of benchmark files).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(BENCHMARKS_FILE, renderBenchmarks());
  console.log(`rendered ${BENCHMARKS_FILE} from ${RESULTS_FILE}`);
}
