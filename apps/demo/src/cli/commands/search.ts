import { readFile } from 'node:fs/promises';
import { WordloomError } from '@wordloom/core';
import type { Command } from 'commander';
import { action } from '../context.js';
import { choiceFlag, FlagError, integerFlag, numberFlag, outputFileFlag } from '../flags.js';
import { sanitizeForTerminal } from '../report-error.js';

/**
 * The scorings of `@wordloom/text-vsm`'s `SEARCH_SCORINGS` (spelled out here so `--help` does not load
 * the package; a test checks that the two lists agree). The first is the default.
 */
export const SCORINGS = ['lucene', 'okapi', 'atire', 'bm25l', 'bm25plus', 'tfidf'] as const;

interface SearchFlags {
  docs?: string;
  query: string[];
  queries?: string;
  top: string;
  scoring: string;
  k1?: string;
  b?: string;
  tokenizer?: string;
  saveIndex?: string;
  index?: string;
}

/** Lines of a text file without the line break that ends the last one. */
function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String(error);
}

async function readLinesOf(path: string, flag: string): Promise<string[]> {
  try {
    return lines(await readFile(path, 'utf8'));
  } catch (error) {
    throw new FlagError(flag, `cannot read ${path}: ${errnoText(error)}`, { cause: error });
  }
}

/**
 * `--top`: an integer ≥ 1; exponent notation of an integer (`1e12`) and integers beyond 2^53 are
 * accepted because "more than there are" is a normal request — the library caps it at the number of
 * documents.
 */
function topFlag(raw: string): number {
  try {
    return integerFlag(raw, '--top', { min: 1 }) as number;
  } catch (error) {
    const text = raw.trim();
    const value = /^\+?\d+$|^\d+(\.\d*)?e\+?\d+$/i.test(text) ? Number(text) : Number.NaN;
    if (Number.isInteger(value) && value >= 1) return Math.min(value, Number.MAX_SAFE_INTEGER);
    throw error;
  }
}

