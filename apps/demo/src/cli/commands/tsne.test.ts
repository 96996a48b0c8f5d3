import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-tsne-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('wordloom tsne', () => {
  it('maps the first n MNIST images to a PNG and JSON coordinates, printing n, seconds, kl, trustworthiness10', () => {
    const out = join(dir, 'mnist.png');
    const coords = join(dir, 'mnist.json');
    const { code, stdout, stderr } = runCli([
      'tsne',
      '--input',
      'mnist',
      '--n',
      '300',
      '--pca',
      '30',
      '--iterations',
      '400',
      '--neighbors',
      'approximate',
      '--threads',
      '2',
      '--out',
      out,
      '--coords',
      coords,
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.n).toBe(300);
    expect(report.neighbors).toBe('approximate');
    expect(report.threads).toBe(2);
    expect(report.trustworthinessSample).toBeNull();
    expect(report.seconds).toBeGreaterThan(0);
    expect(report.kl).toBeGreaterThan(0);
    expect(report.kl).toBeLessThan(3);
    expect(report.trustworthiness10).toBeGreaterThan(0.9);
    expect(pngSize(readFileSync(out))).toEqual([800, 800]);
    const saved = JSON.parse(readFileSync(coords, 'utf8'));
    expect(saved.coordinates).toHaveLength(300);
    expect(saved.classes).toHaveLength(300);
    expect(saved.classes.slice(0, 5)).toEqual([5, 0, 4, 1, 9]); // the first MNIST training labels
  });

  it('labels every word of a GloVe text file in the SVG', () => {
    const words: string[] = [];
    const lines: string[] = [];
    for (let g = 0; g < 3; g++) {
      for (let k = 0; k < 8; k++) {
        const word = `w${g}_${k}`;
        words.push(word);
        const v = Array.from({ length: 6 }, (_, a) => (a === g ? 10 : 0) + Math.sin(7 * k + a));
        lines.push(`${word} ${v.map((x) => x.toFixed(4)).join(' ')}`);
      }
    }
    const file = join(dir, 'tiny.glove.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = join(dir, 'words.svg');
    const { code, stdout, stderr } = runCli(
      ['tsne', '--input', file, '--perplexity', '5', '--iterations', '300', '--out', out, '--json'],
      { WORDLOOM_BACKEND: 'cpu' },
    );
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).n).toBe(24);
    const svg = readFileSync(out, 'utf8');
    for (const word of words) expect(svg).toContain(`>${word}</text>`);
  });

  it('refuses a bad --out extension and perplexity ≥ n before any work, in one line', () => {
    const bad = runCli(['tsne', '--input', 'mnist', '--out', join(dir, 'x.jpg')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      `wordloom: --out: ${JSON.stringify(join(dir, 'x.jpg'))} does not end in .svg or .png`,
    );
    const tooFew = runCli(['tsne', '--input', 'mnist', '--n', '20', '--out', join(dir, 'y.svg')]);
    expect(tooFew.code).toBe(1);
    expect(tooFew.stderr).toContain('--perplexity: 30 is not less than the number of points (20)');
    const huge = runCli([
      'tsne',
      '--input',
      'mnist',
      '--width',
      '16384',
      '--height',
      '16384',
      '--scale',
      '16',
      '--out',
      join(dir, 'z.png'),
    ]);
    expect(huge.stderr).toContain(
      '--scale: a 16384 × 16384 plot at --dpi 96 and --scale 16 is over the limit of 67,108,864 PNG pixels',
    );
    const words = runCli(['tsne', '--input', 'mnist', '--words', 'w.txt', '--out', join(dir, 'y.svg')]);
    expect(words.stderr).toContain("--words: selects words of a vector file; --input is 'mnist'");
    const metric = runCli(['tsne', '--input', 'mnist', '--metric', 'manhattan', '--out', join(dir, 'y.svg')]);
    expect(metric.stderr).toContain(
      '--metric: unknown value "manhattan" (expected one of euclidean, cosine)',
    );
    const threads = runCli(['tsne', '--input', 'mnist', '--threads', '0', '--out', join(dir, 'y.svg')]);
    expect(threads.stderr).toContain('--threads: 0 is out of range');
  });

  it('maps only the words of a --words list, says which are missing, and --seed takes effect', () => {
    const lines: string[] = [];
    for (let g = 0; g < 3; g++)
      for (let k = 0; k < 8; k++) {
        const v = Array.from({ length: 6 }, (_, a) => (a === g ? 10 : 0) + Math.sin(7 * k + a) + 0.1);
        lines.push(`w${g}_${k} ${v.map((x) => x.toFixed(4)).join(' ')}`);
      }
    const file = join(dir, 'list.glove.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const list = join(dir, 'words.txt');
    const chosen = ['w0_1', 'w0_2', 'w0_3', 'w1_1', 'w1_2', 'w1_3', 'w2_1', 'w2_2', 'w2_3', 'w2_4'];
    writeFileSync(list, `${chosen.join('\n')}\nnot_a_word w0_1\n`);
    const out = join(dir, 'list.svg');
    const coords = join(dir, 'list.json');
    const run = (seed: string) => {
      const args = ['tsne', '--input', file, '--words', list, '--perplexity', '3', '--iterations', '300'];
      const result = runCli([...args, '--seed', seed, '--out', out, '--coords', coords, '--json'], {
        WORDLOOM_BACKEND: 'cpu',
      });
      expect(result.code, result.stderr).toBe(0);
      return { report: JSON.parse(result.stdout), saved: JSON.parse(readFileSync(coords, 'utf8')) };
    };
    const a = run('5');
    expect(a.report.n).toBe(chosen.length);
    expect(a.report.missing).toEqual(['not_a_word']);
    expect(a.report.metric).toBe('cosine');
    expect(a.report.init).toBe('random');
    expect(a.saved.labels).toEqual(chosen);
    const svg = readFileSync(out, 'utf8');
    for (const w of chosen) expect(svg).toContain(`>${w}</text>`);
    expect(svg).not.toContain('>w0_5</text>');
    expect(run('5').saved.coordinates).toEqual(a.saved.coordinates);
    expect(run('6').saved.coordinates).not.toEqual(a.saved.coordinates);
  });
});
