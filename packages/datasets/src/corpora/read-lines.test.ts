import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { UnavailableError } from '@wordloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { readLines, readSentences } from './read-lines.js';
import { linesOf, sentencesOf } from './text-stream.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wl-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('readLines', () => {
  it('streams lines across chunk boundaries, dropping \\n and \\r\\n, keeping a last unterminated line', async () => {
    const path = join(dir, 'crlf.txt');
    await writeFile(path, 'first line\r\nsecond\n\nfourth, no newline');
    for (const chunkSize of [1, 3, 65536]) {
      expect(await collect(readLines(path, { chunkSize }))).toEqual([
        'first line',
        'second',
        '',
        'fourth, no newline',
      ]);
    }
  });

  it('decodes the encoding it is given, including multi-byte characters split between chunks', async () => {
    const path = join(dir, 'latin1.txt');
    await writeFile(path, Buffer.from('Cæsar\nNaïve café\n', 'latin1'));
    expect(await collect(readLines(path, { encoding: 'latin1' }))).toEqual(['Cæsar', 'Naïve café']);
    const utf16 = join(dir, 'utf16.txt');
    await writeFile(utf16, Buffer.from('Ünïcødé ✓\nzwei', 'utf16le'));
    expect(await collect(readLines(utf16, { encoding: 'utf-16le', chunkSize: 3 }))).toEqual([
      'Ünïcødé ✓',
      'zwei',
    ]);
    const utf8 = join(dir, 'utf8.txt');
    await writeFile(utf8, 'ü✓😀\n');
    expect(await collect(readLines(utf8, { chunkSize: 1 }))).toEqual(['ü✓😀']);
    await expect(collect(readLines(utf8, { encoding: 'klingon' }))).rejects.toThrow(
      /Argument 'encoding' passed to 'readLines'/,
    );
  });

  it('reports a missing file and an over-long line, and stops when aborted', async () => {
    const missing = join(dir, 'missing.txt');
    const error = await collect(readLines(missing)).catch((e) => e);
    expect(UnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`cannot read ${missing}: no such file`);
    const long = join(dir, 'long.txt');
    await writeFile(long, 'x'.repeat(5000));
    await expect(collect(readLines(long, { maxLineLength: 1000, chunkSize: 1024 }))).rejects.toThrow(
      /'maxLineLength'/,
    );
    const controller = new AbortController();
    const lines: string[] = [];
    const path = join(dir, 'many.txt');
    await writeFile(path, 'line\n'.repeat(100_000));
    await expect(
      (async () => {
        for await (const line of readLines(path, { signal: controller.signal, chunkSize: 1024 })) {
          lines.push(line);
          if (lines.length === 10) controller.abort(new Error('stop'));
        }
      })(),
    ).rejects.toThrow('stop');
    expect(lines.length).toBeLessThan(1000);
  });
});

