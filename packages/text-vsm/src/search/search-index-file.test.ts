import { crc32, Random, WordloomError } from '@wordloom/core';
import { mutations } from '@wordloom/core/testing';
import { describe, expect, it } from 'vitest';
import { SEARCH_SCORINGS, SearchIndex } from './search-index.js';

// A real index: Zipf-distributed words (postings over several blocks), deletions, a compaction, more
// documents and deletions after it, so every section of the file holds something.
function realIndex(): SearchIndex {
  const rng = new Random(1801);
  const index = new SearchIndex({ tokenizer: { stopWords: ['w0'] } });
  const doc = () =>
    Array.from({ length: 1 + rng.int(12) }, () => `w${Math.floor(400 ** rng.next()) - 1}`).join(' ');
  for (let i = 0; i < 300; i++) index.add(doc());
  for (let i = 0; i < 10; i++) index.delete(rng.int(300));
  index.compact();
  for (let i = 0; i < 50; i++) index.add(doc());
  index.add('café naïve 自然 🐈');
  for (let i = 0; i < 5; i++) index.delete(300 + rng.int(50));
  return index;
}

const QUERIES = ['w1 w2', 'w3', 'w5 w17 w60', 'w100 w1', 'café 自然', 'w2 w3 w4 w6 w7 w8 w9 w10 w11 w12'];

/** Everything a user observes: counts and the ranking of every query under every scoring. */
function observe(index: SearchIndex): string {
  const parts: unknown[] = [index.size, index.documentCount, index.termCount, index.averageDocLength];
  for (const q of QUERIES)
    for (const scoring of SEARCH_SCORINGS) parts.push(index.search(q, { scoring, top: 20 }));
  return JSON.stringify(parts);
}

/** Recomputes the footer checksum, as a buggy or hostile writer would produce a "valid" file. */
function reseal(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  view.setUint32(out.length - 8, crc32(out.subarray(0, out.length - 8)), true);
  view.setUint32(out.length - 4, 0, true);
  return out;
}

/** The file's parts, to craft files that pass the checksum but break the structure. */
function parts(bytes: Uint8Array) {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  const start = 12 + headerLength + ((4 - ((12 + headerLength) % 4)) % 4);
  const body = new Int32Array(bytes.slice(start, bytes.length - 16).buffer);
  return { header, body };
}

function assemble(header: unknown, body: Int32Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = 12 + json.length;
  const start = headerBytes + ((4 - (headerBytes % 4)) % 4);
  const out = new Uint8Array(start + body.byteLength + 16);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('WLSIDX02'));
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), start);
  view.setUint32(out.length - 16, 0xc02893e8, true);
  return reseal(out);
}

function loadOrError(bytes: Uint8Array): SearchIndex | Error {
  try {
    return SearchIndex.load(bytes);
  } catch (error) {
    return error as Error;
  }
}

