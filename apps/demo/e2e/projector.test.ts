import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeVectors, KeyedVectors, readVectors } from '@wordloom/embeddings';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTour } from '../src/tour/run-tour.js';
import { TINY_SIZES } from '../src/tour/tour-sizes.js';
import { planWasmThreads } from '../src/web/wasm-threads.js';
import { CHROMIUM, launchPage, screenshotDir } from './browser.js';
import { startServe } from './serve-process.js';

const webBuilt = fileURLToPath(new URL('../dist/web/index.html', import.meta.url));

let root: string;
let server: { url: string; process: ChildProcess };
let context: BrowserContext;
let page: Page;
let shots: string;
const problems: string[] = [];

/** A seeded generator (mulberry32): the same files on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** 400 words × 24 dims in 4 clusters, with a part-of-speech-like metadata column. */
function generatedVectors(): { vectors: KeyedVectors; group: string[] } {
  const rand = random(11);
  const n = 400;
  const dim = 24;
  const centres = Array.from({ length: 4 }, () => Array.from({ length: dim }, () => rand() * 2 - 1));
  const words: string[] = [];
  const group: string[] = [];
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const g = i % 4;
    words.push(`w${i}${'abcd'[g]}`);
    group.push(['noun', 'verb', 'adj', 'adv'][g]);
    for (let k = 0; k < dim; k++) data[i * dim + k] = centres[g][k] + (rand() - 0.5) * 0.8;
  }
  return { vectors: new KeyedVectors(words, data, dim), group };
}

const concat = (chunks: Iterable<Uint8Array>) => Buffer.concat([...chunks]);

async function textOf(selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

/** The neighbour list as the page shows it: words and the 3-decimal scores. */
async function shownNeighbours(): Promise<{ word: string; score: string }[]> {
  const items = page.locator('[data-testid=neighbour]');
  const words = await items.locator('.word').allTextContents();
  const scores = await items.locator('.score').allTextContents();
  return words.map((word, i) => ({ word, score: scores[i] }));
}

/** Pastes a long text into a box (Playwright's fill types multi-line text far too slowly for a corpus). */
async function paste(testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).evaluate((box, value) => {
    (box as HTMLTextAreaElement).value = value;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function query(word: string): Promise<void> {
  await page.getByTestId('neighbour-query').fill(word);
  await page.locator('#word-form button[type=submit]').click();
  await expect.poll(() => textOf('#neighbours h3')).toMatch(new RegExp(`^Nearest to “${word}”`));
}

async function loadFiles(files: { name: string; buffer: Buffer }[]): Promise<void> {
  await page
    .getByTestId('vectors-file')
    .setInputFiles(
      files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: f.buffer })),
    );
  await expect
    .poll(() => page.locator('#projector').getAttribute('data-data'), { timeout: 20_000 })
    .toMatch(/loaded|failed/);
}

async function shot(name: string): Promise<string> {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
  return file;
}

const { vectors: generated, group } = generatedVectors();
const w2vText = concat(encodeVectors(generated, 'word2vec-txt'));
const w2vBinary = concat(encodeVectors(generated, 'word2vec-bin'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!existsSync(webBuilt)) throw new Error('the page is not built: pnpm --filter @wordloom/demo build');
  root = await mkdtemp(join(tmpdir(), 'wordloom-e2e-projector-'));
  shots = screenshotDir(tmpdir());
  await mkdir(shots, { recursive: true });
  await runTour({ out: join(root, 'out'), sizes: TINY_SIZES, seed: 1 });
  server = await startServe(join(root, 'out'));
  ({ context, page } = await launchPage(root, 'main', { problems }));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
}, 120_000);