describe('readLines of gzip files', () => {
  it('decompresses .gz files while streaming and names a corrupt one', async () => {
    const path = join(dir, 'lines.txt.gz');
    await writeFile(path, gzipSync('één\ntwee\r\ndrie'));
    expect(await collect(readLines(path, { chunkSize: 5 }))).toEqual(['één', 'twee', 'drie']);
    const bad = join(dir, 'bad.txt.gz');
    await writeFile(bad, 'plain text, not gzip');
    const error = await collect(readLines(bad)).catch((e) => e);
    expect(CorruptFileError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^${bad}: is not valid gzip data`));
  });
});

describe('linesOf / sentencesOf (portable)', () => {
  it('read a web ReadableStream such as fetch().body', async () => {
    const body = new Response('Hello there. General\nKenobi!\n').body as ReadableStream<Uint8Array>;
    expect(await collect(linesOf(body))).toEqual(['Hello there. General', 'Kenobi!']);
    const again = new Response('Hello there. General\nKenobi!\n').body as ReadableStream<Uint8Array>;
    expect(await collect(sentencesOf(again, { lowercase: false }))).toEqual([
      ['Hello', 'there'],
      ['General', 'Kenobi'],
    ]);
  });
});

describe('readSentences', () => {
  it('streams the same sentences as tokenizeSentences', async () => {
    const path = join(dir, 'alice.txt');
    await writeFile(path, 'Mr. Brown sat.\nHe said: "Hi!" Then\nleft.\n\nEnd');
    expect(await collect(readSentences(path, { chunkSize: 4 }))).toEqual([
      ['mr', 'brown', 'sat'],
      ['he', 'said', 'hi'],
      ['then', 'left'],
      ['end'],
    ]);
  });
});

// The 200 MB acceptance test: generated on disk, read in a child process whose peak RSS is measured.
describe('streaming a 200 MB file', () => {
  it('keeps resident memory under 100 MB', async () => {
    const big = join(dir, 'big.txt');
    const paragraph =
      'Alice was beginning to get very tired of sitting by her sister on the bank. ' +
      'So she was considering in her own mind whether the pleasure of making a daisy-chain would be worth it!\n';
    const block = `${paragraph.repeat(Math.ceil(2 ** 20 / paragraph.length)).slice(0, 2 ** 20 - 1)}\n`;
    const blocks = 200;
    const out = createWriteStream(big);
    for (let i = 0; i < blocks; i++)
      if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve(null))),
    );
    const small = join(dir, 'small.txt');
    await writeFile(small, block.repeat(8));

    // The built module in a plain `node`, so RSS is what users see — a TypeScript loader alone adds ~35 MB.
    const source = join(dirname(fileURLToPath(import.meta.url)), '../../dist/corpora/read-lines.js');
    const script = join(dir, 'measure.mjs');
    await writeFile(
      script,
      `import { readLines, readSentences } from ${JSON.stringify(source)};
let peak = 0, lines = 0, chars = 0, sentences = 0, tokens = 0;
const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
for await (const line of readLines(${JSON.stringify(big)})) {
  lines++; chars += line.length + 1;
  if ((lines & 4095) === 0) sample();
}
sample();
for await (const sentence of readSentences(${JSON.stringify(small)})) {
  sentences++; tokens += sentence.length;
  if ((sentences & 1023) === 0) sample();
}
sample();
console.log(JSON.stringify({ peak, lines, chars, sentences, tokens }));
`,
    );
    const result = spawnSync(process.execPath, [script], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const measured = JSON.parse(result.stdout);
    expect(measured.chars).toBe(blocks * 2 ** 20);
    expect(measured.lines).toBe(blocks * block.split('\n').length - blocks);
    expect(measured.sentences).toBeGreaterThan(40_000);
    console.log(`streamed 200 MiB: peak RSS ${(measured.peak / 2 ** 20).toFixed(1)} MiB`);
    expect(measured.peak).toBeLessThan(100 * 2 ** 20);
  }, 120_000);
});

describe('invalid bytes (unicodeErrors, as Python and gensim)', () => {
  const fixture = fileURLToPath(new URL('../../../../test-fixtures/corpora/latin1.txt', import.meta.url));

  it('refuses Latin-1 bytes read as UTF-8, naming the byte and its offset (the default)', async () => {
    const bytes = await readFile(fixture);
    const offset = bytes.indexOf(0xe9);
    for (const chunkSize of [1, 7, 65536]) {
      const error = await collect(readLines(fixture, { chunkSize })).catch((e) => e);
      expect(CorruptFileError.isInstance(error)).toBe(true);
      expect(error.message).toBe(
        `${fixture}: byte 0xE9 at offset ${offset} is not valid utf-8 (pass encoding 'latin1', or unicodeErrors 'replace' or 'ignore')`,
      );
    }
    expect((await collect(readLines(fixture, { encoding: 'latin1' })))[0]).toMatch(/^le café de la garçon/);
    expect((await collect(readLines(fixture, { unicodeErrors: 'replace' })))[0]).toMatch(/^le caf\uFFFD de/);
    expect((await collect(readLines(fixture, { unicodeErrors: 'ignore' })))[0]).toMatch(
      /^le caf de la garon/,
    );
    expect((await collect(readSentences(fixture, { encoding: 'latin1' })))[0].slice(0, 2)).toEqual([
      'le',
      'café',
    ]);
  });

  it('replaces or drops each maximal invalid subsequence, even split between chunks', async () => {
    const path = join(dir, 'bad.txt');
    // E0 80: two invalid parts; F0 9F 98: a truncated emoji (one part); then a valid 😀 and a BOM at the start.
    await writeFile(
      path,
      Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xe0, 0x80, 0x62, 0xf0, 0x9f, 0x98, 0x63, 0xf0, 0x9f, 0x98, 0x80]),
    );
    for (const chunkSize of [1, 2, 3, 65536]) {
      expect(await collect(readLines(path, { chunkSize, unicodeErrors: 'replace' }))).toEqual([
        'a\uFFFD\uFFFDb\uFFFDc😀',
      ]);
      expect(await collect(readLines(path, { chunkSize, unicodeErrors: 'ignore' }))).toEqual(['abc😀']);
    }
    await expect(collect(readLines(path, { unicodeErrors: 'maybe' as never }))).rejects.toThrow(
      /'unicodeErrors'/,
    );
    await expect(collect(linesOf(new Blob([Buffer.from([0x61, 0xff])]).stream()))).rejects.toThrow(
      /^<input>: byte 0xFF at offset 1 is not valid utf-8/,
    );
  });
});
