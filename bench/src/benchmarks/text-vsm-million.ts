import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Random } from '@wordloom/core';
import { loadCorpus } from '@wordloom/datasets';
import { createTokenizer, SearchIndex } from '@wordloom/text-vsm';
import { record, time } from '../harness.js';

const DOCS = 1_000_000;
const QUERIES = 200;

// A full GC before each memory reading, without needing `node --expose-gc`.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function usedBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * SearchIndex at 1,000,000 short documents (8–12 consecutive Gutenberg words from random offsets):
 * build time (tokenization included), memory of the index, and top-10 Okapi query latency with MaxScore
 * against exhaustive scoring of the same index in the same run (no JS peer holds a million documents
 * in reasonable time; wink needed 1 s for 20,000).
 */
export default async function textVsmMillion(command: string): Promise<void> {
  const words = (await loadCorpus('gutenberg')).split(/\s+/).filter((w) => w !== '');
  const rng = new Random(1_000_000);
  const docs: string[] = new Array(DOCS);
  for (let i = 0; i < DOCS; i++) {
    const start = rng.int(words.length - 12);
    docs[i] = words.slice(start, start + 8 + rng.int(5)).join(' ');
  }
  const tokenizer = createTokenizer();
  const queries: string[] = [];
  while (queries.length < QUERIES) {
    const tokens = tokenizer(docs[rng.int(DOCS)]);
    const want = 2 + rng.int(3);
    const picked = new Set<string>();
    for (let tries = 0; picked.size < want && tries < 20; tries++) picked.add(tokens[rng.int(tokens.length)]);
    if (picked.size === want) queries.push([...picked].join(' '));
  }

  const before = usedBytes();
  const started = performance.now();
  const index = new SearchIndex();
  await index.addDocuments(docs, { progressEvery: 100_000 });
  const build = (performance.now() - started) / 1000;
  const memory = usedBytes() - before;

  const search = await time(
    () => {
      for (const q of queries) index.search(q, { top: 10 });
    },
    { repeats: 3, warmup: 1 },
  );
  const exhaustive = await time(
    () => {
      for (const q of queries) index.searchExhaustive(q, { top: 10 });
    },
    { repeats: 1, warmup: 0 },
  );
  let mismatches = 0;
  for (const q of queries.slice(0, 50)) {
    if (JSON.stringify(index.search(q)) !== JSON.stringify(index.searchExhaustive(q))) mismatches++;
  }
  if (mismatches > 0) throw new Error(`${mismatches} queries differ from exhaustive scoring`);

  const shared = 'shared 2-core machine, other engineers running';
  record(
    {
      benchmark: 'text-vsm-million-query',
      workload: `top-10 Okapi BM25 per query, ${QUERIES} queries of 2–4 words, ${DOCS.toLocaleString('en')} docs of 8–12 Gutenberg words`,
      seconds: search / QUERIES,
      peer: 'wordloom exhaustive scoring (same index)',
      peerSeconds: exhaustive / QUERIES,
      backend: 'typed arrays (no tfjs)',
      note: `top-10 identical to exhaustive on 50 queries; ${shared}`,
    },
    command,
  );
  record(
    {
      benchmark: 'text-vsm-million-build',
      workload: `index build incl. tokenization, ${DOCS.toLocaleString('en')} docs of 8–12 Gutenberg words`,
      seconds: build,
      peer: '–',
      peerSeconds: null,
      backend: 'typed arrays (no tfjs)',
      note: `${index.termCount} terms; heap + array buffers grew ${(memory / 2 ** 20).toFixed(0)} MiB after GC, typed arrays ${(
        index.typedArrayBytes / 2 ** 20
      ).toFixed(0)} MiB, saved file ${(index.serialize().length / 2 ** 20).toFixed(0)} MiB; ${shared}`,
    },
    command,
  );
}
