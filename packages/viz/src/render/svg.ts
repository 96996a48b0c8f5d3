import type { Figure, Shape } from '../plots/figure.js';

/** Options of {@link renderSvg}. */
export interface SvgOptions {
  /** CSS font family of all text. @default 'DejaVu Sans, Helvetica, Arial, sans-serif' */
  fontFamily?: string;
}

/**
 * Serialises a {@link Figure} as a standalone SVG 1.1 document (UTF-8, every text escaped), for Node and the
 * browser alike.
 */
export function renderSvg(figure: Figure, options: SvgOptions = {}): string {
  const font = options.fontFamily ?? 'DejaVu Sans, Helvetica, Arial, sans-serif';
  const out: string[] = [];
  const state = { clips: 0 };
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${figure.width}" height="${figure.height}" ` +
      `viewBox="0 0 ${figure.width} ${figure.height}" font-family="${escapeXml(font)}">`,
  );
  out.push(
    `<rect x="0" y="0" width="${figure.width}" height="${figure.height}" fill="${escapeXml(figure.background)}"/>`,
  );
  for (const shape of figure.shapes) writeShape(shape, out, state);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function writeShape(shape: Shape, out: string[], state: { clips: number }): void {
  switch (shape.type) {
    case 'line':
      out.push(
        `<line x1="${f(shape.x1)}" y1="${f(shape.y1)}" x2="${f(shape.x2)}" y2="${f(shape.y2)}" stroke="${escapeXml(shape.stroke)}" stroke-width="${f(shape.strokeWidth)}"${dash(shape.dash)}/>`,
      );
      return;
    case 'polyline':
      out.push(
        `<polyline points="${pairs(shape.points)}" fill="none" stroke="${escapeXml(shape.stroke)}" stroke-width="${f(shape.strokeWidth)}" stroke-linejoin="round"${dash(shape.dash)}/>`,
      );
      return;
    case 'circle':
      out.push(
        `<circle cx="${f(shape.cx)}" cy="${f(shape.cy)}" r="${f(shape.r)}" fill="${escapeXml(shape.fill)}"${shape.opacity < 1 ? ` fill-opacity="${f(shape.opacity)}"` : ''}/>`,
      );
      return;
    case 'rect':
      out.push(
        `<rect x="${f(shape.x)}" y="${f(shape.y)}" width="${f(shape.width)}" height="${f(shape.height)}" fill="${shape.fill ? escapeXml(shape.fill) : 'none'}"${
          shape.stroke
            ? ` stroke="${escapeXml(shape.stroke)}" stroke-width="${f(shape.strokeWidth ?? 1)}"`
            : ''
        }/>`,
      );
      return;
    case 'text': {
      const baseline = shape.baseline === 'middle' ? ' dominant-baseline="central"' : '';
      const rotate = shape.rotate
        ? ` transform="rotate(${f(shape.rotate)} ${f(shape.x)} ${f(shape.y)})"`
        : '';
      out.push(
        `<text x="${f(shape.x)}" y="${f(shape.y)}" font-size="${f(shape.fontSize)}" fill="${escapeXml(shape.fill)}" text-anchor="${shape.anchor}"${baseline}${
          shape.bold ? ' font-weight="bold"' : ''
        }${rotate}>${escapeXml(shape.text)}</text>`,
      );
      return;
    }
    case 'clip': {
      const id = `clip${state.clips++}`;
      out.push(
        `<clipPath id="${id}"><rect x="${f(shape.x)}" y="${f(shape.y)}" width="${f(shape.width)}" height="${f(shape.height)}"/></clipPath>`,
      );
      out.push(`<g clip-path="url(#${id})">`);
      for (const inner of shape.shapes) writeShape(inner, out, state);
      out.push('</g>');
      return;
    }
  }
}

/** Escapes the five XML special characters and drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function f(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, '');
}

function pairs(points: number[]): string {
  const out: string[] = [];
  for (let k = 0; k + 1 < points.length; k += 2) out.push(`${f(points[k])},${f(points[k + 1])}`);
  return out.join(' ');
}

function dash(pattern: number[] | undefined): string {
  return pattern && pattern.length > 0 ? ` stroke-dasharray="${pattern.map(f).join(',')}"` : '';
}