afterAll(async () => {
  await context?.close();
  server?.process.kill('SIGTERM');
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the projector with the user’s own vectors', () => {
  it('is cross-origin isolated and opens the tour’s vectors by default', async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const response = await page.request.get(server.url);
    expect(response.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(response.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(await page.getByTestId('projection').inputValue()).toBe('tour');
    expect(await textOf('#projector-info')).toMatch(/^The tour's skip-gram vectors/);
  });

  it('loads a word2vec text file and lists the same neighbours as KeyedVectors.mostSimilar in Node', async () => {
    await loadFiles([{ name: 'generated.txt', buffer: w2vText }]);
    expect(await textOf('#data-status')).toMatch(/^400 × 24 vectors from generated\.txt/);
    // Node's reference: the same bytes through the same public reader.
    const reference = await readVectors([new Uint8Array(w2vText)], { source: 'generated.txt' });
    for (const word of ['w0a', 'w37b', 'w398c']) {
      await query(word);
      const expected = reference.mostSimilar({ positive: [word], topN: 10 });
      expect(await shownNeighbours()).toEqual(
        expected.map((s) => ({ word: s.word, score: s.similarity.toFixed(3) })),
      );
    }
    // A fresh file replaces the map: PCA 2-D of all 400 points.
    expect(await page.getByTestId('projection').inputValue()).toBe('pca2');
    expect(await page.locator('#projector-canvas').getAttribute('data-points')).toBe('400');
  });

  it('loads the same vectors as word2vec binary dropped on the page, with the same neighbours', async () => {
    // A real drop event carrying the file, as the browser fires it when a file is dragged in.
    await page.evaluate(
      ({ name, base64 }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        const zone = document.getElementById('drop-zone')!;
        zone.dispatchEvent(
          new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
        zone.dispatchEvent(
          new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      },
      { name: 'generated.bin', base64: w2vBinary.toString('base64') },
    );
    await expect
      .poll(() => textOf('#data-status'), { timeout: 20_000 })
      .toMatch(/^400 × 24 vectors from generated\.bin/);
    await expect.poll(() => page.locator('#projector').getAttribute('data-data')).toBe('loaded');
    expect(await textOf('#projector-info')).toMatch(/from generated\.bin/);
    await query('w37b');
    const expected = generated.mostSimilar({ positive: ['w37b'], topN: 10 });
    expect(await shownNeighbours()).toEqual(
      expected.map((s) => ({ word: s.word, score: s.similarity.toFixed(3) })),
    );
  });

  it('ranks by euclidean distance, follows the count slider, navigates on click, isolates the nearest', async () => {
    await page.locator('#metric').selectOption('euclidean');
    await expect.poll(() => textOf('#neighbours .meta')).toBe('euclidean distance in the original space');
    const q = generated.indexOf('w37b');
    const d = generated.dim;
    const distance = (r: number) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += (generated.vectors[r * d + k] - generated.vectors[q * d + k]) ** 2;
      return Math.sqrt(s);
    };
    const expected = generated.words
      .map((word, r) => ({ word, score: distance(r) }))
      .filter((x) => x.word !== 'w37b')
      .sort((a, b) => a.score - b.score)
      .slice(0, 10);
    expect(await shownNeighbours()).toEqual(
      expected.map((x) => ({ word: x.word, score: x.score.toFixed(3) })),
    );

    await page.locator('#neighbour-count').fill('4');
    await expect.poll(() => page.getByTestId('neighbour').count()).toBe(4);
    expect(page.url()).toMatch(/[#&]k=4(&|$)/);
    expect(page.url()).toMatch(/metric=euclidean/);

    const second = (await shownNeighbours())[1].word;
    await page.getByTestId('neighbour').nth(1).locator('.word').click();
    await expect.poll(() => textOf('#neighbours h3')).toBe(`Nearest to “${second}”`);
    expect(await page.getByTestId('neighbour-query').inputValue()).toBe(second);
    expect(page.url()).toContain(`word=${second}`);

    await page.locator('#isolate').click();
    await expect.poll(() => page.locator('#projector').getAttribute('data-isolated')).toBe('5');
    await shot('projector-isolated');
    await page.locator('#isolate').click();
    await expect.poll(() => page.locator('#projector').getAttribute('data-isolated')).toBe('all');
    await page.locator('#metric').selectOption('cosine');
    await page.locator('#neighbour-count').fill('10');
  });

  it('solves an analogy on the loaded vectors as mostSimilar does', async () => {
    await page.fill('#analogy-a', 'w1b');
    await page.fill('#analogy-b', 'w2c');
    await page.fill('#analogy-c', 'w3d');
    await page.locator('#analogy-run').click();
    await expect.poll(() => page.locator('#analogy-result li').count()).toBe(5);
    const expected = generated.mostSimilar({ positive: ['w1b', 'w3d'], negative: ['w2c'], topN: 5 });
    expect(await page.locator('#analogy-result li .word').allTextContents()).toEqual(
      expected.map((s) => s.word),
    );
  });

  it('switches projections: PCA 2-D and 3-D with explained variance, live t-SNE with pause/resume, UMAP', async () => {
    const projection = page.getByTestId('projection');
    await projection.selectOption('pca3');
    await expect
      .poll(() => textOf('#projection-note'))
      .toMatch(/^PCA 3-D of all 400 points .*explained variance [\d.]+% \+ [\d.]+% \+ [\d.]+%/);
    const explained = (await page.locator('#projection-note').getAttribute('data-explained'))!
      .split(',')
      .map(Number);
    expect(explained).toHaveLength(3);
    expect(explained[0]).toBeGreaterThanOrEqual(explained[1]);
    // Orbit: a drag rotates the 3-D view (the picture changes).
    const pixels = () =>
      page.locator('#projector-canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    const before = await pixels();
    const box = (await page.locator('#projector-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 6 });
    await page.mouse.up();
    await expect.poll(pixels).not.toBe(before);
    await shot('projector-pca3');

    await projection.selectOption('tsne2');
    await page.locator('#live-points').fill('300');
    await page.locator('#live-iterations').fill('3000');
    await page.locator('#tsne-perplexity').fill('20');
    const iteration = async () =>
      Number(await page.locator('#projector').getAttribute('data-live-iteration'));
    // The run started by choosing t-SNE draws its first frame, which re-applies the selection: the
    // parameters typed meanwhile must survive it (they were reset to the URL's, so Run used those).
    await expect.poll(iteration, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('#tsne-perplexity').inputValue()).toBe('20');
    expect(await page.locator('#live-points').inputValue()).toBe('300');
    expect(await page.locator('#live-iterations').inputValue()).toBe('3000');
    await page.locator('#live-run').click();
    await expect.poll(() => page.url()).toMatch(/perplexity=20/);
    await expect.poll(iteration, { timeout: 20_000 }).toBeGreaterThan(20);
    await page.locator('#live-pause').click();
    await page.waitForTimeout(300);
    const paused = await iteration();
    await page.waitForTimeout(700);
    expect(await iteration()).toBe(paused);
    expect(await page.locator('#live-pause').textContent()).toBe('Resume');
    await page.locator('#live-pause').click();
    await expect.poll(iteration).toBeGreaterThan(paused);
    expect(page.url()).toMatch(/projection=tsne2/);
    expect(page.url()).toMatch(/perplexity=20/);
    await page.locator('#live-iterations').fill('60');
    await page.locator('#live-run').click();
    await expect
      .poll(() => page.locator('#projector').getAttribute('data-live-done'), { timeout: 20_000 })
      .toBe('true');
    expect(await textOf('#projection-note')).toMatch(
      /^t-SNE \(.*\): 60 steps, KL [\d.]+ — done \(first 300 of 400 points\)/,
    );
    await shot('projector-tsne');

    await projection.selectOption('umap2');
    await page.locator('#live-iterations').fill('50');
    await page.locator('#live-run').click();
    await expect
      .poll(() => page.locator('#projector').getAttribute('data-live-done'), { timeout: 20_000 })
      .toBe('true');
    expect(await textOf('#projection-note')).toMatch(/^UMAP \(umap-js, 15 neighbours\): \d+ epochs — done/);
    expect(await page.locator('#projector-canvas').getAttribute('data-points')).toBe('300');
    await shot('projector-umap');
  });

  it('reads the Projector’s vectors.tsv + metadata.tsv and colours by a metadata column', async () => {
    const rows: string[] = [];
    for (let r = 0; r < generated.size; r++)
      rows.push(
        Array.from(generated.vectors.subarray(r * generated.dim, (r + 1) * generated.dim)).join('\t'),
      );
    const metadata = ['word\tpos', ...generated.words.map((w, i) => `${w}\t${group[i]}`)].join('\n');
    await page.getByTestId('projection').selectOption('pca2');
    await loadFiles([
      { name: 'vectors.tsv', buffer: Buffer.from(`${rows.join('\n')}\n`) },
      { name: 'metadata.tsv', buffer: Buffer.from(`${metadata}\n`) },
    ]);
    expect(await textOf('#data-status')).toMatch(/^400 × 24 vectors from vectors\.tsv \+ metadata\.tsv/);
    await page.locator('#color-by').selectOption('pos');
    await expect
      .poll(() => page.locator('#legend .legend-item').allTextContents())
      .toEqual(['noun (100)', 'verb (100)', 'adj (100)', 'adv (100)']);
    await query('w5b');
    expect((await shownNeighbours()).map((n) => n.word)).toEqual(
      generated.mostSimilar({ positive: ['w5b'], topN: 10 }).map((s) => s.word),
    );
    await shot('projector-tsv-coloured');
  });

  it('names the file and line of a malformed vectors file, and keeps the vectors on show', async () => {
    await loadFiles([{ name: 'broken.txt', buffer: Buffer.from('3 2\nking 1 2\nqueen 1 x\n') }]);
    expect(await textOf('#data-status')).toBe(
      'Could not use it: broken.txt:3: value 2 of "queen" is not a finite number: "x"',
    );
    expect(await page.locator('#projector-canvas').getAttribute('data-points')).toBe('400');
  });
});

describe('training word2vec in the page', () => {
  it('trains on a pasted text with a planted pair, whose nearest neighbours are each other; downloads word2vec', async () => {
    const rand = random(3);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const groups = [
      { pair: ['zebra', 'quagga'], context: ['stripes', 'savanna', 'herd', 'graze', 'grass', 'plains'] },
      { pair: ['lion', 'tiger'], context: ['roar', 'hunt', 'claws', 'prey', 'jungle', 'fangs'] },
      { pair: ['violin', 'cello'], context: ['strings', 'bow', 'music', 'concert', 'tune', 'play'] },
    ];
    const lines: string[] = [];
    // The twins of a pair appear in the same contexts; the context words also fill background lines.
    for (let s = 0; s < 450; s++) {
      const g = pick(groups);
      const c = () => pick(g.context);
      lines.push(`${c()} ${c()} ${pick(g.pair)} ${c()} ${c()}.`);
    }
    const all = [...Array.from({ length: 40 }, (_, i) => `w${i}x`), ...groups.flatMap((g) => g.context)];
    for (let s = 0; s < 1200; s++) lines.push(Array.from({ length: 6 }, () => pick(all)).join(' '));
    await page.locator('#train summary').click();
    await paste('train-text', lines.join('\n'));
    await page.locator('#train-run').click();
    await expect
      .poll(() => page.locator('#projector').getAttribute('data-data'), { timeout: 25_000 })
      .toBe('trained');
    expect(await textOf('#data-status')).toMatch(
      /^skip-gram: \d+ words × 32 from [\d,]+ tokens, 20 epochs in/,
    );
    for (const [a, b] of [
      ['zebra', 'quagga'],
      ['quagga', 'zebra'],
      ['lion', 'tiger'],
      ['cello', 'violin'],
    ]) {
      await query(a);
      expect((await shownNeighbours())[0].word, a).toBe(b);
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#train-download').click(),
    ]);
    const file = join(root, 'trained.bin');
    await download.saveAs(file);
    const saved = await readVectors([new Uint8Array(await readFile(file))], { format: 'word2vec-bin' });
    expect(saved.mostSimilar({ positive: ['zebra'], topN: 1 })[0].word).toBe('quagga');
    expect(saved.dim).toBe(32);
    await shot('projector-trained');
  });

  it('stops training on request, and refuses an empty text', async () => {
    await page.getByTestId('train-text').fill('   ');
    await page.locator('#train-run').click();
    expect(await textOf('#data-status')).toBe('Paste or drop a text to train on first.');
    const text = Array.from(
      { length: 3000 },
      (_, i) => `a${i % 50} b${i % 7} c${i % 13} d${i % 31} e${i % 3}`,
    ).join('\n');
    await paste('train-text', text);
    await page.locator('#train-epochs').fill('200');
    await page.locator('#train-run').click();
    await page.locator('#data-stop').click();
    await expect.poll(() => textOf('#data-status'), { timeout: 10_000 }).toBe('Stopped.');
    await page.locator('#train-epochs').fill('20');
  });
});

describe('layout and state', () => {
  it('reopens a shared URL: projection, word and neighbour count from the fragment, on the tour’s vectors', async () => {
    await page.goto(`${server.url}#projection=pca3&word=alice&k=5`);
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    expect(await page.getByTestId('projection').inputValue()).toBe('pca3');
    await expect.poll(() => page.getByTestId('neighbour').count()).toBe(5);
    expect(await textOf('#neighbours h3')).toBe('Nearest to “alice”');
  });

  it('fits a 390 px phone: no horizontal scrolling, the map at least 90% of the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}#projection=pca2&word=alice`);
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    const { scroll, client, map } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      map: document.getElementById('projector-canvas')!.getBoundingClientRect().width,
    }));
    expect(scroll).toBeLessThanOrEqual(client);
    expect(map).toBeGreaterThanOrEqual(0.9 * 390);
    await shot('phone-390');
    // Keyboard: the query box, the map and the neighbour words are reachable with Tab.
    await page.getByTestId('neighbour-query').focus();
    const reached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate(() => document.activeElement?.id || document.activeElement?.className || ''),
      );
    }
    expect([...reached]).toEqual(
      expect.arrayContaining(['word-find', 'metric', 'neighbour-count', 'isolate', 'word']),
    );
    await page.setViewportSize({ width: 1280, height: 1000 });
    expect(problems).toEqual([]);
  });
});

/** The tfjs wasm binaries the page fetched, by file name. */
function wasmFetched(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name.split('/').pop() ?? '')
      .filter((name) => name.startsWith('tfjs-backend-wasm')),
  );
}

