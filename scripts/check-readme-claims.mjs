#!/usr/bin/env node
// `pnpm lint` part three: every performance figure a README quotes is in the claims table that opens
// BENCHMARKS.md (rendered by bench/src/harness.ts from bench/results.jsonl), so no README states an old
// or unmeasured number.
//
// A README quotes a figure as a link to the table whose title names the benchmark row it comes from:
//
//     [35.83×](../../BENCHMARKS.md#current-claims "matmul")
//
// and the figure must appear, exactly as written, in that benchmark's row(s). Any other figure — a time,
// a ratio, a rate, a size, a percentage, or the number after "perplexity" — in a sentence that names a
// benchmark (`pnpm bench NAME`, BENCHMARKS.md, a benchmark's name in backticks) or reports a measurement
// (measured, benchmark, faster, slower, speed-up, took, throughput) is an error too: quote it from the
// table that way, or leave it out. Fenced and inline code are not read; a figure in a sentence that
// names no benchmark and no measurement (a design constant such as "yields every 50 ms") is not a claim.
//
// Usage: node scripts/check-readme-claims.mjs [--list]
//   Exits 1 naming the README, line and figure of each problem, with the row's current figures; --list
//   also prints every quoted figure with its row (what to update after the benchmarks ran again).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHMARKS_FILE = join(ROOT, 'BENCHMARKS.md');
// The workload cell of a claims row whose benchmark has no row yet (bench/src/harness.ts).
const NOT_MEASURED = 'not measured on a quiet machine yet';

const NUMBER = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
const RANGE = String.raw`${NUMBER}(?:\s?[–-]\s?${NUMBER})?`;
// Rates before the plain units they start with; × and x only as a ratio (not `512×512`, `0x10`).
const UNIT = String.raw`(?:(?:[kMGT]?FLOP\/s|GFLOPS|[KMG]i?B\/s|kB\/s|(?:words|tokens|docs|documents|queries|images|rows|examples)\/s|ns|µs|μs|us|ms|s|sec|seconds?|min|minutes?|h|hours?|[KMGT]i?B|kB|%)(?![\w/])|(?:×|x)(?!\s?\d)(?![\w]))`;
const FIGURE = new RegExp(String.raw`(?<![\w.,])${RANGE}\s?${UNIT}`, 'gu');
const PERPLEXITY = new RegExp(
  String.raw`\bperplexit(?:y|ies)(?:\s*[:=≈~]|\s+(?:of|is|was|at|about))*\s+(${NUMBER})(?!\w)`,
  'giu',
);
const BARE_NUMBER = new RegExp(`(?<![\\w.,])${NUMBER}(?![\\w])`, 'gu');
const TRIGGER =
  /pnpm bench\b|BENCHMARKS\.md|\b(?:measured|measures|benchmark(?:s|ed)?|faster|slower|speed-?ups?|took|throughput)\b/i;
const QUOTE = /\[([^\]\n]*)\]\(([^)\s]*BENCHMARKS\.md[^)\s]*)(?:\s+"([^"\n]*)")?\)/g;

const normalize = (text) => text.replace(/[\u00a0\u202f\u2009]/g, ' ');
const blank = (text) => text.replace(/[^\n]/g, ' ');
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Performance figures in `text`: `{figure, index}` for each time, ratio, rate, size or percentage. */
export function figuresIn(text) {
  return [...normalize(text).matchAll(FIGURE)].map((m) => ({ figure: m[0], index: m.index }));
}

/**
 * The claims table of a rendered BENCHMARKS.md: a map from benchmark name to the text of each of its
 * rows (cells joined, bold marks removed).
 */
export function parseClaims(markdown) {
  const start = markdown.indexOf('\n## Current claims');
  if (start < 0) throw new Error('BENCHMARKS.md has no "## Current claims" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const claims = new Map();
  for (const line of markdown.slice(start, end < 0 ? undefined : end).split('\n')) {
    if (!line.startsWith('|') || /^\|[-| ]+\|$/.test(line)) continue;
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => normalize(c.trim().replaceAll('\\|', '|').replaceAll('**', '')));
    if (cells[0] === 'benchmark') continue; // the header
    const rows = claims.get(cells[0]) ?? [];
    rows.push(cells.join(' | '));
    claims.set(cells[0], rows);
  }
  return claims;
}

/** True when `figure` appears in `row` as a whole figure (`16.5 ms` is not in `116.5 ms`). */
function rowHas(row, figure) {
  return new RegExp(`(?<![\\d.,])${escapeRegExp(normalize(figure))}(?!\\d)`, 'u').test(row);
}

/** The figures of a claims row, for messages: what a README could quote from it now. */
function rowFigures(rows) {
  const all = rows.flatMap((row) => figuresIn(row.split(' | ').slice(1, 7).join(' | ')).map((f) => f.figure));
  return all.length > 0 ? [...new Set(all)].join(', ') : 'no figures';
}

/** A README's blocks (paragraphs, list items, table rows, headings) outside fenced code, with their first line. */
function blocksOf(text) {
  const blocks = [];
  let current = null;
  let fence = null;
  text.split('\n').forEach((line, i) => {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (fence !== null) {
      if (marker === fence) fence = null;
      return;
    }
    if (marker) {
      fence = marker;
      current = null;
      return;
    }
    if (line.trim() === '') {
      current = null;
      return;
    }
    const starts = /^\s{0,3}([-*+]\s|\d+[.)]\s|\||#)/.test(line);
    if (current === null || starts || current.heading) {
      current = { line: i + 1, text: line, heading: line.startsWith('#') || line.startsWith('|') };
      blocks.push(current);
    } else current.text += `\n${line}`;
  });
  return blocks;
}

