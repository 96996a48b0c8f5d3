import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Random } from '@wordloom/core';
import { loadCorpus } from '@wordloom/datasets';
import { createTokenizer, ENGLISH_STOP_WORDS, SearchIndex } from '@wordloom/text-vsm';
import { record } from '../harness.js';

/** The measured size; `TEXT_VSM_MILLION_DOCS=20000` makes a quick trial run that records nothing. */
const FULL = 1_000_000;
const DOCS = Number(process.env.TEXT_VSM_MILLION_DOCS ?? FULL);
const QUERIES_PER_KIND = 200;

// A full GC before each memory reading, without needing `node --expose-gc`.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function usedBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Per-query wall times in seconds (each query once after one untimed pass over all of them). */
function perQuery(queries: string[], run: (q: string) => unknown): number[] {
  for (const q of queries) run(q);
  const times = queries.map((q) => {
    const start = performance.now();
    run(q);
    return (performance.now() - start) / 1000;
  });
  return times.sort((a, b) => a - b);
}

/**
 * SearchIndex at 1,000,000 short documents (8–12 consecutive Gutenberg words from random offsets):
 * build time (tokenization included), memory of the index, and top-10 query latency (Lucene BM25, the
 * default; block-max MaxScore) at p50 and p95 for three query kinds — stop-word-only (2–4 of the most
 * frequent NLTK stop words), 10 consecutive corpus words, and random 2–4 words of a random document —
 * against exhaustive scoring of the same index and queries in the same run (no JS peer holds a million
 * documents in reasonable time; wink needed 1 s for 20,000). Top-10 lists are checked identical.
 */
export default async function textVsmMillion(command: string): Promise<void> {
  if (!Number.isInteger(DOCS) || DOCS < 1000)
    throw new Error('TEXT_VSM_MILLION_DOCS must be an integer >= 1000');
  const words = (await loadCorpus('gutenberg')).split(/\s+/).filter((w) => w !== '');
  const rng = new Random(1_000_000);
  const docs: string[] = new Array(DOCS);
  for (let i = 0; i < DOCS; i++) {
    const start = rng.int(words.length - 12);
    docs[i] = words.slice(start, start + 8 + rng.int(5)).join(' ');
  }

  const before = usedBytes();
  const started = performance.now();
  const index = new SearchIndex();
  await index.addDocuments(docs, { progressEvery: 100_000 });
  const build = (performance.now() - started) / 1000;
  const memory = usedBytes() - before;

  const tokenizer = createTokenizer();
  const stop = ENGLISH_STOP_WORDS.filter((w) => index.documentFrequency(w) > 0)
    .sort((a, b) => index.documentFrequency(b) - index.documentFrequency(a))
    .slice(0, 12);
  const pick = (pool: readonly string[], count: number) => {
    const picked = new Set<string>();
    for (let tries = 0; picked.size < count && tries < 50; tries++) picked.add(pool[rng.int(pool.length)]);
    return [...picked].join(' ');
  };
  const kinds: Record<string, string[]> = { 'stop-word-only': [], '10-word': [], 'random 2–4 words': [] };
  while (kinds['stop-word-only'].length < QUERIES_PER_KIND)
    kinds['stop-word-only'].push(pick(stop, 2 + rng.int(3)));
  while (kinds['10-word'].length < QUERIES_PER_KIND) {
    const start = rng.int(words.length - 40);
    const tokens = tokenizer(words.slice(start, start + 40).join(' '));
    if (tokens.length >= 10) kinds['10-word'].push(tokens.slice(0, 10).join(' '));
  }
  while (kinds['random 2–4 words'].length < QUERIES_PER_KIND) {
    const tokens = tokenizer(docs[rng.int(DOCS)]);
    const want = 2 + rng.int(3);
    const q = pick(tokens, want);
    if (q.split(' ').length === want) kinds['random 2–4 words'].push(q);
  }

  const size = DOCS.toLocaleString('en');
  for (const [kind, queries] of Object.entries(kinds)) {
    let mismatches = 0;
    for (const q of queries.slice(0, 30)) {
      if (JSON.stringify(index.search(q)) !== JSON.stringify(index.searchExhaustive(q))) mismatches++;
    }
    if (mismatches > 0) throw new Error(`${kind}: ${mismatches} queries differ from exhaustive scoring`);
    const fast = perQuery(queries, (q) => index.search(q, { top: 10 }));
    const slow = perQuery(queries.slice(0, 50), (q) => index.searchExhaustive(q, { top: 10 }));
    const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
    const row = {
      benchmark: `text-vsm-million-query-${kind.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}`,
      workload: `top-10 Lucene BM25 (block-max MaxScore), ${queries.length} ${kind} queries, ${size} docs of 8–12 Gutenberg words`,
      seconds: percentile(fast, 50),
      peer: 'wordloom exhaustive scoring (same index, 50 of the queries)',
      peerSeconds: percentile(slow, 50),
      backend: 'typed arrays (no tfjs)',
      note: `p50 ${ms(percentile(fast, 50))}, p95 ${ms(percentile(fast, 95))}, max ${ms(fast[fast.length - 1])}; exhaustive p50 ${ms(percentile(slow, 50))}, p95 ${ms(percentile(slow, 95))}; top-10 identical to exhaustive on 30 queries${DOCS === FULL ? `; goal p95 < 10 ms ${percentile(fast, 95) < 0.01 ? 'met' : 'NOT met'}` : ''}`,
    };
    if (DOCS === FULL) record(row, command);
    else console.log(`${row.benchmark} (trial at ${size} docs, not recorded): ${row.note}`);
  }

  const buildRow = {
    benchmark: 'text-vsm-million-build',
    workload: `index build incl. tokenization (UAX #29, NFKC, case folding), ${size} docs of 8–12 Gutenberg words`,
    seconds: build,
    peer: '–',
    peerSeconds: null,
    backend: 'typed arrays (no tfjs)',
    note: `${index.termCount} terms; heap + array buffers grew ${(memory / 2 ** 20).toFixed(0)} MiB after GC, typed arrays ${(
      index.typedArrayBytes / 2 ** 20
    ).toFixed(0)} MiB, saved file ${(index.serialize().length / 2 ** 20).toFixed(0)} MiB`,
  };
  if (DOCS === FULL) record(buildRow, command);
  else console.log(`${buildRow.benchmark} (trial, not recorded): ${build.toFixed(2)} s; ${buildRow.note}`);
}
