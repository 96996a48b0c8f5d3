import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeVectors, KeyedVectors } from '@wordloom/embeddings';
import { record } from '../harness.js';

// The web page's "your own vectors" path at the size: a 100,000 × 300 word2vec binary file opened
// in the page (Debian Chromium, headless, through `wordloom serve`), parsed in the page's worker, then PCA
// 2-D of all the points computed and drawn. Times: file chosen → PCA drawn (total), and the worker's
// parse time (file stream → vectors) as the page reports it. WORDLOOM_BENCH_WEB_ROWS / _DIM choose a smaller size (to prove the benchmark runs).
// No peer: the TensorBoard Projector cannot open a file of this size from disk in the browser.

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const DEMO = join(ROOT, 'apps/demo');

function size(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10)
    throw new Error(`${name} must be an integer >= 10, got ${JSON.stringify(raw)}`);
  return n;
}

/** Seeded vectors (mulberry32), written as word2vec binary without building one big string. */
function vectors(rows: number, dim: number): KeyedVectors {
  let s = 1;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32 - 0.5;
  };
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = rand();
  return new KeyedVectors(
    Array.from({ length: rows }, (_, i) => `w${i}`),
    data,
    dim,
  );
}

/** The part of playwright-core this benchmark uses (it is not a dependency of the bench package). */
interface Locator {
  textContent(): Promise<string | null>;
  getAttribute(name: string): Promise<string | null>;
  setInputFiles(path: string): Promise<void>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  waitForSelector(selector: string, options: { timeout: number }): Promise<unknown>;
  waitForFunction<A>(
    fn: (arg: A) => unknown,
    arg: A,
    options: { timeout: number; polling: number },
  ): Promise<unknown>;
  evaluate(fn: () => unknown): Promise<unknown>;
  locator(selector: string): Locator;
  getByTestId(id: string): Locator;
}
interface Browser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface Chromium {
  launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser>;
}

export default async function run(command: string): Promise<void> {
  const rows = size('WORDLOOM_BENCH_WEB_ROWS', 100_000);
  const dim = size('WORDLOOM_BENCH_WEB_DIM', 300);
  const main = join(DEMO, 'dist/cli/main.js');
  if (!existsSync(join(DEMO, 'dist/web/index.html')) || !existsSync(main))
    throw new Error('build the demo first: pnpm --filter @wordloom/demo build');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  // playwright-core is the demo's dev dependency: load it from there rather than adding a second copy.
  const { chromium } = createRequire(join(DEMO, 'package.json'))('playwright-core') as { chromium: Chromium };
  const { runTour } = (await import(join(DEMO, 'dist/tour/run-tour.js'))) as {
    runTour(options: { out: string; sizes: unknown; seed: number }): Promise<unknown>;
  };
  const { TINY_SIZES } = (await import(join(DEMO, 'dist/tour/tour-sizes.js'))) as { TINY_SIZES: unknown };

  const dir = await mkdtemp(join(tmpdir(), 'wordloom-bench-web-'));
  const serve = { kill: () => {} };
  let browser: Browser | undefined;
  try {
    const file = join(dir, `vectors-${rows}x${dim}.bin`);
    await writeFile(file, encodeVectors(vectors(rows, dim), 'word2vec-bin'));
    // `wordloom serve` needs a tour output folder: the tiny tour makes one in seconds.
    await runTour({ out: join(dir, 'out'), sizes: TINY_SIZES, seed: 1 });
    const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--dir', join(dir, 'out')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    serve.kill = () => child.kill('SIGTERM');
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) ok(m[1]);
      });
      child.on('exit', (code) => fail(new Error(`wordloom serve exited with ${code}`)));
    });
    await mkdir(join(dir, 'profile'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${url}#projection=pca2`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
    const backend = (await page.locator('#status').getAttribute('data-backend')) ?? 'unknown';
    const threads = Number(await page.locator('#status').getAttribute('data-threads'));
    const started = performance.now();
    await page.getByTestId('vectors-file').setInputFiles(file);
    // Done when the map of all rows is drawn, or as soon as the page reports a failure (no 10-minute wait).
    await page.waitForFunction(
      (n) => {
        const data = document.getElementById('projector')?.dataset.data;
        const failed = document.getElementById('projector-status')?.textContent?.startsWith('Could not');
        const drawn =
          data === 'loaded' &&
          document.getElementById('projection-note')?.textContent?.startsWith(`PCA 2-D of all ${n} points`);
        return data === 'failed' || failed || drawn;
      },
      rows.toLocaleString('en-US'),
      { timeout: 600_000, polling: 20 },
    );
    // The map is drawn on the next animation frame.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const total = performance.now() - started;
    const status = await page.locator('#data-status').textContent();
    if (!status?.includes('vectors from')) throw new Error(`the page did not load the file: ${status}`);
    const note = (await page.locator('#projection-note').textContent()) ?? '';
    if (!note.startsWith(`PCA 2-D of all ${rows.toLocaleString('en-US')} points`))
      throw new Error(
        `the page did not draw the PCA map: ${await page.locator('#projector-status').textContent()} (${note})`,
      );
    // The worker's own parse time (file stream → vectors), as the page reports it.
    const parsed = 1000 * Number(/read in ([\d.]+) s/.exec(status)?.[1] ?? Number.NaN);
    const renderer = await page.locator('#projector-canvas').getAttribute('data-renderer');
    console.log(
      `${status}\n${note}\nparse ${(parsed / 1000).toFixed(2)} s, total ${(total / 1000).toFixed(2)} s, tfjs on ${backend} (${threads} thread${threads === 1 ? '' : 's'}), dots by ${renderer}`,
    );
    record(
      {
        benchmark: 'web-load-vectors',
        workload: `${rows.toLocaleString('en-US')} × ${dim} word2vec binary opened in the page → PCA 2-D drawn (Chromium, headless)`,
        seconds: total / 1000,
        peer: 'none',
        peerSeconds: null,
        backend: `${backend} on ${threads} thread${threads === 1 ? '' : 's'} (page), dots by ${renderer}`,
        note: `parse in the worker ${(parsed / 1000).toFixed(2)} s`,
      },
      command,
    );
  } finally {
    await browser?.close();
    serve.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
