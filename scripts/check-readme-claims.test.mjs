import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBenchmarks } from '../bench/src/harness.ts';
import { checkReadme, figuresIn, parseClaims } from './check-readme-claims.mjs';

const ROOT = '/repo';
const options = { root: ROOT, benchmarksFile: join(ROOT, 'BENCHMARKS.md') };
const row = (fields) => ({
  workload: 'matMul 512×512 float32, median',
  note: '16.5 GFLOP/s on wasm',
  seconds: 0.01627,
  peer: 'tfjs cpu backend',
  peerSeconds: 0.58282,
  backend: 'wasm (1 thread, SIMD)',
  benchmark: 'matmul',
  date: '2026-12-01',
  machine: 'test machine',
  command: 'pnpm bench matmul',
  loadAtStart: 0.51,
  loadAtEnd: 0.55,
  ...fields,
});
// The table as the harness renders it: matmul measured, rnn-lm never run.
const claims = parseClaims(renderBenchmarks([row({})], ['matmul', 'rnn-lm']));
const check = (file, text) => checkReadme(join(ROOT, file), text, claims, options);
const messages = (file, text) => check(file, text).problems.map((p) => p.message);

describe('check-readme-claims', () => {
  it("reads the harness's claims table, one entry per benchmark, the unmeasured one included", () => {
    expect([...claims.keys()]).toEqual(['matmul', 'rnn-lm']);
    expect(claims.get('matmul')[0]).toContain('16.27 ms');
    expect(claims.get('matmul')[0]).toContain('35.82×');
    expect(claims.get('rnn-lm')[0]).toContain('not measured on a quiet machine yet');
  });

  it('accepts a figure quoted from its row, from the root README and from a package README', () => {
    expect(messages('README.md', 'It runs [16.27 ms](BENCHMARKS.md#current-claims "matmul").')).toEqual([]);
    const result = check(
      'packages/backend/README.md',
      'About [16.5 GFLOP/s](../../BENCHMARKS.md#current-claims "matmul"),\n[35.82×](../../BENCHMARKS.md "matmul") the cpu backend (`pnpm bench matmul`).',
    );
    expect(result.problems).toEqual([]);
    expect(result.quotes.map((q) => [q.line, q.figure, q.ok])).toEqual([
      [1, '16.5 GFLOP/s', true],
      [2, '35.82×', true],
    ]);
  });

  it('names the README, line and figure of a quote its row does not hold, with what the row says now', () => {
    expect(
      messages(
        'packages/backend/README.md',
        'Intro.\n\nSo:\n[17 GFLOP/s](../../BENCHMARKS.md "matmul") on wasm.',
      ),
    ).toEqual([
      'packages/backend/README.md:4: "17 GFLOP/s" is not in the claims table\'s row for "matmul" (it says now: 16.5 GFLOP/s, 16.27 ms, 582.82 ms, 35.82×)',
    ]);
    // A figure must match whole: 6.27 ms is not 16.27 ms.
    expect(messages('README.md', '[6.27 ms](BENCHMARKS.md "matmul")')).toHaveLength(1);
  });

  it('refuses a quote without a benchmark, of an unknown or unmeasured benchmark, or linked elsewhere', () => {
    expect(messages('README.md', '[16.27 ms](BENCHMARKS.md)')[0]).toMatch(
      /^README\.md:1: \[16\.27 ms\]\(BENCHMARKS\.md\) names no benchmark: add its row's name as the link title/,
    );
    expect(messages('README.md', '[16.27 ms](BENCHMARKS.md "matmul-2")')[0]).toMatch(
      /"matmul-2" has no row in the claims table of BENCHMARKS\.md \(rows: matmul, rnn-lm\)/,
    );
    expect(messages('README.md', 'Perplexity [82.6](BENCHMARKS.md "rnn-lm").')).toEqual([
      'README.md:1: "82.6": "rnn-lm" has not been measured on a quiet machine yet (run its command, then quote its row)',
    ]);
    expect(messages('packages/rnn/README.md', '[16.27 ms](BENCHMARKS.md "matmul")')[0]).toMatch(
      /links to BENCHMARKS\.md, not to the repository's BENCHMARKS\.md/,
    );
  });

  it('flags an unquoted figure in a sentence that names a benchmark or a measurement', () => {
    const text = [
      '# Speed',
      '',
      'The kernels are fast. `pnpm bench matmul` times a 512×512 matmul at 17–33 GFLOP/s,',
      'about 37× the cpu backend.',
      '',
      '- it measured 63 s vs 278 s per epoch (4.4x)',
      '- with a held-out perplexity of 82.6 in the `rnn-lm` run',
    ].join('\n');
    expect(check('packages/x/README.md', text).problems.map((p) => [p.line, p.figure])).toEqual([
      [3, '17–33 GFLOP/s'],
      [4, '37×'],
      [6, '63 s'],
      [6, '278 s'],
      [6, '4.4x'],
      [7, '82.6'],
    ]);
    expect(messages('README.md', 'It was measured at 2 s.')[0]).toMatch(
      /^README\.md:1: "2 s" is a measured figure that is not quoted from BENCHMARKS\.md's claims table/,
    );
  });

  it('leaves alone figures that are not claims: code, flags, dimensions and sentences naming no benchmark', () => {
    const text = [
      'Training yields to the event loop every 50 ms; a 200 MB file stays under 100 MB resident.',
      '',
      '```sh',
      'pnpm bench matmul   # prints 16 ms',
      '```',
      '',
      'Measured on 100,000 × 300 vectors and 28×28 images with `--lr 0.5` and `--timeout 3s`.',
    ].join('\n');
    expect(messages('README.md', text)).toEqual([]);
  });

  it('finds times, ratios, rates, sizes and percentages, not dimensions or hex', () => {
    expect(
      figuresIn(
        '1.41 s, 296.3 µs, 2.06×, 4x, 16.5 GFLOP/s, 82 MiB, 96.17%, 4 min, 512×512, 0x10, 2 steps',
      ).map((f) => f.figure),
    ).toEqual(['1.41 s', '296.3 µs', '2.06×', '4x', '16.5 GFLOP/s', '82 MiB', '96.17%', '4 min']);
  });
});
