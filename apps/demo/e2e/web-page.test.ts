import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTour } from '../src/tour/run-tour.js';
import { TINY_SIZES } from '../src/tour/tour-sizes.js';
import { startServe } from './serve-process.js';

const CHROMIUM = '/usr/bin/chromium';
const webBuilt = fileURLToPath(new URL('../dist/web/index.html', import.meta.url));
const TEN_MB = 10 * 1024 * 1024;

let root: string;
let out: string;
let server: { url: string; process: ChildProcess };
let context: BrowserContext;
let page: Page;
let mapWords: string[];
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!existsSync(webBuilt)) throw new Error('the page is not built: pnpm --filter @wordloom/demo build');
  root = await mkdtemp(join(tmpdir(), 'wordloom-e2e-'));
  out = join(root, 'out');
  // The same code as `wordloom tour`, at the tiny sizes: a complete out/ in seconds.
  await runTour({ out, sizes: TINY_SIZES, seed: 1 });
  mapWords = JSON.parse(await readFile(join(out, 'web/projector-map.json'), 'utf8')).words;
  server = await startServe(out);
  await mkdir(join(root, 'profile'));
  context = await chromium.launchPersistentContext(join(root, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    viewport: { width: 1280, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  server?.process.kill('SIGTERM');
  if (root) await rm(root, { recursive: true, force: true });
});

async function textOf(selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

async function submit(form: string, fields: Record<string, string>): Promise<void> {
  for (const [selector, value] of Object.entries(fields)) await page.fill(selector, value);
  await page.locator(`${form} button[type=submit]`).click();
}

/** Fills an input with `count` copies of `char`, made in the page (10 MB would take minutes to type). */
async function paste(selector: string, char: string, count: number): Promise<void> {
  await page.locator(selector).evaluate(
    (input, [c, n]) => {
      (input as HTMLInputElement).value = (c as string).repeat(n as number);
    },
    [char, count] as const,
  );
}

describe('the built page', () => {
  it('bundles exactly one tfjs-core per realm (the page, each worker) and ships the wasm binaries', async () => {
    const assets = fileURLToPath(new URL('../dist/web/assets/', import.meta.url));
    const html = await readFile(webBuilt, 'utf8');
    // Each tfjs-core copy assigns its engine to the global `_tfengine` once (getOrMakeEngine). The page
    // and each worker are separate JavaScript realms: count the engines in each one's module graph.
    const engines = async (entry: string) => {
      const seen = new Set<string>();
      const visit = async (file: string): Promise<number> => {
        if (seen.has(file)) return 0;
        seen.add(file);
        const code = await readFile(join(assets, file), 'utf8');
        let n = code.match(/_tfengine\s*(\?\?)?=(?!=)/g)?.length ?? 0;
        for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([\w.-]+\.js)["']/g))
          n += await visit(m[1]);
        return n;
      };
      return visit(entry);
    };
    const pageEntry = /<script[^>]*src="\.\/assets\/([\w.-]+\.js)"/.exec(html)![1];
    expect(await engines(pageEntry)).toBe(1);
    const workers = (await readdir(assets)).filter((f) => /-worker-[\w-]+\.js$/.test(f));
    expect(workers.map((w) => w.replace(/-worker-[\w-]+\.js$/, '-worker')).sort()).toEqual([
      'data-worker',
      'projection-worker',
    ]);
    for (const w of workers) expect(await engines(w), w).toBe(1);
    const wasm = await readdir(fileURLToPath(new URL('../dist/web/wasm/', import.meta.url)));
    expect(wasm.sort()).toEqual([
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
      'tfjs-backend-wasm.wasm',
    ]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('wordloom serve in Chromium', () => {
  it('loads every panel on wasm (WebGL here is software) under the Content-Security-Policy', async () => {
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain(
      "script-src 'self' 'wasm-unsafe-eval' blob:",
    );
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    for (const id of ['projector', 'search', 'complete', 'draw'])
      expect(await page.locator(`#${id}`).getAttribute('data-state'), id).toBe('ready');
    expect(await textOf('#status')).toMatch(/TensorFlow\.js 4\.22\.0 on wasm \(SIMD, \d+ threads?/);
  });

  it('finds the neighbours of a word, by the search box and by clicking it on the map', async () => {
    const word = 'alice';
    expect(mapWords).toContain(word);
    await submit('#word-form', { '#word-input': word });
    await expect.poll(() => page.locator('#neighbours li').count()).toBe(10);
    expect(await textOf('#neighbours h3')).toBe(`Nearest to “${word}”`);
    const scores = await page.locator('#neighbours li .score').allTextContents();
    for (const s of scores) expect(Math.abs(Number(s))).toBeLessThanOrEqual(1);
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => b - a));

    // The selected word is centred: hover it, then click it there.
    const box = (await page.locator('#projector-canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await expect.poll(() => textOf('#projector-hover')).toBe(word);
    await submit('#word-form', { '#word-input': '' });
    expect(await textOf('#neighbours')).toBe('Type a word first.');
    await page.mouse.click(cx, cy);
    await expect.poll(() => textOf('#neighbours h3')).toBe(`Nearest to “${word}”`);
    // Zoom in around the pointer: the picture changes, the word under the pointer stays there.
    const pixels = () =>
      page.locator('#projector-canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    const before = await pixels();
    await page.mouse.wheel(0, -400);
    await expect.poll(pixels).not.toBe(before);
    await page.mouse.move(cx + 20, cy + 20);
    await page.mouse.move(cx, cy);
    await expect.poll(() => textOf('#projector-hover')).toBe(word);
    // Drag pans: the word follows the pointer.
    await page.mouse.down();
    await page.mouse.move(cx + 60, cy + 30, { steps: 5 });
    await page.mouse.up();
    await page.mouse.move(cx + 80, cy + 50);
    await page.mouse.move(cx + 60, cy + 30);
    await expect.poll(() => textOf('#projector-hover')).toBe(word);
    await page.locator('#projector-reset').click();

    await submit('#word-form', { '#word-input': 'qqxqzzy' });
    expect(await textOf('#neighbours')).toMatch(/“qqxqzzy” is not in the vocabulary/);
  });

  it('runs an analogy a − b + c', async () => {
    // Words of the tiny fixture (Alice in Wonderland).
    for (const w of ['king', 'queen', 'alice']) expect(mapWords).toContain(w);
    await submit('#analogy-form', { '#analogy-a': 'king', '#analogy-b': 'queen', '#analogy-c': 'alice' });
    await expect.poll(() => page.locator('#analogy-result li').count()).toBe(5);
    expect(await textOf('#analogy-result h3')).toBe('king − queen + alice ≈');
    const answers = await page.locator('#analogy-result li .word').allTextContents();
    expect(answers).not.toContain('king');
    await submit('#analogy-form', { '#analogy-a': 'king', '#analogy-b': 'zzqqy', '#analogy-c': 'alice' });
    expect(await textOf('#analogy-result')).toMatch(/Not in the vocabulary: “zzqqy”/);
  });

  it('searches the paragraphs, and answers empty and 10 MB queries with a message', async () => {
    await submit('#search-form', { '#search-input': 'white rabbit' });
    await expect.poll(() => page.locator('#search-results li').count()).toBeGreaterThan(0);
    expect((await page.locator('#search-results li p').first().textContent())?.toLowerCase()).toMatch(
      /rabbit/,
    );
    await submit('#search-form', { '#search-input': '   ' });
    expect(await textOf('#search-results')).toBe('Type a query first.');
    await paste('#search-input', 'x', TEN_MB);
    await page.locator('#search-run').click();
    expect(await textOf('#search-results')).toMatch(
      /10,485,760 characters long; the page accepts at most 1,000/,
    );
    await submit('#search-form', { '#search-input': 'qqzzyx' });
    expect(await textOf('#search-results')).toMatch(/No paragraph contains/);
  });

  it('completes a sentence at a chosen temperature, and names unknown words', async () => {
    await page.locator('#complete-temperature').fill('1.2');
    expect(await textOf('#complete-temperature-value')).toBe('1.2');
    await submit('#complete-form', { '#complete-input': 'i only wish', '#complete-words': '12' });
    await expect.poll(() => textOf('#complete-result .added')).not.toBe('');
    expect((await textOf('#complete-result .added')).split(' ')).toHaveLength(12);
    expect(await textOf('#complete-result .prompt')).toBe('i only wish');
    await submit('#complete-form', { '#complete-input': 'i only blorptastic' });
    expect(await textOf('#complete-result')).toMatch(/Unknown word “blorptastic”/);
    await paste('#complete-input', 'a', TEN_MB);
    await page.locator('#complete-run').click();
    expect(await textOf('#complete-result')).toMatch(/characters long/);
  });

  it('classifies a digit drawn on the pad', async () => {
    await page.locator('#pad').scrollIntoViewIfNeeded();
    const pad = (await page.locator('#pad').boundingBox())!;
    const at = (fx: number, fy: number) => [pad.x + fx * pad.width, pad.y + fy * pad.height] as const;
    // A "7": the bar, then the stroke down.
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    await page.mouse.move(...at(0.75, 0.2), { steps: 8 });
    await page.mouse.move(...at(0.4, 0.85), { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => page.locator('#pad-prediction').getAttribute('data-digit')).toMatch(/^[0-9]$/);
    expect(await textOf('#pad-prediction')).toMatch(/^it looks like a [0-9]$/);
  });

  it('shows the labelled map in a screenshot, with no errors on the way', async () => {
    await submit('#word-form', { '#word-input': 'alice' });
    const dir = process.env.WORDLOOM_E2E_SCREENSHOTS ?? join(tmpdir(), 'wordloom-e2e-screenshots');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'web-page.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    // The canvas is drawn (not blank) and every label source is on it.
    const inked = await page.locator('#projector-canvas').evaluate((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      // Opaque dark pixels: labels (the dots may be on the WebGL layer underneath).
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 128 && data[i] < 128) dark++;
      return dark;
    });
    expect(inked).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  });
});
