import { createRequire } from 'node:module';
import { Random } from '@wordloom/core';
import { loadCorpus } from '@wordloom/datasets';
import { createTokenizer, SearchIndex } from '@wordloom/text-vsm';
import { record, time } from '../harness.js';

const require = createRequire(import.meta.url);
const bm25 = require('wink-bm25-text-search') as () => WinkEngine;

interface WinkEngine {
  defineConfig(config: { fldWeights: Record<string, number>; bm25Params?: Record<string, number> }): void;
  definePrepTasks(tasks: Array<(text: string) => string[]>): void;
  addDoc(doc: { body: string }, id: number): void;
  consolidate(precision?: number): void;
  search(text: string, limit?: number): Array<[string, number]>;
}

const DOCS = 20_000;
const WORDS = 40;
const QUERIES = 300;
const K1 = 1.2;
const B = 0.75;

/**
 * Top-10 BM25 retrieval on 20,000 Gutenberg chunks of 40 words: wordloom's SearchIndex (MaxScore) against
 * wink-bm25-text-search in the same run, both tokenizing with wordloom's tokenizer. wink scores
 * idf·(k1+1)tf/(k1·L + tf) with idf = ln(1 + (N − n + 0.5)/(n + 0.5)) — Lucene's idf with the (k1+1)
 * factor — so it is compared with wordloom's `lucene` scores × (k1 + 1); wordloom's scores are also
 * checked against a direct evaluation of the formula (no index) to 1e-6 relative.
 */
export default async function textVsmBm25(command: string): Promise<void> {
  const words = (await loadCorpus('gutenberg')).split(/\s+/).filter((w) => w !== '');
  const chunks: string[] = [];
  for (let i = 0; i < DOCS; i++) chunks.push(words.slice(i * WORDS, (i + 1) * WORDS).join(' '));
  const tokenizer = createTokenizer(); // what SearchIndex uses by default

  // Queries: 2–4 distinct words drawn from random chunks (so they all match something).
  const rng = new Random(42);
  const queries: string[] = [];
  while (queries.length < QUERIES) {
    const tokens = tokenizer(chunks[rng.int(DOCS)]);
    const picked = new Set<string>();
    const want = 2 + rng.int(3);
    for (let tries = 0; picked.size < want && tries < 20; tries++) picked.add(tokens[rng.int(tokens.length)]);
    if (picked.size === want) queries.push([...picked].join(' '));
  }

  // --- index build ---
  let index = new SearchIndex();
  const buildOurs = await time(
    () => {
      index = new SearchIndex();
      for (const chunk of chunks) index.add(chunk);
    },
    { repeats: 3, warmup: 1 },
  );
  let wink = bm25();
  const buildWink = await time(
    () => {
      wink = bm25();
      wink.defineConfig({ fldWeights: { body: 1 }, bm25Params: { k1: K1, b: B, k: 1 } });
      wink.definePrepTasks([tokenizer]);
      chunks.forEach((body, id) => {
        wink.addDoc({ body }, id);
      });
      wink.consolidate(9);
    },
    { repeats: 3, warmup: 1 },
  );

  // --- correctness: wordloom vs direct formula, wink vs wordloom ---
  const docTokens = chunks.map((c) => tokenizer(c));
  const tf = docTokens.map((tokens) => {
    const m = new Map<string, number>();
    for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const m of tf) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avgdl = docTokens.reduce((s, t) => s + t.length, 0) / DOCS;
  const direct = (query: string, doc: number) => {
    let s = 0;
    for (const t of new Set(tokenizer(query))) {
      const n = tf[doc].get(t);
      if (n === undefined) continue;
      const idf = Math.log(1 + (DOCS - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
      s += (idf * n) / (n + K1 * (1 - B + (B * docTokens[doc].length) / avgdl));
    }
    return s;
  };
  let worstDirect = 0;
  let worstWink = 0;
  let sameTop = 0;
  for (const q of queries) {
    const ours = index.search(q, { scoring: 'lucene', k1: K1, b: B, top: 10 });
    for (const hit of ours)
      worstDirect = Math.max(worstDirect, Math.abs(hit.score - direct(q, hit.doc)) / hit.score);
    const theirs = wink.search(q, 10);
    theirs.forEach(([id, score], i) => {
      const expected = direct(q, Number(id)) * (K1 + 1);
      worstWink = Math.max(worstWink, Math.abs(score - expected) / expected);
      if (ours[i] && Math.abs(ours[i].score * (K1 + 1) - score) <= 1e-6 * score) sameTop++;
    });
  }
  if (worstDirect > 1e-6)
    throw new Error(`wordloom differs from the direct formula by ${worstDirect} (relative)`);

  // --- per-query top-10 latency ---
  const oursQuery =
    (await time(
      () => {
        for (const q of queries) index.search(q, { scoring: 'lucene', k1: K1, b: B, top: 10 });
      },
      { repeats: 5, warmup: 1 },
    )) / QUERIES;
  const winkQuery =
    (await time(
      () => {
        for (const q of queries) wink.search(q, 10);
      },
      { repeats: 5, warmup: 1 },
    )) / QUERIES;
  const exhaustiveQuery =
    (await time(
      () => {
        for (const q of queries) index.searchExhaustive(q, { scoring: 'lucene', k1: K1, b: B, top: 10 });
      },
      { repeats: 3, warmup: 1 },
    )) / QUERIES;

  record(
    {
      benchmark: 'text-vsm-bm25-query',
      workload: `top-10 BM25 (lucene idf, k1 ${K1}, b ${B}) per query, ${QUERIES} queries of 2–4 words, ${DOCS} Gutenberg chunks × ${WORDS} words`,
      seconds: oursQuery,
      peer: 'wink-bm25-text-search 3.1.2',
      peerSeconds: winkQuery,
      backend: 'typed arrays (no tfjs)',
      note: `max rel. diff vs direct formula ${worstDirect.toExponential(1)}; wink vs formula·(k1+1) ${worstWink.toExponential(1)}; ${sameTop}/${QUERIES * 10} ranks identical; exhaustive scoring ${(exhaustiveQuery * 1e3).toFixed(3)} ms/query`,
    },
    command,
  );
  record(
    {
      benchmark: 'text-vsm-bm25-build',
      workload: `index build incl. tokenization, ${DOCS} Gutenberg chunks × ${WORDS} words`,
      seconds: buildOurs,
      peer: 'wink-bm25-text-search 3.1.2 (addDoc + consolidate)',
      peerSeconds: buildWink,
      backend: 'typed arrays (no tfjs)',
      note: `${index.termCount} terms`,
    },
    command,
  );
}