/** Sentences of a block as `[start, end)` offsets. */
function sentencesOf(text) {
  const spans = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?](?=\s+[A-Z(`*_[])/g)) {
    spans.push([start, m.index + 1]);
    start = m.index + 1;
  }
  spans.push([start, text.length]);
  return spans;
}

/**
 * Checks one README against the claims. Returns `{problems, quotes}`: each problem names the line and
 * the figure; each quote is a figure linked to the table, with whether its row holds it.
 */
export function checkReadme(file, text, claims, { benchmarksFile = BENCHMARKS_FILE, root = ROOT } = {}) {
  const name = relative(root, file) || file;
  const problems = [];
  const quotes = [];
  const names = [...claims.keys()];
  const lineAt = (block, index) => block.line + (block.text.slice(0, index).match(/\n/g)?.length ?? 0);
  for (const block of blocksOf(text)) {
    // Code spans hold flags, paths and examples, not claims (a quote shown as code is not one either).
    let masked = block.text.replace(/`[^`\n]*`/g, blank);
    for (const m of masked.matchAll(QUOTE)) {
      masked = masked.slice(0, m.index) + blank(m[0]) + masked.slice(m.index + m[0].length);
      const [, label, target, benchmark] = m;
      let figures = figuresIn(label).map((f) => f.figure);
      if (figures.length === 0) figures = [...label.matchAll(BARE_NUMBER)].map((n) => n[0]);
      if (figures.length === 0) continue; // a plain link to BENCHMARKS.md
      const line = lineAt(block, m.index);
      const at = `${name}:${line}`;
      if (resolve(dirname(file), target.split('#')[0]) !== resolve(benchmarksFile)) {
        problems.push({
          file: name,
          line,
          figure: label,
          message: `${at}: [${label}] links to ${target}, not to the repository's BENCHMARKS.md`,
        });
        continue;
      }
      if (!benchmark) {
        problems.push({
          file: name,
          line,
          figure: label,
          message: `${at}: [${label}](${target}) names no benchmark: add its row's name as the link title, e.g. [${label}](${target} "${names[0] ?? 'matmul'}")`,
        });
        continue;
      }
      const rows = claims.get(benchmark);
      if (!rows) {
        problems.push({
          file: name,
          line,
          figure: label,
          message: `${at}: "${benchmark}" has no row in the claims table of BENCHMARKS.md (rows: ${names.join(', ')})`,
        });
        continue;
      }
      for (const figure of figures) {
        const ok = rows.some((row) => rowHas(row, figure));
        quotes.push({ file: name, line, figure, benchmark, ok, now: rowFigures(rows) });
        if (ok) continue;
        const message = rows.every((row) => row.includes(NOT_MEASURED))
          ? `${at}: "${figure}": "${benchmark}" has not been measured on a quiet machine yet (run its command, then quote its row)`
          : `${at}: "${figure}" is not in the claims table's row for "${benchmark}" (it says now: ${rowFigures(rows)})`;
        problems.push({ file: name, line, figure, message });
      }
    }
    // Other links' targets are paths and URLs.
    masked = masked.replace(/\]\([^)\n]*\)/g, blank);
    for (const [start, end] of sentencesOf(block.text)) {
      const sentence = block.text.slice(start, end);
      const named = TRIGGER.test(sentence) || names.some((n) => sentence.includes(`\`${n}\``));
      if (!named) continue;
      const part = masked.slice(start, end);
      const found = [
        ...figuresIn(part),
        ...[...part.matchAll(PERPLEXITY)].map((m) => ({
          figure: m[1],
          index: m.index + m[0].lastIndexOf(m[1]),
        })),
      ];
      for (const { figure, index } of found) {
        const line = lineAt(block, start + index);
        problems.push({
          file: name,
          line,
          figure,
          message: `${name}:${line}: "${figure}" is a measured figure that is not quoted from BENCHMARKS.md's claims table: write it as [${figure}](…/BENCHMARKS.md#current-claims "<benchmark>") with the row's figure, or leave it out`,
        });
      }
    }
  }
  return { problems, quotes };
}

/** The READMEs users read: the root one and each package's, app's, bench's and e2e suite's. */
export function readmeFiles(root = ROOT) {
  const files = [join(root, 'README.md')];
  for (const group of ['packages', 'apps', 'e2e', '.']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (group === '.' && entry.name !== 'bench') continue;
      const readme = join(dir, entry.name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}

function main() {
  const list = process.argv.includes('--list');
  const unknown = process.argv.slice(2).filter((a) => a !== '--list');
  if (unknown.length > 0) {
    console.error(`check-readme-claims: unknown argument(s) ${unknown.join(' ')} (usage: [--list])`);
    process.exit(2);
  }
  if (!existsSync(BENCHMARKS_FILE)) {
    console.error('check-readme-claims: BENCHMARKS.md is missing (pnpm bench renders it)');
    process.exit(1);
  }
  const claims = parseClaims(readFileSync(BENCHMARKS_FILE, 'utf8'));
  const problems = [];
  const quotes = [];
  const files = readmeFiles();
  for (const file of files) {
    const result = checkReadme(file, readFileSync(file, 'utf8'), claims);
    problems.push(...result.problems);
    quotes.push(...result.quotes);
  }
  if (list)
    for (const q of quotes)
      console.log(
        `${q.file}:${q.line}  ${q.figure}  (${q.benchmark})  ${q.ok ? 'ok' : 'NOT IN THE TABLE'}; row now: ${q.now}`,
      );
  if (problems.length > 0) {
    console.error(
      `README figures not in BENCHMARKS.md's claims table (${problems.length}):\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log(
    `readme claims ok: ${quotes.length} figures in ${files.length} READMEs, each in BENCHMARKS.md's claims table`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