/**
 * A 256 × 256 by 256 × 256 matmul of small integers on the page's backend (large enough for XNNPACK to
 * split it over its threads), its largest difference from the same sums in the page's JavaScript, and
 * how many pthread workers the wasm module is running.
 */
function matmulOnPage(p: Page): Promise<{ backend: string; worst: number; pthreads: number }> {
  return p.evaluate(async () => {
    const { tf } = (globalThis as unknown as { wordloom: { tf: typeof import('@tensorflow/tfjs-core') } })
      .wordloom;
    const n = 256;
    const a = new Float32Array(n * n).map((_, i) => ((i * 7) % 13) - 6);
    const b = new Float32Array(n * n).map((_, i) => ((i * 5) % 11) - 5);
    const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])));
    const got = await product.data();
    product.dispose();
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
        worst = Math.max(worst, Math.abs(s - got[i * n + j]));
      }
    // Emscripten's pthread bookkeeping (`Module.PThread`): the threads it runs besides this one.
    const module = (tf.backend() as unknown as { wasm?: { PThread?: { runningWorkers: unknown[] } } }).wasm;
    return { backend: tf.getBackend(), worst, pthreads: module?.PThread?.runningWorkers.length ?? 0 };
  });
}

describe('the wasm backend’s threads', () => {
  it('runs the threaded build when cross-origin isolated with cores to spare, on more than one thread', async () => {
    const seen: string[] = [];
    const other = await launchPage(root, 'threads-cores', { problems: seen });
    try {
      const p = other.page;
      // tfjs 4.22 gives its pool half the logical cores: report at least 4, as a 4-core machine would
      // (Chromium's own emulation; the pool's threads then really run on this machine's cores).
      const real = await p.evaluate(() => navigator.hardwareConcurrency);
      const cores = Math.max(4, real);
      const cdp = await other.context.newCDPSession(p);
      await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
      await p.goto(server.url);
      await p.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      expect(await p.evaluate(() => navigator.hardwareConcurrency)).toBe(cores);
      const threads = Math.min(8, Math.floor(cores / 2));
      expect(await p.locator('#status').getAttribute('data-backend')).toBe('wasm');
      expect(await p.locator('#status').getAttribute('data-threads')).toBe(String(threads));
      expect(await p.locator('#status').textContent()).toContain(
        `on wasm (SIMD, ${threads} threads), cross-origin isolated`,
      );
      expect(await wasmFetched(p)).toEqual(['tfjs-backend-wasm-threaded-simd.wasm']);
      const run = await matmulOnPage(p);
      expect(run.backend).toBe('wasm');
      expect(run.worst).toBe(0);
      // The pool's other threads are running pthread workers: more than one thread computes.
      expect(run.pthreads).toBe(threads - 1);
      expect(seen).toEqual([]);
    } finally {
      await other.context.close();
    }
  });

  it('says on the main page what this machine gets, and why when it is one thread', async () => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const plan = planWasmThreads({ isolated: true, cores, blobScripts: true });
    expect(await page.locator('#status').getAttribute('data-threads')).toBe(String(plan.threads));
    expect(await textOf('#status')).toContain(
      plan.threads > 1
        ? `on wasm (SIMD, ${plan.threads} threads), cross-origin isolated`
        : `on wasm (SIMD, 1 thread: ${plan.reason}), cross-origin isolated`,
    );
    expect(await wasmFetched(page)).toEqual([
      plan.threads > 1 ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm',
    ]);
    expect(problems).toEqual([]);
  });

  // The same server with one header changed per case: what a user gets serving dist/web elsewhere.
  const variants = [
    {
      name: 'without cross-origin isolation (no COOP/COEP)',
      isolated: false,
      reason: 'not cross-origin isolated',
      headers: (h: Record<string, string>) => {
        delete h['cross-origin-opener-policy'];
        delete h['cross-origin-embedder-policy'];
      },
    },
    {
      name: 'isolated but under a CSP that forbids blob: scripts',
      isolated: true,
      reason: 'the Content-Security-Policy blocks blob: worker scripts',
      headers: (h: Record<string, string>) => {
        if (h['content-security-policy'])
          h['content-security-policy'] = h['content-security-policy'].replace(/ blob:(?=;)/, '');
      },
    },
  ];
  for (const variant of variants)
    it(`falls back to the single-threaded build ${variant.name}, says why, and works`, async () => {
      const seen: string[] = [];
      const other = await launchPage(root, `threads-${variant.isolated}`, { problems: seen });
      try {
        await other.context.route('**/*', async (route) => {
          const response = await route.fetch();
          const headers = { ...response.headers() };
          variant.headers(headers);
          await route.fulfill({ response, headers });
        });
        const p = other.page;
        await p.goto(`${server.url}#projection=pca2`);
        await p.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
        expect(await p.evaluate(() => globalThis.crossOriginIsolated)).toBe(variant.isolated);
        expect(await p.locator('#status').textContent()).toContain(
          `on wasm (SIMD, 1 thread: ${variant.reason})`,
        );
        expect(await p.locator('#status').getAttribute('data-threads')).toBe('1');
        expect(await wasmFetched(p)).toEqual(['tfjs-backend-wasm-simd.wasm']);
        const run = await matmulOnPage(p);
        expect(run).toEqual({ backend: 'wasm', worst: 0, pthreads: 0 });
        // The projector works as on the isolated page: a file loads, its neighbours are mostSimilar's.
        await p
          .getByTestId('vectors-file')
          .setInputFiles({ name: 'generated.txt', mimeType: 'text/plain', buffer: w2vText });
        await expect
          .poll(() => p.locator('#projector').getAttribute('data-data'), { timeout: 20_000 })
          .toBe('loaded');
        await p.getByTestId('neighbour-query').fill('w37b');
        await p.locator('#word-form button[type=submit]').click();
        await expect
          .poll(() => p.getByTestId('neighbour').locator('.word').allTextContents())
          .toEqual(generated.mostSimilar({ positive: ['w37b'], topN: 10 }).map((s) => s.word));
        // The blocked probe is reported by the browser as a CSP violation; nothing else may go wrong.
        expect(seen.filter((m) => !/Content Security Policy|Refused to load/i.test(m))).toEqual([]);
      } finally {
        await other.context.close();
      }
    });
});

