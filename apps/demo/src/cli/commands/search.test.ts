import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const docs = join(dir, 'docs.txt');
// N = 5, avgdl = (5 + 8 + 0 + 2 + 3)/5 = 3.6
writeFileSync(
  docs,
  'The dog chased the cat\nthe cat was chased down by the dog\n\nbirds fly\nbirds chase birds\n',
);

describe('wordloom search', () => {
  it('prints {"results": [[{doc, score}]]} with exact Okapi scores', () => {
    const { code, stdout } = runCli(['search', '--docs', docs, '--query', 'birds', '--json']);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    // "birds": df 2 of N = 5 → idf ln(3.5/2.5); doc 4 tf 2, |d| 3; doc 3 tf 1, |d| 2
    const idf = Math.log(3.5 / 2.5);
    const score = (tf: number, len: number) => (idf * 2.5 * tf) / (tf + 1.5 * (0.25 + (0.75 * len) / 3.6));
    expect(results).toEqual([
      [
        { doc: 4, score: score(2, 3) },
        { doc: 3, score: score(1, 2) },
      ],
    ]);
  });

  it('reads --queries, honours --top, --scoring, --k1, --b and --tokenizer', () => {
    const queries = join(dir, 'queries.txt');
    writeFileSync(queries, 'cat\nunknownword\n');
    const { code, stdout } = runCli([
      'search',
      '--docs',
      docs,
      '--query',
      'birds',
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
    const { results } = JSON.parse(stdout);
    expect(results).toHaveLength(3);
    // whitespace mode lowercases too; "cat" in docs 0 and 1 with tf 1, b = 0 → equal scores, doc 0 first
    const idf = Math.log(1 + 3.5 / 2.5);
    expect(results[1]).toEqual([{ doc: 0, score: idf / 3 }]);
    expect(results[2]).toEqual([]);
  });

  it('prints readable hits without --json', () => {
    const { code, stdout } = runCli(['search', '--docs', docs, '--query', 'chased dog']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/indexed 5 documents/);
    expect(stdout).toMatch(/1\. doc [01] {2}score /);
  });

  it('answers repeated --query flags in order', () => {
    const { stdout } = runCli(['search', '--docs', docs, '--query', 'fly', '--query', 'chase', '--json']);
    expect(JSON.parse(stdout).results.map((hits: { doc: number }[]) => hits.map((h) => h.doc))).toEqual([
      [3],
      [4],
    ]);
  });

  it('fails with one line naming the bad flag', () => {
    for (const [args, message] of [
      [['--scoring', 'bm99'], /Argument '--scoring' passed to 'wordloom search' must be one of/],
      [['--top', '0'], /Argument '--top'/],
      [['--b', '2'], /Argument '--b'/],
    ] as const) {
      const { code, stderr } = runCli(['search', '--docs', docs, '--query', 'x', ...args]);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
    const missing = runCli(['search', '--docs', docs]);
    expect(missing.stderr).toMatch(/Argument '--query'/);
    expect(runCli(['search', '--docs', join(dir, 'nope.txt'), '--query', 'x']).stderr).toMatch(
      /cannot read --docs/,
    );
  });

  it('searches the Gutenberg paragraphs without --docs', () => {
    const { code, stdout } = runCli(['search', '--query', 'white whale', '--top', '3', '--json']);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    expect(results[0]).toHaveLength(3);
    expect(results[0][0].score).toBeGreaterThanOrEqual(results[0][1].score);
  });
});
