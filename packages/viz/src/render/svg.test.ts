import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { Figure } from '../plots/figure.js';
import { parseXml } from '../test-support/parse-xml.js';
import { escapeXml, renderSvg } from './svg.js';

describe('renderSvg', () => {
  const figure: Figure = {
    width: 200,
    height: 100,
    background: '#fff',
    shapes: [
      {
        type: 'text',
        x: 10,
        y: 20,
        text: 'a < b & "c"',
        fontSize: 12,
        fill: '#000',
        anchor: 'start',
        baseline: 'alphabetic',
        rotate: -90,
      },
      {
        type: 'clip',
        x: 0,
        y: 0,
        width: 50,
        height: 50,
        shapes: [{ type: 'circle', cx: 1.234, cy: 2, r: 3, fill: 'red', opacity: 0.5 }],
      },
    ],
  };

  it('is a well-formed SVG document sized like the figure, readable by a real SVG parser', () => {
    const svg = renderSvg(figure);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes).toMatchObject({
      width: '200',
      height: '100',
      xmlns: 'http://www.w3.org/2000/svg',
    });
    const resvg = new Resvg(svg);
    expect([resvg.width, resvg.height]).toEqual([200, 100]);
  });

  it('escapes XML specials and strips characters XML forbids', () => {
    expect(escapeXml('<a href="x">&\'\u0001')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(renderSvg(figure)).toContain('>a &lt; b &amp; &quot;c&quot;</text>');
  });
});
