import { describe, expect, it } from 'vitest';
import { benchmarkNames, renderBenchmarks, type StoredRow } from './harness.js';

const row = (fields: Partial<StoredRow>): StoredRow => ({
  benchmark: 'matmul',
  workload: 'matMul 512×512 float32, median',
  seconds: 0.016,
  peer: 'tfjs cpu backend',
  peerSeconds: 0.5,
  backend: 'wasm',
  date: '2026-12-01',
  machine: 'test machine',
  command: 'pnpm bench matmul',
  loadAtStart: 0.5,
  loadAtEnd: 0.5,
  ...fields,
});

/** The claims table's data lines (header and rule left out). */
function claimLines(markdown: string): string[] {
  const section = markdown.split('\n## Current claims')[1].split('\n## ')[0];
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark |'));
}

describe('renderBenchmarks', () => {
  const rows = [
    row({ seconds: 0.016 }),
    // Newer but under load: the quiet row above stays the claim.
    row({ seconds: 0.03, date: '2026-12-02', loadAtStart: 3.2 }),
    row({
      benchmark: 'text-vsm-bm25-build',
      workload: 'index build',
      command: 'pnpm bench text-vsm-bm25',
      seconds: 0.68,
      peerSeconds: 1.41,
    }),
    row({ benchmark: 'embeddings-word2vec', command: 'pnpm bench embeddings-word2vec', loadAtStart: 1.38 }),
  ];
  const lines = claimLines(
    renderBenchmarks(rows, ['cli-help', 'embeddings-word2vec', 'matmul', 'text-vsm-bm25']),
  );

  it('has a row for every benchmark file, with its command, date and load', () => {
    expect(lines.map((l) => l.split(' | ')[0].slice(2))).toEqual([
      'cli-help',
      'embeddings-word2vec',
      'matmul',
      'text-vsm-bm25-build',
    ]);
    expect(lines[0]).toBe(
      '| cli-help | not measured on a quiet machine yet | – | – | – | **–** | – | not yet | `pnpm bench cli-help` |',
    );
    for (const line of lines.slice(1))
      expect(line).toMatch(/ \| 2026-12-0\d, load \d\.\d\d( \(NOT quiet\))? \| `pnpm bench [\w-]+` \|$/);
  });

  it('claims the latest quiet row, and marks a benchmark only ever run under load', () => {
    expect(lines[2]).toContain('| 16.00 ms | tfjs cpu backend | 500.00 ms | **31.25×** |');
    expect(lines[2]).toContain('2026-12-01, load 0.50 |');
    expect(lines[1]).toContain('load 1.38 (NOT quiet)');
    expect(lines[3]).toContain('**2.07×**');
  });

  it('drops a loaded row of a differently worded workload once the benchmark has a quiet row', () => {
    const withOld = [
      row({ workload: 'matMul 512×512 float32, old wording', seconds: 0.02, loadAtStart: 2.5 }),
      row({ seconds: 0.016 }),
    ];
    const claims = claimLines(renderBenchmarks(withOld, ['matmul']));
    expect(claims).toHaveLength(1);
    expect(claims[0]).toContain('| 16.00 ms |');
    expect(renderBenchmarks(withOld, ['matmul'])).toContain('old wording');
  });

  it('keeps every row in the history, oldest first', () => {
    const history = renderBenchmarks(rows, []).split('\n## History')[1].split('\n## ')[0];
    expect(history.split('\n').filter((l) => l.startsWith('| 2026-'))).toHaveLength(4);
  });

  it('lists the benchmark files `pnpm bench` runs', () => {
    const names = benchmarkNames();
    expect(names).toContain('cli-help');
    expect(names).toEqual([...names].sort());
  });
});