/**
 * `wordloom search`: ranked retrieval with BM25 (Lucene by default; Okapi, ATIRE, BM25L, BM25+) or
 * tf-idf over a file with one document per line (doc id = 0-based line number), or over the Gutenberg
 * corpus split into paragraphs; `--save-index` keeps the index, `--index` searches a kept one.
 */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('rank documents for queries with BM25 or tf-idf (an inverted index with block-max top-k)')
    .option(
      '--docs <file>',
      'one document per line (doc id = 0-based line number); default: Gutenberg paragraphs. With --index, the texts shown for the hits',
    )
    .option(
      '--query <text>',
      'a query (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--queries <file>', 'one query per line, searched after --query (blank lines skipped)')
    .option('--top <n>', 'hits per query (more than there are documents means all)', '10')
    .option(
      '--scoring <name>',
      `${SCORINGS.join(' | ')}: lucene = Lucene's BM25 (positive idf, k1 1.2); okapi = rank_bm25's (ε-floored idf, k1 1.5)`,
      'lucene',
    )
    .option('--k1 <x>', 'BM25 k1 (default: the scoring’s, lucene 1.2, others 1.5)')
    .option('--b <x>', 'BM25 b (default 0.75)')
    .option(
      '--tokenizer <mode>',
      'default (UAX #29 words, NFKC, case-folded) | whitespace (pre-tokenized text split on whitespace)',
    )
    .option('--save-index <file>', 'save the index to FILE (atomically) for --index')
    .option('--index <file>', 'search an index saved with --save-index instead of indexing --docs')
    .action(
      action(async (ctx, flags: SearchFlags) => {
        const top = topFlag(flags.top);
        const scoring = choiceFlag(flags.scoring, '--scoring', SCORINGS);
        const mode =
          flags.tokenizer === undefined
            ? undefined
            : choiceFlag(flags.tokenizer, '--tokenizer', ['default', 'whitespace'] as const);
        const k1 = numberFlag(flags.k1, '--k1', { min: 0 });
        const b = numberFlag(flags.b, '--b', { min: 0, max: 1 });
        if (flags.index !== undefined && mode !== undefined)
          throw new FlagError(
            '--tokenizer',
            'cannot be combined with --index (a saved index keeps its tokenizer)',
          );
        if (flags.index !== undefined && flags.saveIndex !== undefined)
          throw new FlagError('--save-index', 'cannot be combined with --index (the index is already saved)');
        const saveTo =
          flags.saveIndex === undefined ? undefined : await outputFileFlag(flags.saveIndex, '--save-index');

        const queries = flags.query.filter((q) => q.trim() !== '');
        if (flags.queries !== undefined)
          queries.push(...(await readLinesOf(flags.queries, '--queries')).filter((q) => q.trim() !== ''));
        if (queries.length === 0 && saveTo === undefined) {
          throw new FlagError(
            '--query',
            'missing: give --query TEXT or --queries FILE (blank queries are skipped)',
          );
        }

        const { SearchIndex } = await import('@wordloom/text-vsm');
        const { loadSearchIndex, saveSearchIndex } = await import('@wordloom/text-vsm/node');
        let documents: string[] | undefined;
        let source: string;
        let index: InstanceType<typeof SearchIndex>;
        const started = performance.now();
        if (flags.index !== undefined) {
          try {
            index = await loadSearchIndex(flags.index);
          } catch (error) {
            const why = WordloomError.isInstance(error) ? (error as Error).message : errnoText(error);
            throw new FlagError('--index', `cannot load ${flags.index}: ${why}`, { cause: error });
          }
          source = flags.index;
          if (flags.docs !== undefined) {
            documents = await readLinesOf(flags.docs, '--docs');
            if (documents.length !== index.size) {
              throw new FlagError(
                '--docs',
                `${flags.docs} has ${documents.length} lines but the index ${flags.index} has ${index.size} documents (pass the file it was built from)`,
              );
            }
          }
        } else {
          if (flags.docs !== undefined) {
            documents = await readLinesOf(flags.docs, '--docs');
            source = flags.docs;
          } else {
            const { loadCorpus } = await import('@wordloom/datasets');
            // Paragraphs = blocks separated by blank lines; doc id = index among the non-empty ones.
            documents = (await loadCorpus('gutenberg')).split(/\n[ \t]*\n/).filter((p) => p.trim() !== '');
            source = 'the Gutenberg corpus (paragraphs)';
          }
          index = new SearchIndex({ tokenizer: { mode: mode ?? 'default' } });
          const progress =
            documents.length >= 20_000 ? ctx.progress('indexing', documents.length) : undefined;
          await index.addDocuments(documents, {
            onProgress: (done) => progress?.update(done),
            signal: ctx.signal,
          });
          progress?.stop();
          if (saveTo !== undefined) await saveSearchIndex(index, saveTo);
        }
        const indexSeconds = (performance.now() - started) / 1000;

        const options = {
          top,
          scoring,
          ...(k1 !== undefined ? { k1 } : {}),
          ...(b !== undefined ? { b } : {}),
        };
        const results = queries.map((query) => ({
          query,
          hits: index.search(query, options).map((hit) => ({
            doc: hit.doc,
            score: hit.score,
            text: documents === undefined ? null : documents[hit.doc],
          })),
        }));
        const human = [
          `${flags.index !== undefined ? 'loaded' : 'indexed'} ${index.documentCount} documents from ${sanitizeForTerminal(source)} in ${indexSeconds.toFixed(2)} s ` +
            `(${index.termCount} terms; typed-array index, no tfjs backend needed); scoring ${scoring}` +
            (saveTo !== undefined ? `; saved to ${sanitizeForTerminal(saveTo)}` : ''),
        ];
        for (const { query, hits } of results) {
          human.push(
            `query ${sanitizeForTerminal(JSON.stringify(query))}: ${hits.length} hit${hits.length === 1 ? '' : 's'}`,
          );
          hits.forEach((hit, rank) => {
            const snippet =
              hit.text === null ? '' : sanitizeForTerminal(hit.text.replace(/\s+/g, ' ').trim());
            const short = snippet.length > 70 ? `${snippet.slice(0, 67)}...` : snippet;
            human.push(`  ${rank + 1}. doc ${hit.doc}  score ${hit.score.toFixed(5)}  ${short}`.trimEnd());
          });
        }
        ctx.print(human, { results });
      }),
    );
}
