import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wordloom plot figure', () => {
  it("draws Fig 4-2's four tf transforms as SVG", () => {
    const out = join(dir, 'f42.svg');
    const { code, stdout } = runCli(['plot', 'figure', '4-2', '--out', out, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ figure: '4-2', out, width: 640, height: 480, scale: 1 });
    const svg = readFileSync(out, 'utf8');
    for (const name of ['raw: n', 'sqrt(n)', 'log(1 + n)', 'BM25: (k+1)n/(k+n), k = 1.2'])
      expect(svg).toContain(`>${name}</text>`);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
  });

  it('draws Fig 4-9 as a PNG of the requested size', () => {
    const out = join(dir, 'f49.png');
    const { code, stdout } = runCli([
      'plot',
      'figure',
      '4-9',
      '--out',
      out,
      '--width',
      '400',
      '--height',
      '300',
      '--scale',
      '2',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote Fig 4-9 to ${out}`);
    const png = readFileSync(out);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 600]);
  });

  it('names the figures it knows when asked for another', () => {
    const { code, stderr } = runCli(['plot', 'figure', '4-7', '--out', join(dir, 'x.svg')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/must be one of 4-2, 4-9, got "4-7"/);
  });
});
