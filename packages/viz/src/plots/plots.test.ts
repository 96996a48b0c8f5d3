import { describe, expect, it } from 'vitest';
import { renderSvg } from '../render/svg.js';
import { fixtureWordMap, SVD_FIXTURE } from '../test-support/figure-fixtures.js';
import { allElements, parseXml } from '../test-support/parse-xml.js';
import { chapterFigure } from './chapter-figures.js';
import { linePlot } from './line-plot.js';
import { scatterPlot } from './scatter-plot.js';

const texts = (svg: string) =>
  allElements(parseXml(svg))
    .filter((e) => e.name === 'text')
    .map((e) => e.text);

describe('scatterPlot', () => {
  it('draws every point and every label (escaped) inside the plot area, with a class legend', () => {
    const words = ['king', 'queen', 'man', 'woman', '<b>&"odd"\'s'];
    const figure = scatterPlot({
      points: [
        [0, 0],
        [1, 0.2],
        [-3, 2],
        [-2.5, 2.4],
        [4, -1],
      ],
      labels: words,
      classes: [1, 1, 0, 0, 2],
      title: 'GloVe analogies',
    });
    const svg = renderSvg(figure);
    const all = texts(svg);
    for (const w of words) expect(all).toContain(w);
    expect(all).toContain('GloVe analogies');
    // legend lists classes in numeric order
    expect(all.filter((t) => ['0', '1', '2'].includes(t))).toEqual(expect.arrayContaining(['0', '1', '2']));
    const circles = allElements(parseXml(svg)).filter((e) => e.name === 'circle');
    expect(circles.length).toBe(5 + 3);
    const clip = allElements(parseXml(svg)).find((e) => e.name === 'clipPath')!.children[0].attributes;
    for (const c of circles.slice(0, 5)) {
      expect(Number(c.attributes.cx)).toBeGreaterThanOrEqual(Number(clip.x));
      expect(Number(c.attributes.cx)).toBeLessThanOrEqual(Number(clip.x) + Number(clip.width));
    }
  });

  it('rejects labels that do not match the points', () => {
    expect(() => scatterPlot({ points: [[0, 0]], labels: ['a', 'b'] })).toThrow(
      /'labels' passed to 'scatterPlot'/,
    );
  });
});

describe('linePlot', () => {
  it('draws one polyline per series, a legend entry each, ticks and axis labels', () => {
    const svg = renderSvg(
      linePlot({
        series: [
          { name: 'train', y: [2.3, 1.1, 0.7, 0.5] },
          { name: 'test', y: [2.4, 1.3, 0.9, 0.8], dash: [6, 4] },
        ],
        xLabel: 'epoch',
        yLabel: 'loss',
      }),
    );
    const root = parseXml(svg);
    const lines = allElements(root).filter((e) => e.name === 'polyline');
    expect(lines).toHaveLength(2);
    expect(lines[0].attributes.points.split(' ')).toHaveLength(4);
    expect(lines[1].attributes['stroke-dasharray']).toBe('6,4');
    const all = texts(svg);
    for (const t of ['train', 'test', 'epoch', 'loss', '0.0', '0.5', '3.0']) expect(all).toContain(t);
  });

  it('breaks the line at non-finite values instead of drawing NaN', () => {
    const svg = renderSvg(linePlot({ series: [{ name: 's', y: [1, 2, Number.NaN, 3, 4] }] }));
    expect(svg).not.toContain('NaN');
    expect(allElements(parseXml(svg)).filter((e) => e.name === 'polyline')).toHaveLength(2);
  });
});

describe('chapter figures', () => {
  it('Fig 4-2 has the four tf transforms with BM25 k = 1.2 saturating at k + 1', () => {
    const figure = chapterFigure('4-2');
    const all = texts(renderSvg(figure));
    for (const name of ['raw: n', 'sqrt(n)', 'log(1 + n)', 'BM25: (k+1)n/(k+n), k = 1.2'])
      expect(all).toContain(name);
  });

  it('Fig 4-9 draws h(x) = (x/100)^0.75, reaching 1 at x_max', () => {
    const figure = chapterFigure('4-9');
    const svg = renderSvg(figure);
    expect(texts(svg)).toContain('h(x) = (x / 100)^0.75, 1 beyond 100');
    expect(() => chapterFigure('4-3')).toThrow(
      /'id' passed to 'chapterFigure' must be one of '4-2', '4-4', '4-6', '4-8', '4-9', '4-10'/,
    );
  });

  it('the word maps need their data, the formula figures refuse it', () => {
    expect(() => chapterFigure('4-4')).toThrow(
      /'data' passed to 'chapterFigure' must be the points and labels of Fig 4-4/,
    );
    expect(() => chapterFigure('4-2', { data: SVD_FIXTURE })).toThrow(/'data' .* must be absent/);
  });

  it('Fig 4-10 labels king, queen, man and woman in bold and joins man → king, woman → queen', () => {
    const figure = chapterFigure('4-10', { data: fixtureWordMap(5) });
    const clip = figure.shapes.find((s) => s.type === 'clip');
    if (clip?.type !== 'clip') throw new Error('no plot area');
    const bold = clip.shapes
      .filter((s) => s.type === 'text' && s.bold)
      .map((s) => (s.type === 'text' ? s.text : ''));
    expect(bold.sort()).toEqual(['king', 'man', 'queen', 'woman']);
    expect(clip.shapes.filter((s) => s.type === 'line' && s.dash)).toHaveLength(2);
    expect(() =>
      chapterFigure('4-10', {
        data: {
          points: [
            [0, 0],
            [1, 1],
          ],
          labels: ['a', 'b'],
        },
      }),
    ).toThrow(/'data.labels' passed to 'gloveAnalogyFigure' must be to include 'king'/);
  });
});
