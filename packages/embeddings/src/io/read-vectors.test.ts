import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { VectorFileError } from '../errors/vector-file-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { readVectors } from './read-vectors.js';
import { encodeVectors } from './write-vectors.js';

const words = ['the', 'king', 'queen', 'naïve'];
const kv = new KeyedVectors(
  words,
  Float32Array.from([0.1, -2.5, 3e-7, 1, 0, -0, 123.456, 0.333333, -1e10, 7, 0.5, -0.25]),
  3,
);

function bytes(format: 'word2vec-bin' | 'word2vec-txt' | 'glove'): Uint8Array {
  const parts = [...encodeVectors(kv, format, 8)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Splits bytes into tiny chunks so that every record straddles chunk boundaries. */
function chunks(b: Uint8Array, size = 3): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.slice(i, i + size));
  return out;
}

const text = (s: string) => [new TextEncoder().encode(s)];

async function rejection(p: Promise<unknown>): Promise<VectorFileError> {
  try {
    await p;
  } catch (e) {
    if (VectorFileError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a VectorFileError');
}

describe('readVectors / encodeVectors', () => {
  for (const format of ['word2vec-bin', 'word2vec-txt', 'glove'] as const) {
    it(`round-trips ${format} exactly, auto-detected, through 3-byte chunks`, async () => {
      const back = await readVectors(chunks(bytes(format)));
      expect(back.words).toEqual(words);
      expect(back.dim).toBe(3);
      expect(Array.from(back.vectors)).toEqual(Array.from(kv.vectors));
      const explicit = await readVectors([bytes(format)], { format });
      expect(Array.from(explicit.vectors)).toEqual(Array.from(kv.vectors));
    });

    it(`reads only the first vectors of ${format} with limit, and stops pulling the stream`, async () => {
      let pulled = 0;
      const big = new KeyedVectors(
        Array.from({ length: 300 }, (_, i) => `w${i}`),
        Float32Array.from({ length: 900 }, (_, i) => i / 7),
        3,
      );
      const all = [...encodeVectors(big, format, 16)];
      async function* source() {
        for (const c of all) {
          pulled++;
          yield c;
        }
      }
      const two = await readVectors(source(), { limit: 2 });
      expect(two.words).toEqual(['w0', 'w1']);
      expect(Array.from(two.vectors)).toEqual(Array.from(big.vectors.subarray(0, 6)));
      expect(pulled).toBeLessThan(all.length);
    });
  }

  it('writes the word2vec text layout gensim writes', () => {
    const t = new TextDecoder().decode(bytes('word2vec-txt'));
    expect(t.split('\n').slice(0, 2)).toEqual(['4 3', 'the 0.1 -2.5 3e-7']);
  });

  it('reads word2vec.c binaries with a newline after each vector and gensim ones without', async () => {
    const header = new TextEncoder().encode('2 2\n');
    const rec = (w: string, a: number, b: number, nl: boolean) => {
      const wb = new TextEncoder().encode(`${w} `);
      const out = new Uint8Array(wb.length + 8 + (nl ? 1 : 0));
      out.set(wb);
      new DataView(out.buffer).setFloat32(wb.length, a, true);
      new DataView(out.buffer).setFloat32(wb.length + 4, b, true);
      if (nl) out[out.length - 1] = 10;
      return out;
    };
    for (const nl of [true, false]) {
      const kv2 = await readVectors([header, rec('x', 1.5, -2, nl), rec('y', 0.25, 4, nl)]);
      expect(kv2.words).toEqual(['x', 'y']);
      expect(Array.from(kv2.vectors)).toEqual([1.5, -2, 0.25, 4]);
    }
  });

  it('rejects a truncated binary file with the record line', async () => {
    const b = bytes('word2vec-bin');
    const e = await rejection(readVectors([b.subarray(0, b.length - 5)]));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/<input>:5: truncated vector for "naïve": expected 12 bytes/);
  });

  it('rejects a binary file whose header has the wrong dimension', async () => {
    const b = bytes('word2vec-bin');
    const wrong = new Uint8Array([...new TextEncoder().encode('4 2\n'), ...b.subarray(4)]);
    const e = await rejection(readVectors([wrong], { format: 'word2vec-bin', source: 'v.bin' }));
    expect(e.message).toMatch(/^v\.bin:3: .*the header's dimension 2 is wrong/);
  });

  it('rejects text files with a wrong number of values, naming line and counts', async () => {
    const e = await rejection(readVectors(text('2 3\na 1 2 3\nb 1 2\n'), { source: 'v.txt' }));
    expect(e.line).toBe(3);
    expect(e.message).toBe('v.txt:3: expected 3 values after the word, got 2');
    const g = await rejection(readVectors(text('a 1 2 3\nb 1 2 3\nc 1 2 3 4\n')));
    expect(g.message).toBe('<input>:3: expected 3 values after the word, got 4');
  });

  it('rejects non-numeric values with the line number', async () => {
    const e = await rejection(readVectors(text('2 2\na 1 2\nb 1 x2\n')));
    expect(e.message).toBe('<input>:3: value 2 of "b" is not a finite number: "x2"');
    const g = await rejection(readVectors(text('a 1 NaN\n'), { format: 'glove' }));
    expect(g.line).toBe(1);
  });

  it('rejects text files with fewer vectors than the header says', async () => {
    const e = await rejection(readVectors(text('3 2\na 1 2\nb 1 2\n')));
    expect(e.message).toBe('<input>:4: file ends after 2 of 3 vectors');
  });

  it('rejects an empty file and a missing header when one is required', async () => {
    await expect(readVectors(text(''), { format: 'glove' })).rejects.toThrow(/no vectors found/);
    await expect(readVectors(text('a 1 2\n'), { format: 'word2vec-txt' })).rejects.toThrow(
      /:1: expected a header "N D"/,
    );
    await expect(readVectors(text(''), { format: 'binary' as never })).rejects.toThrow(/'format'/);
  });
});

describe('values parsed from the bytes equal Number() rounded to float32', () => {
  it('for every decimal form, digit count and exponent (the fast path and the string path agree)', async () => {
    const rng = new Random(2026);
    const digits = (n: number) => Array.from({ length: n }, () => rng.int(10)).join('');
    const tokens: string[] = [
      '0',
      '-0',
      '+0',
      '5.',
      '.5',
      '-.5',
      '+.25',
      '0.0',
      '1e5',
      '1E-5',
      '1e+5',
      '-1.5e-3',
      '7e22',
      '7e-22',
      '1e23',
      '1e-23',
      '123456789012345',
      '1234567890123456',
      '0.000000000000000000001',
      '3.4028235e38',
      '1e-45',
      '1.401298464324817e-45',
      '00012.5000',
      '9007199254740993',
      '0.1000000000000000055511151231257827',
    ];
    for (let i = 0; i < 600; i++) {
      const whole = digits(rng.int(4));
      const fraction = digits(rng.int(19));
      const exponent = rng.int(3) === 0 ? `e${['', '-', '+'][rng.int(3)]}${rng.int(36)}` : '';
      const sign = ['', '-', '+'][rng.int(3)];
      const token = `${sign}${whole}${fraction ? `.${fraction}` : whole ? '' : '0'}${exponent}`;
      tokens.push(token);
    }
    const dim = 5;
    while (tokens.length % dim !== 0) tokens.push('1');
    const lines: string[] = [];
    for (let r = 0; r * dim < tokens.length; r++)
      lines.push(
        `w${r} ${tokens.slice(r * dim, (r + 1) * dim).join(' ')}${['', ' ', '\t', '\r', ' \r'][r % 5]}`,
      );
    const read = await readVectors(text(`${lines.join('\n')}\n`), { format: 'glove' });
    const expected = Float32Array.from(tokens, (t) => Math.fround(Number(t)));
    expect(read.size).toBe(lines.length);
    expect(Array.from(read.vectors).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
      Array.from(expected).map((v) => (Object.is(v, -0) ? '-0' : String(v))),
    );
  });

  it('refuses what Number() refuses, on lines after the first as on the first', async () => {
    for (const bad of ['nan', 'inf', '1e', '-', '.', '0x10', '1_0', '1e400', '1..2', '--1', '1e5.5']) {
      const e = await rejection(readVectors(text(`a 1 2\nb 1 ${bad}\n`), { format: 'glove' }));
      expect(e.message).toContain(':2: value 2 of "b" is not a finite number');
    }
    // Two spaces make an empty value; a third value is one too many.
    expect((await rejection(readVectors(text('a 1 2\nb 1  2\n')))).message).toContain(
      'expected 2 values after the word, got 3',
    );
    expect((await rejection(readVectors(text('a 1 2\nb 1 2 3\n')))).message).toContain(
      'expected 2 values after the word, got 3',
    );
  });
});
