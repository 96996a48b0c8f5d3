// The browser route: Vite bundles a page of the consumer project (tfjs-core + backend-cpu + the package,
// resolved from the project's node_modules), one headless Chromium loads every page over HTTP.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from './workspace.mjs';

const CHROMIUM = '/usr/bin/chromium';

/** Imports a tool (vite, playwright-core) installed in the workspace, wherever pnpm linked it. */
async function workspaceTool(name) {
  for (const from of ['package.json', 'apps/demo/package.json', 'bench/package.json']) {
    try {
      const path = createRequire(join(ROOT, from)).resolve(name);
      const module = await import(pathToFileURL(path).href);
      // CommonJS tools (playwright-core) put their API on the default export.
      return { ...module.default, ...module };
    } catch {
      // not linked there
    }
  }
  throw new Error(`${name} is not installed in the workspace (run pnpm install)`);
}

/** Bundles `<dir>/index.html` with Vite (production, minified) into `<dir>/<outDir>`. */
export async function bundlePage(dir, outDir = 'web-dist') {
  const { build } = await workspaceTool('vite');
  await build({
    root: dir,
    base: './',
    configFile: false,
    logLevel: 'silent',
    cacheDir: join(dir, '.vite'),
    build: { outDir: join(dir, outDir), emptyOutDir: true, reportCompressedSize: false },
  });
  return bundleSize(join(dir, outDir));
}

/**
 * Bundles `entry` as a browser library (ES, minified) with tfjs excluded, into `outDir`: the weight a
 * package adds on top of the app's own tfjs-core.
 */
export async function bundleLibrary(dir, entry, outDir) {
  const { build } = await workspaceTool('vite');
  await build({
    root: dir,
    configFile: false,
    logLevel: 'error',
    cacheDir: join(dir, '.vite'),
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      reportCompressedSize: false,
      lib: { entry, formats: ['es'], fileName: 'bundle' },
      // `#tfjs-core` is the packages' private name for tfjs-core (see scripts/build-library.mjs).
      rollupOptions: { external: [/^@tensorflow\//, /^#tfjs-core$/] },
    },
  });
  return bundleSize(outDir);
}

/** Bytes of the JavaScript in a Vite output folder: minified, and gzip -9 of each file summed. */
export function bundleSize(outDir) {
  let bytes = 0;
  let gzip = 0;
  const visit = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.[cm]?js$/.test(entry.name)) {
        const content = readFileSync(path);
        bytes += content.length;
        gzip += gzipSync(content, { level: 9 }).length;
      }
    }
  };
  visit(outDir);
  return { bytes, gzip };
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** A static file server for `root` on 127.0.0.1 (random port). */
export async function serve(root) {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url, 'http://x').pathname)));
    const file =
      path.startsWith(root) && existsSync(path) && statSync(path).isDirectory()
        ? join(path, 'index.html')
        : path;
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** One headless Chromium (Debian's), shared by every page of the run. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  const { chromium } = await workspaceTool('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/**
 * Opens `url` and waits for the page to set `document.body.dataset.status` (see scenarios/page.js);
 * resolves with what the page printed and the errors it raised.
 */
export async function loadPage(browser, url, timeout = 90_000) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body?.dataset.status, null, { timeout });
    const status = await page.evaluate(() => document.body.dataset.status);
    const text = await page.evaluate(() => document.getElementById('out')?.textContent ?? '');
    return { status, text, errors };
  } catch (error) {
    return { status: 'timeout', text: String(error.message ?? error), errors };
  } finally {
    await page.close();
  }
}