describe('the GPU backend (SwiftShader WebGL in headless Chromium)', () => {
  it('runs on webgl when asked, draws the dots with WebGL, and its dense math equals cpu’s within 1e-4', async () => {
    const gpuProblems: string[] = [];
    const gpu = await launchPage(root, 'webgl', { webgl: true, problems: gpuProblems });
    try {
      const p = gpu.page;
      await p.goto(`${server.url}#backend=webgl&projection=pca2`);
      await p.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      expect(await p.locator('#status').textContent()).toMatch(/on webgl \(GPU\)/);
      expect(await p.locator('#projector-canvas').getAttribute('data-renderer')).toBe('webgl');
      await p
        .getByTestId('vectors-file')
        .setInputFiles({ name: 'generated.txt', mimeType: 'text/plain', buffer: w2vText });
      await expect
        .poll(() => p.locator('#projector').getAttribute('data-data'), { timeout: 20_000 })
        .toBe('loaded');
      expect(await p.locator('#projection-note').textContent()).toMatch(
        /^PCA 2-D of all 400 points on webgl/,
      );
      const words = generated.words.slice(0, 40) as string[];
      const compute = () =>
        p.evaluate(async (ws) => {
          const api = (
            globalThis as unknown as { wordloom: Record<string, (...a: unknown[]) => Promise<unknown>> }
          ).wordloom;
          return {
            backend: (api.tf as unknown as { getBackend(): string }).getBackend(),
            similarities: Array.from((await api.similarityMatrix(ws)) as Float32Array),
            pca: (await api.pcaCoordinates(3)) as number[],
          };
        }, words);
      const onGpu = await compute();
      expect(onGpu.backend).toBe('webgl');
      await p.evaluate(() =>
        (
          globalThis as unknown as { wordloom: { setBackend(n: string): Promise<unknown> } }
        ).wordloom.setBackend('cpu'),
      );
      const onCpu = await compute();
      expect(onCpu.backend).toBe('cpu');
      expect(onGpu.similarities).toHaveLength(40 * 40);
      expect(onGpu.pca).toHaveLength(400 * 3);
      const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
      expect(maxDiff(onGpu.similarities, onCpu.similarities)).toBeLessThan(1e-4);
      expect(maxDiff(onGpu.pca, onCpu.pca)).toBeLessThan(1e-4);
      // And cpu's similarities are the library's: KeyedVectors.similarity in Node.
      expect(onCpu.similarities[1]).toBeCloseTo(generated.similarity(words[0], words[1]), 5);
      await gpu.page.screenshot({ path: join(shots, 'projector-webgl.png'), fullPage: false });
      expect(gpuProblems).toEqual([]);
    } finally {
      await gpu.context.close();
    }
  });
});
