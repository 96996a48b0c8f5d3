import { readFile } from 'node:fs/promises';
import {
  assertInteger,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  WordloomError,
} from '@wordloom/core';
import { loadCorpus } from '@wordloom/datasets';
import { SEARCH_SCORINGS, SearchIndex, type SearchScoring } from '@wordloom/text-vsm';
import type { Command } from 'commander';
import { action } from '../context.js';

const COMMAND = 'wordloom search';

interface SearchFlags {
  docs?: string;
  query: string[];
  queries?: string;
  top: string;
  scoring: string;
  k1?: string;
  b?: string;
  tokenizer: string;
}

/** Lines of a text file without the line break that ends the last one. */
function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

async function readLinesOf(path: string, flag: string): Promise<string[]> {
  try {
    return lines(await readFile(path, 'utf8'));
  } catch (error) {
    throw new WordloomError(`cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

function numberFlag(value: string | undefined, flag: string, range: { min: number; max?: number }) {
  if (value === undefined) return undefined;
  return assertNumber(Number(value), flag, COMMAND, range);
}

/**
 * `wordloom search`: ranked retrieval with BM25 (Okapi, Lucene, ATIRE, BM25L, BM25+) or tf-idf over a
 * file with one document per line (doc id = 0-based line number), or over the Gutenberg corpus split
 * into paragraphs.
 */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('rank documents for queries with BM25 or tf-idf (an inverted index with MaxScore top-k)')
    .option(
      '--docs <file>',
      'one document per line (doc id = 0-based line number); default: Gutenberg paragraphs',
    )
    .option(
      '--query <text>',
      'a query (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--queries <file>', 'one query per line (searched after --query)')
    .option('--top <n>', 'hits per query', '10')
    .option('--scoring <name>', `${SEARCH_SCORINGS.join('|')}`, 'okapi')
    .option('--k1 <x>', 'BM25 k1 (default: the variant’s, 1.5; lucene 1.2)')
    .option('--b <x>', 'BM25 b (default 0.75)')
    .option(
      '--tokenizer <mode>',
      'default (lowercase Unicode words) | whitespace (pre-tokenized text, split on whitespace, lowercased)',
      'default',
    )
    .action(
      action(async (ctx, flags: SearchFlags) => {
        const top = assertInteger(Number(flags.top), '--top', COMMAND, 1);
        const scoring = assertOneOf(flags.scoring, SEARCH_SCORINGS, '--scoring', COMMAND) as SearchScoring;
        const mode = assertOneOf(flags.tokenizer, ['default', 'whitespace'], '--tokenizer', COMMAND);
        const k1 = numberFlag(flags.k1, '--k1', { min: 0 });
        const b = numberFlag(flags.b, '--b', { min: 0, max: 1 });
        const queries: string[] = [];
        queries.push(...flags.query);
        if (flags.queries !== undefined) queries.push(...(await readLinesOf(flags.queries, '--queries')));
        if (queries.length === 0) {
          throw new InvalidArgumentError('--query', COMMAND, 'given (or --queries FILE)');
        }

        let documents: string[];
        let source: string;
        if (flags.docs !== undefined) {
          documents = await readLinesOf(flags.docs, '--docs');
          source = flags.docs;
        } else {
          // Paragraphs = blocks separated by blank lines; doc id = index among the non-empty ones.
          documents = (await loadCorpus('gutenberg')).split(/\n[ \t]*\n/).filter((p) => p.trim() !== '');
          source = 'the Gutenberg corpus (paragraphs)';
        }

        const index = new SearchIndex({ tokenizer: { mode } });
        const started = performance.now();
        const progress = documents.length >= 20_000 ? ctx.progress('indexing', documents.length) : undefined;
        await index.addDocuments(documents, { onProgress: (done) => progress?.update(done) });
        progress?.stop();
        const indexSeconds = (performance.now() - started) / 1000;

        const options = {
          top,
          scoring,
          ...(k1 !== undefined ? { k1 } : {}),
          ...(b !== undefined ? { b } : {}),
        };
        const results = queries.map((q) => index.search(q, options));
        const human = [
          `indexed ${documents.length} documents from ${source} in ${indexSeconds.toFixed(2)} s ` +
            `(${index.termCount} terms; typed-array index, no tfjs backend needed); scoring ${scoring}`,
        ];
        results.forEach((hits, i) => {
          human.push(
            `query ${JSON.stringify(queries[i])}: ${hits.length} hit${hits.length === 1 ? '' : 's'}`,
          );
          hits.forEach((hit, rank) => {
            const snippet = documents[hit.doc].replace(/\s+/g, ' ').trim();
            const short = snippet.length > 70 ? `${snippet.slice(0, 67)}...` : snippet;
            human.push(`  ${rank + 1}. doc ${hit.doc}  score ${hit.score.toFixed(5)}  ${short}`);
          });
        });
        ctx.print(human, {
          results: results.map((hits) => hits.map((h) => ({ doc: h.doc, score: h.score }))),
        });
      }),
    );
}
