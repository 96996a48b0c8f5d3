import { describe, expect, it } from 'vitest';
import { dataUri, escapeHtml, table } from './html.js';

describe('report HTML helpers', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'q'`)).toBe(
      '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;q&#39;',
    );
  });

  it('builds tables whose cells are text, never markup', () => {
    expect(table(['a<b'], [['<img src=x onerror=1>', 2]])).toBe(
      '<table><thead><tr><th>a&#60;b</th></tr></thead><tbody>\n<tr><td>&#60;img src=x onerror=1&#62;</td><td>2</td></tr>\n</tbody></table>',
    );
  });

  it('encodes bytes as a base64 data URI', () => {
    expect(dataUri(new Uint8Array([104, 105]), 'text/plain')).toBe('data:text/plain;base64,aGk=');
  });
});
