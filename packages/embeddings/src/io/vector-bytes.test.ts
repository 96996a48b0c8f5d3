import { InvalidArgumentError, WordloomError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { VectorFileError } from '../errors/vector-file-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { readVectors } from './read-vectors.js';
import { encodeVectors } from './write-vectors.js';

const FORMATS = ['word2vec-bin', 'word2vec-txt', 'glove'] as const;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const encode = (kv: KeyedVectors, format: (typeof FORMATS)[number]) =>
  concat([...encodeVectors(kv, format, 7)]);
const ascii = (s: string) => new TextEncoder().encode(s);

/** A word2vec binary record with raw word bytes. */
function record(word: Uint8Array, values: number[]): Uint8Array {
  const out = new Uint8Array(word.length + 1 + values.length * 4 + 1);
  out.set(word);
  out[word.length] = 0x20;
  const view = new DataView(out.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat32(word.length + 1 + k * 4, values[k], true);
  out[out.length - 1] = 0x0a;
  return out;
}

async function failure(p: Promise<unknown>): Promise<WordloomError> {
  try {
    await p;
  } catch (e) {
    if (WordloomError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a WordloomError');
}

describe('vector files: the bytes of a word', () => {
  // Words a corpus of old Gutenberg/fortune files gives: nroff underlining with backspaces, a bell, Latin-1
  // letters decoded, a replacement character, CJK, emoji, a tab.
  const words = [
    '_\bc_\ba_\bt',
    'B\bBO\bO',
    'bell\u0007',
    'café',
    'gar\u00e7on',
    '\uFFFD',
    '自然',
    '👩‍💻',
    'a\tb',
  ];
  const kv = new KeyedVectors(
    words,
    Float32Array.from({ length: words.length * 2 }, (_, i) => (i - 5) / 3),
    2,
  );

  for (const format of FORMATS)
    it(`round-trips words with control characters and non-ASCII letters through ${format}`, async () => {
      const back = await readVectors([encode(kv, format)]);
      expect(back.words).toEqual(words);
      expect(Array.from(back.vectors)).toEqual(Array.from(kv.vectors));
    });

  it('names a byte that is not UTF-8 with its offset, and decodes it as asked (gensim unicode_errors)', async () => {
    // "café" written by a Latin-1 tool: 0xE9 alone is not UTF-8.
    const file = concat([
      ascii('2 1\n'),
      record(ascii('ok'), [1]),
      record(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), [2]),
    ]);
    const strict = await failure(readVectors([file], { source: 'v.bin' }));
    expect(VectorFileError.isInstance(strict)).toBe(true);
    expect(strict.message).toMatch(
      /^v\.bin:3: byte 0xE9 at offset 15 of the word of record 2 is not valid utf-8/,
    );
    expect(file[15]).toBe(0xe9);
    expect((await readVectors([file], { unicodeErrors: 'replace' })).words).toEqual(['ok', 'caf\uFFFD']);
    expect((await readVectors([file], { unicodeErrors: 'ignore' })).words).toEqual(['ok', 'caf']);
    expect((await readVectors([file], { encoding: 'latin1' })).words).toEqual(['ok', 'café']);
    // The same for text formats.
    const text = concat([ascii('caf'), Uint8Array.of(0xe9), ascii(' 1 2\n')]);
    const t = await failure(readVectors([text], { format: 'glove' }));
    expect(t.message).toMatch(/:1: byte 0xE9 at offset 3 of line 1 is not valid utf-8/);
    expect((await readVectors([text], { format: 'glove', unicodeErrors: 'replace' })).words).toEqual([
      'caf\uFFFD',
    ]);
  });

  it('replaces and ignores each maximal invalid UTF-8 subsequence, as Python does', async () => {
    // E0 80: E0 needs A0–BF next, so E0 and 80 are two invalid parts; F0 9F 98 is a truncated 4-byte emoji.
    const word = Uint8Array.from([0x61, 0xe0, 0x80, 0x62, 0xf0, 0x9f, 0x98, 0x63]);
    const file = concat([ascii('1 1\n'), record(word, [1])]);
    expect((await readVectors([file], { unicodeErrors: 'replace' })).words).toEqual([
      'a\uFFFD\uFFFDb\uFFFDc',
    ]);
    expect((await readVectors([file], { unicodeErrors: 'ignore' })).words).toEqual(['abc']);
  });

  it('keeps the first vector of a duplicated word, as gensim', async () => {
    const file = concat([
      ascii('3 1\n'),
      record(ascii('a'), [1]),
      record(ascii('b'), [2]),
      record(ascii('a'), [3]),
    ]);
    const kv2 = await readVectors([file]);
    expect(kv2.words).toEqual(['a', 'b']);
    expect(Array.from(kv2.vectors)).toEqual([1, 2]);
    const text = await readVectors([ascii('a 1\nb 2\na 3\n')]);
    expect(text.words).toEqual(['a', 'b']);
    expect(Array.from(text.vectors)).toEqual([1, 2]);
  });

  it('refuses a word holding a newline or an empty word in a binary file (a wrong dimension)', async () => {
    const nl = concat([ascii('1 1\n'), record(ascii('a\nb'), [1])]);
    expect((await failure(readVectors([nl]))).message).toMatch(/holds a newline at offset 5/);
    const empty = concat([ascii('1 1\n'), record(new Uint8Array(0), [1])]);
    expect((await failure(readVectors([empty], { format: 'word2vec-bin' }))).message).toMatch(/empty word/);
  });
});

describe('vector files: writers refuse what no reader accepts', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
    it(`throws InvalidArgumentError for ${bad} before yielding a byte`, () => {
      const kv = new KeyedVectors(['a', 'b'], Float32Array.from([1, 2, 3, bad]), 2);
      for (const format of FORMATS) {
        const chunks = encodeVectors(kv, format, 1);
        let error: unknown;
        try {
          chunks.next();
        } catch (e) {
          error = e;
        }
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain(`value 2 of "b" (row 2) is ${bad}`);
      }
    });

  for (const word of ['', 'two words', 'line\nbreak'])
    it(`refuses the word ${JSON.stringify(word)}`, () => {
      const kv = new KeyedVectors(['ok', word], Float32Array.from([1, 2]), 1);
      expect(() => encodeVectors(kv, 'word2vec-bin').next()).toThrow(/hold no space or newline.*word 2/);
    });
});

describe('vector files: sizes from headers are checked before allocating', () => {
  it('refuses "1000000000 1000" with the memory budget in the message', async () => {
    const e = await failure(readVectors([ascii('1000000000 1000\nx ')], { format: 'word2vec-bin' }));
    expect(e.message).toBe(
      '<input>:1: the header "1000000000 1000" asks for 1000000000 vectors of 1000 floats = 4000000000000 bytes, over the memory budget maxBytes = 4294967296 (pass a larger maxBytes, or a limit)',
    );
    const small = await failure(readVectors([ascii('10 10\n')], { maxBytes: 100 }));
    expect(small.message).toMatch(/= 400 bytes, over the memory budget maxBytes = 100/);
  });

  it('refuses a header promising more vectors than the input holds, when its size is known', async () => {
    const file = concat([ascii('1000 50\n'), record(ascii('a'), Array(50).fill(1))]);
    const e = await failure(readVectors([file], { byteLength: file.length, source: 'v.bin' }));
    expect(e.message).toMatch(
      /^v\.bin:1: the header "1000 50" promises 1000 vectors of 50 values \(at least 201999 bytes\), but only 203 bytes follow it/,
    );
    // With a limit only the vectors asked for must be there.
    expect((await readVectors([file], { byteLength: file.length, limit: 1 })).words).toEqual(['a']);
  });

  it('stops a headerless file that grows past the budget', async () => {
    const lines = ascii(Array.from({ length: 2000 }, (_, i) => `w${i} 1 2 3 4`).join('\n'));
    const e = await failure(readVectors([lines], { format: 'glove', maxBytes: 16 * 1500 }));
    expect(e.message).toMatch(/1501 vectors of 4 floats exceed the memory budget maxBytes = 24000/);
  });

  it('refuses a text line far longer than its dimension allows, without buffering the rest', async () => {
    let pulled = 0;
    async function* endless() {
      yield ascii('2 2\na 1 2\n');
      for (;;) {
        pulled++;
        yield new Uint8Array(65536).fill(0x31);
      }
    }
    const e = await failure(readVectors(endless(), { format: 'word2vec-txt' }));
    expect(e.message).toBe(
      '<input>:3: no line break within 1048576 bytes (not a word2vec or GloVe text file)',
    );
    expect(pulled).toBeLessThan(20);
  });

  it('limit 0 gives no vectors of the file dimension in every format', async () => {
    const kv = new KeyedVectors(['a', 'b'], Float32Array.from([1, 2, 3, 4, 5, 6]), 3);
    for (const format of FORMATS) {
      const none = await readVectors([encode(kv, format)], { limit: 0, format });
      expect([none.size, none.dim]).toEqual([0, 3]);
    }
  });

  it('refuses unknown options and hexadecimal values', async () => {
    await expect(readVectors([ascii('a 1\n')], { limt: 2 } as never)).rejects.toThrow(
      /there is no option 'limt'/,
    );
    await expect(readVectors([ascii('a 0x10\n')])).rejects.toThrow(
      /value 1 of "a" is not a finite number: "0x10"/,
    );
  });
});
