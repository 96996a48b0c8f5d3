import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@wordloom/core';
import { CHAPTER_FIGURES } from '@wordloom/viz';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';
import { FIGURE_IDS } from './plot.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pngSize = (file: string) => {
  const png = readFileSync(file);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
};

describe('wordloom plot figure', () => {
  it('knows exactly the figures @wordloom/viz draws', () => {
    expect([...FIGURE_IDS]).toEqual([...CHAPTER_FIGURES]);
  });

  it("draws Fig 4-2's four tf transforms as SVG", () => {
    const out = join(dir, 'f42.svg');
    const { code, stdout } = runCli(['plot', 'figure', '4-2', '--out', out, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      figure: '4-2',
      out,
      width: 640,
      height: 480,
      fontSize: 12,
      dpi: 96,
      scale: 1,
    });
    const svg = readFileSync(out, 'utf8');
    for (const name of ['raw: n', 'sqrt(n)', 'log(1 + n)', 'BM25: (k+1)n/(k+n), k = 1.2'])
      expect(svg).toContain(`>${name}</text>`);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
  });

  it('draws Fig 4-9 as a PNG of the requested size, font size and dpi', () => {
    const out = join(dir, 'f49.png');
    const args = ['plot', 'figure', '4-9', '--out', out, '--width', '400', '--height', '300'];
    const { code, stdout } = runCli([...args, '--dpi', '192', '--font-size', '14']);
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote Fig 4-9 to ${out} (800×600)`);
    expect(pngSize(out)).toEqual([800, 600]);
    expect(runCli([...args, '--scale', '2']).code).toBe(0);
    expect(pngSize(out)).toEqual([800, 600]);
  });

  it('fails fast, before any work, on a PNG over the pixel cap, saying the limit', () => {
    const out = join(dir, 'huge.png');
    const started = performance.now();
    const { code, stderr } = runCli([
      'plot',
      'figure',
      '4-4',
      '--width',
      '16384',
      '--height',
      '16384',
      '--scale',
      '16',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      '--scale: a 16384 × 16384 figure at --dpi 96 and --scale 16 would be a 262144 × 262144 PNG = 68,719,476,736 pixels, over the limit of 67,108,864 pixels',
    );
    expect(existsSync(out)).toBe(false);
    // Fig 4-4 would train a network first: failing in seconds shows the check ran before it.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('names the flag of a bad value and the figures it knows', () => {
    const bad = runCli(['plot', 'figure', '4-7', '--out', join(dir, 'x.svg')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('<id>: unknown value "4-7" (expected one of 4-2, 4-4, 4-6, 4-8, 4-9, 4-10)');
    const font = runCli(['plot', 'figure', '4-2', '--font-size', 'abc', '--out', join(dir, 'x.svg')]);
    expect(font.stderr).toContain('--font-size: not a number: "abc"');
    const ext = runCli(['plot', 'figure', '4-2', '--out', join(dir, 'x.jpg')]);
    expect(ext.stderr).toContain('--out: ');
    const folder = runCli(['plot', 'figure', '4-2', '--out', join(dir, 'missing', 'x.svg')]);
    expect(folder.stderr).toMatch(/--out: cannot write .*no such file or directory/);
    const vectors = runCli(['plot', 'figure', '4-2', '--vectors', 'v.txt', '--out', join(dir, 'x.svg')]);
    expect(vectors.stderr).toContain('--vectors: only Fig 4-10 reads vectors, not Fig 4-2');
  });

  it('draws Fig 4-8 from the SVD of the three sentences of Listing 4-1c', () => {
    const out = join(dir, 'f48.svg');
    const { code } = runCli(['plot', 'figure', '4-8', '--out', out]);
    expect(code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    for (const word of ['I', 'like', 'Machine', 'Learning', 'TensorFlow', 'prefer', 'Python'])
      expect(svg).toContain(`>${word}</text>`);
  });

  it('draws Fig 4-10 from a vector file, and says which of the four words a file lacks', () => {
    const rng = new Random(3);
    const words = [
      'the',
      'king',
      'of',
      'queen',
      'and',
      'man',
      'to',
      'woman',
      ...Array.from({ length: 30 }, (_, i) => `w${i}`),
    ];
    const line = (w: string) => `${w} ${Array.from({ length: 8 }, () => rng.normal().toFixed(4)).join(' ')}`;
    const file = join(dir, 'glove.txt');
    writeFileSync(file, `${words.map(line).join('\n')}\n`);
    const out = join(dir, 'f410.svg');
    const { code, stdout } = runCli([
      'plot',
      'figure',
      '4-10',
      '--vectors',
      file,
      '--iterations',
      '300',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).words).toBe(words.length);
    const svg = readFileSync(out, 'utf8');
    for (const w of ['king', 'queen', 'man', 'woman'])
      expect(svg).toMatch(new RegExp(`font-weight="bold"[^>]*>${w}</text>`));
    writeFileSync(
      file,
      `${words
        .filter((w) => w !== 'woman')
        .map(line)
        .join('\n')}\n`,
    );
    const missing = runCli(['plot', 'figure', '4-10', '--vectors', file, '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--vectors: has no vector for woman');
  });

  it("trains the chapter's skip-gram network for Fig 4-6 and maps its words", () => {
    const out = join(dir, 'f46.svg');
    const { code, stdout } = runCli([
      'plot',
      'figure',
      '4-6',
      '--epochs',
      '1',
      '--iterations',
      '60',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.source).toMatch(/words, 1 epochs .* t-SNE exact KL/);
    expect(result.words).toBeGreaterThan(100);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('>deep</text>');
  }, 120_000);
});
