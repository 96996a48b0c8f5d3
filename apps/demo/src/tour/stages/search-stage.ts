import { join } from 'node:path';
import { writeFileAtomic } from '@wordloom/core/node';
import { loadCorpus } from '@wordloom/datasets';
import { SearchIndex, type SearchScoring } from '@wordloom/text-vsm';
import { saveSearchIndex } from '@wordloom/text-vsm/node';
import type { TourReporter } from '../tour-reporter.js';

/** Queries the tour runs against the paragraphs (one per book family of the corpus). */
export const TOUR_QUERIES: readonly string[] = [
  'white rabbit',
  'whale ship captain',
  'love and marriage',
  'king of denmark',
];

/** Characters of each paragraph the page shows as a result snippet. */
export const SNIPPET_CHARS = 280;

/** One ranked paragraph. */
export interface TourHit {
  doc: number;
  score: number;
  snippet: string;
}

/** What the search stage found. */
export interface SearchStageResult {
  corpus: string;
  documents: number;
  terms: number;
  indexSeconds: number;
  queries: Array<{ query: string; bm25: TourHit[]; tfidf: TourHit[] }>;
  /** Files written, relative to the output folder. */
  files: { index: string; paragraphs: string };
}

/** Paragraphs = blocks separated by blank lines (as `wordloom search`), whitespace collapsed. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
}

function snippet(text: string): string {
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text;
}

/**
 * BM25 (Lucene's, the library default: positive idf, k1 1.2, b 0.75) and tf-idf ranking over the corpus's paragraphs (chapter section 向量空间模型): builds the
 * inverted index, runs {@link TOUR_QUERIES}, and saves the index and the paragraph snippets for the
 * web page's search box.
 */
export async function runSearchStage(
  out: string,
  corpus: string,
  top: number,
  reporter: TourReporter,
  signal?: AbortSignal,
): Promise<SearchStageResult> {
  const paragraphs = splitParagraphs(await loadCorpus(corpus));
  const index = new SearchIndex();
  const started = performance.now();
  const bar = reporter.progress('search: indexing paragraphs', paragraphs.length);
  await index.addDocuments(paragraphs, { onProgress: (done) => bar.update(done), signal });
  bar.stop();
  const indexSeconds = (performance.now() - started) / 1000;
  const run = (query: string, scoring: SearchScoring) =>
    index
      .search(query, { top, scoring })
      .map((h) => ({ doc: h.doc, score: h.score, snippet: snippet(paragraphs[h.doc]) }));
  const queries = TOUR_QUERIES.map((query) => ({
    query,
    bm25: run(query, 'lucene'),
    tfidf: run(query, 'tfidf'),
  }));
  const files = { index: 'search/paragraphs.index', paragraphs: 'search/paragraphs.json' };
  await saveSearchIndex(index, join(out, files.index));
  await writeFileAtomic(join(out, files.paragraphs), (append) =>
    append(JSON.stringify(paragraphs.map(snippet))),
  );
  reporter.log(
    `search: ${paragraphs.length} paragraphs of '${corpus}', ${index.termCount} terms, indexed in ${indexSeconds.toFixed(2)} s`,
  );
  return { corpus, documents: paragraphs.length, terms: index.termCount, indexSeconds, queries, files };
}