describe('SearchIndex file: CRC-32 footer and structural validation', () => {
  const index = realIndex();
  const bytes = index.serialize();
  const original = observe(index);

  it('round-trips a real index byte for byte, with the footer as Lucene writes it', () => {
    const back = SearchIndex.load(bytes);
    expect(observe(back)).toBe(original);
    expect(back.serialize()).toEqual(bytes);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(bytes.length - 16, true)).toBe(0xc02893e8);
    expect(view.getUint32(bytes.length - 12, true)).toBe(0);
    expect(view.getUint32(bytes.length - 8, true)).toBe(crc32(bytes.subarray(0, bytes.length - 8)));
    // The file may sit at any offset of a larger buffer.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(observe(SearchIndex.load(shifted.subarray(3)))).toBe(original);
  });

  it('fuzz: 1,500 seeded mutations — every load throws a WordloomError or ranks exactly as the original', () => {
    let rejected = 0;
    let bitFlips = 0;
    for (const m of mutations(bytes, { seed: 20261201, count: 1500 })) {
      const result = loadOrError(m.bytes);
      if (result instanceof Error) {
        expect(WordloomError.isInstance(result), `${m.description}: ${result.name}: ${result.message}`).toBe(
          true,
        );
        rejected++;
      } else {
        // A mutation may leave the bytes unchanged (e.g. overwriting a byte with itself).
        expect(observe(result), m.description).toBe(original);
      }
      if (m.description.startsWith('flip bit')) {
        bitFlips++;
        // CRC-32 detects every single-bit error.
        expect(result, m.description).toBeInstanceOf(WordloomError);
      }
    }
    expect(bitFlips).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1400);
  });

  it('fuzz: every bit flip of the footer and of the first and last 64 bytes is refused', () => {
    const positions = [
      ...Array.from({ length: 64 }, (_, i) => i),
      ...Array.from({ length: 64 }, (_, i) => bytes.length - 1 - i),
    ];
    for (const at of positions) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = bytes.slice();
        flipped[at] ^= 1 << bit;
        expect(() => SearchIndex.load(flipped), `bit ${bit} of byte ${at}`).toThrow(WordloomError);
      }
    }
  });

  it('fuzz: 1,000 mutations resealed with a valid checksum — typed errors only, and any accepted index is consistent', () => {
    let accepted = 0;
    for (const m of mutations(bytes.subarray(0, bytes.length - 16), { seed: 7, count: 1000 })) {
      const withFooter = new Uint8Array(m.bytes.length + 16);
      withFooter.set(m.bytes);
      new DataView(withFooter.buffer).setUint32(m.bytes.length, 0xc02893e8, true);
      const result = loadOrError(reseal(withFooter));
      if (result instanceof Error) {
        expect(WordloomError.isInstance(result), `${m.description}: ${result.name}: ${result.message}`).toBe(
          true,
        );
        continue;
      }
      accepted++;
      // What passes validation is a well-formed index (a flipped deleted flag is well-formed, but then it
      // must still behave as one): block-max top-k equals exhaustive scoring, no duplicate hits.
      for (const q of QUERIES) {
        const hits = result.search(q, { top: 50 });
        expect(hits, m.description).toEqual(result.searchExhaustive(q, { top: 50 }));
        expect(new Set(hits.map((h) => h.doc)).size).toBe(hits.length);
        expect(hits.every((h) => result.has(h.doc) && Number.isFinite(h.score))).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('refuses what a checksum cannot catch, naming the problem', () => {
    const { header, body } = parts(bytes);
    const n = header.docs as number;
    const t = (header.terms as string[]).length;
    const firstPostings = 2 * n + t; // term 0's doc ids start here
    const term0 = body[2 * n];
    expect(term0).toBeGreaterThan(2);
    const cases: Array<[string, () => Uint8Array, RegExp]> = [
      [
        'postings not strictly increasing',
        () => {
          const b = body.slice();
          [b[firstPostings], b[firstPostings + 1]] = [b[firstPostings + 1], b[firstPostings]];
          return assemble(header, b);
        },
        /not strictly increasing/,
      ],
      [
        'duplicate posting',
        () => {
          const b = body.slice();
          b[firstPostings + 1] = b[firstPostings];
          return assemble(header, b);
        },
        /not strictly increasing/,
      ],
      [
        'doc id beyond the count',
        () => {
          const b = body.slice();
          b[firstPostings + term0 - 1] = n + 5;
          return assemble(header, b);
        },
        /names document/,
      ],
      [
        'length inconsistent with the term frequencies',
        () => {
          const b = body.slice();
          b[firstPostings + term0] += 1; // tf of term 0's first posting
          return assemble(header, b);
        },
        /term frequencies sum to/,
      ],
      [
        'zero term frequency',
        () => {
          const b = body.slice();
          b[firstPostings + term0] = 0;
          return assemble(header, b);
        },
        /term frequency below 1/,
      ],
      [
        'duplicate term',
        () => assemble({ ...header, terms: [header.terms[1], ...header.terms.slice(1)] }, body),
        /appears twice/,
      ],
      ['hostile document count', () => assemble({ ...header, docs: 1e9 }, body), /larger than the file/],
      [
        'bad deleted flag',
        () => {
          const b = body.slice();
          b[n] = 7;
          return assemble(header, b);
        },
        /bad deleted flag/,
      ],
      [
        'unknown tokenizer option',
        () => assemble({ ...header, tokenizer: { ...header.tokenizer, regex: 'x' } }, body),
        /bad tokenizer options/,
      ],
      ['wrong version', () => assemble({ ...header, version: 3 }, body), /unsupported version 3/],
      [
        'postings count beyond the body',
        () => {
          const b = body.slice();
          b[2 * n] = n + 1;
          return assemble(header, b);
        },
        /postings for/,
      ],
    ];
    for (const [what, make, message] of cases) {
      expect(() => SearchIndex.load(make()), what).toThrow(message);
      expect(loadOrError(make()), what).toBeInstanceOf(WordloomError);
    }
    // The assembler itself writes valid files.
    expect(observe(SearchIndex.load(assemble(header, body)))).toBe(original);
  });
});
