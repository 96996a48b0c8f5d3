import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEARCH_SCORINGS } from '@wordloom/text-vsm';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';
import { SCORINGS } from './search.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../../../../../test-fixtures/corpora');
const dir = mkdtempSync(join(tmpdir(), 'wordloom-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const docs = join(dir, 'docs.txt');
// N = 5, avgdl = (5 + 8 + 0 + 2 + 3)/5 = 3.6
writeFileSync(
  docs,
  'The dog chased the cat\nthe cat was chased down by the dog\n\nbirds fly\nbirds chase birds\n',
);

interface Hit {
  doc: number;
  score: number;
  text: string | null;
}
interface Result {
  query: string;
  hits: Hit[];
}
const parse = (stdout: string) => JSON.parse(stdout).results as Result[];

describe('wordloom search', () => {
  it('ranks the shorter document holding both words first with positive scores (Lucene BM25 by default)', () => {
    const { code, stdout } = runCli([
      'search',
      '--docs',
      join(fixtures, 'two-docs.txt'),
      '--query',
      'cat chased',
      '--json',
    ]);
    expect(code).toBe(0);
    const [result] = parse(stdout);
    expect(result.query).toBe('cat chased');
    expect(result.hits.map((h) => h.doc)).toEqual([0, 1]);
    expect(result.hits.every((h) => h.score > 0)).toBe(true);
    expect(result.hits[0].text).toBe('the cat chased the mouse');
  });

  it('prints {"results": [{query, hits: [{doc, score, text}]}]} with exact Lucene and Okapi scores', () => {
    const { code, stdout } = runCli(['search', '--docs', docs, '--query', 'birds', '--json']);
    expect(code).toBe(0);
    // "birds": df 2 of N = 5; doc 4 tf 2, |d| 3; doc 3 tf 1, |d| 2
    const lucene = (tf: number, len: number) =>
      (Math.log(1 + 3.5 / 2.5) * tf) / (tf + 1.2 * (0.25 + (0.75 * len) / 3.6));
    expect(parse(stdout)).toEqual([
      {
        query: 'birds',
        hits: [
          { doc: 4, score: lucene(2, 3), text: 'birds chase birds' },
          { doc: 3, score: lucene(1, 2), text: 'birds fly' },
        ],
      },
    ]);
    const okapi = runCli(['search', '--docs', docs, '--query', 'birds', '--scoring', 'okapi', '--json']);
    const idf = Math.log(3.5 / 2.5);
    const score = (tf: number, len: number) => (idf * 2.5 * tf) / (tf + 1.5 * (0.25 + (0.75 * len) / 3.6));
    expect(parse(okapi.stdout)[0].hits.map((h) => h.score)).toEqual([score(2, 3), score(1, 2)]);
  });

  it('reads --queries (blank lines skipped), honours --top, --scoring, --k1, --b and --tokenizer', () => {
    const queries = join(dir, 'queries.txt');
    writeFileSync(queries, 'cat\n\n   \nunknownword\n');
    const { code, stdout } = runCli([
      'search',
      '--docs',
      docs,
      '--query',
      'birds',
      '--query',
      '  ',
      '--queries',
      queries,
      '--top',
      '1',
      '--scoring',
      'lucene',
      '--k1',
      '2',
      '--b',
      '0',
      '--tokenizer',
      'whitespace',
      '--json',
    ]);
    expect(code).toBe(0);
    const results = parse(stdout);
    expect(results.map((r) => r.query)).toEqual(['birds', 'cat', 'unknownword']);
    // whitespace mode case-folds too; "cat" in docs 0 and 1 with tf 1, b = 0 → equal scores, doc 0 first
    const idf = Math.log(1 + 3.5 / 2.5);
    expect(results[1].hits).toEqual([{ doc: 0, score: idf / 3, text: 'The dog chased the cat' }]);
    expect(results[2].hits).toEqual([]);
  });

  it('takes --top larger than the collection (1e12 included) as "all hits"', () => {
    for (const top of ['1e12', String(Number.MAX_SAFE_INTEGER), '99999999999999999999']) {
      const { code, stdout, stderr } = runCli([
        'search',
        '--docs',
        docs,
        '--query',
        'cat birds',
        '--top',
        top,
        '--json',
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(
        parse(stdout)[0]
          .hits.map((h) => h.doc)
          .sort(),
      ).toEqual([0, 1, 3, 4]);
    }
  });

  it('saves an index with --save-index and searches it with --index', () => {
    const file = join(dir, 'docs.wlsi');
    const built = runCli(['search', '--docs', docs, '--query', 'chased dog', '--save-index', file, '--json']);
    expect(built.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const reused = runCli(['search', '--index', file, '--docs', docs, '--query', 'chased dog', '--json']);
    expect(reused.code).toBe(0);
    expect(parse(reused.stdout)).toEqual(parse(built.stdout));
    // Without --docs the hits carry no text.
    const bare = runCli(['search', '--index', file, '--query', 'chased dog', '--json']);
    expect(parse(bare.stdout)[0].hits.map((h) => [h.doc, h.score, h.text])).toEqual(
      parse(built.stdout)[0].hits.map((h) => [h.doc, h.score, null]),
    );
    // Only saving (no query) is fine.
    const only = join(dir, 'only.wlsi');
    expect(runCli(['search', '--docs', docs, '--save-index', only]).code).toBe(0);
    expect(readFileSync(only)).toEqual(readFileSync(file));
    // A corrupted index is refused with the flag named; a mismatched --docs too.
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 4;
    const corrupt = join(dir, 'corrupt.wlsi');
    writeFileSync(corrupt, bytes);
    const bad = runCli(['search', '--index', corrupt, '--query', 'dog']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--index: cannot load .*checksum mismatch/);
    const twoDocs = join(fixtures, 'two-docs.txt');
    expect(runCli(['search', '--index', file, '--docs', twoDocs, '--query', 'dog']).stderr).toMatch(
      /--docs: .* has 2 lines but the index .* has 5 documents/,
    );
  });

  it('prints readable hits without --json', () => {
    const { code, stdout } = runCli(['search', '--docs', docs, '--query', 'chased dog']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/indexed 5 documents/);
    expect(stdout).toMatch(/1\. doc [01] {2}score /);
  });

  it('fails with one line naming the bad flag', () => {
    for (const [args, message] of [
      [['--top', 'abc'], /^wordloom: --top: not a number: "abc"/],
      [['--top', '0'], /^wordloom: --top: 0 is out of range/],
      [['--top', '1.5'], /^wordloom: --top: not an integer/],
      [['--scoring', 'bm99'], /^wordloom: --scoring: unknown value "bm99" \(expected one of lucene, okapi/],
      [['--b', '2'], /^wordloom: --b: 2 is out of range/],
      [['--k1', 'x'], /^wordloom: --k1: not a number/],
      [['--tokenizer', 'regex'], /^wordloom: --tokenizer: unknown value/],
      [['--save-index', join(dir, 'missing-folder', 'x.wlsi')], /^wordloom: --save-index: cannot write/],
      [['--index', join(dir, 'nope.wlsi')], /^wordloom: --index: cannot load .*no such file/],
    ] as const) {
      const { code, stderr } = runCli(['search', '--docs', docs, '--query', 'x', ...args]);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(message);
    }
    const json = runCli(['search', '--docs', docs, '--query', 'x', '--top', 'abc', '--json']);
    expect(JSON.parse(json.stdout).error.argument).toBe('--top');
    expect(runCli(['search', '--docs', docs]).stderr).toMatch(/^wordloom: --query: missing/);
    expect(runCli(['search', '--docs', docs, '--query', ' ']).stderr).toMatch(/^wordloom: --query: missing/);
    expect(runCli(['search', '--docs', join(dir, 'nope.txt'), '--query', 'x']).stderr).toMatch(
      /^wordloom: --docs: cannot read .*nope\.txt: no such file or directory/,
    );
  });

  it('loads its packages lazily: top-level imports are only node:, commander, @wordloom/core and local files', () => {
    const source = readFileSync(join(here, 'search.ts'), 'utf8');
    const imports = [...source.matchAll(/^import [^;]*? from '([^']+)';/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(3);
    for (const name of imports) expect(name).toMatch(/^(node:|commander$|@wordloom\/core$|\.)/);
    expect(source).toMatch(/await import\('@wordloom\/text-vsm'\)/);
  });

  it('lists the library’s scorings, Lucene first', () => {
    expect([...SCORINGS]).toEqual([...SEARCH_SCORINGS]);
  });

  it('searches the Gutenberg paragraphs without --docs', () => {
    const { code, stdout } = runCli(['search', '--query', 'white whale', '--top', '3', '--json']);
    expect(code).toBe(0);
    const [result] = parse(stdout);
    expect(result.hits).toHaveLength(3);
    expect(result.hits[0].score).toBeGreaterThanOrEqual(result.hits[1].score);
    expect(result.hits[0].text).toMatch(/whale/i);
  });
});
