import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The consumer-test harness (plain ES modules at the repository root): same packing, install and bundling.
import { bundleLibrary, bundlePage } from '../../../e2e/consumers/lib/browser.mjs';
import { createProject, npmInstall } from '../../../e2e/consumers/lib/project.mjs';
import {
  libraryPackages,
  pack,
  ROOT,
  testedTfjsCore,
  withWordloomDependencies,
} from '../../../e2e/consumers/lib/workspace.mjs';
import { record } from '../harness.js';

// Bundle size of every library package, as a user's Vite build sees it (packed tarballs installed with
// npm outside the workspace, production build, minified; gzip -9 of each JS file summed):
//   - "whole": `export * from '@wordloom/<pkg>'` bundled as a browser library with tfjs external — the
//     most a package can add to an app that already has tfjs-core;
//   - "page": the consumer test's browser page (tfjs-core + tfjs-backend-cpu + the package's feature),
//     compared with the same page without wordloom (tfjs-core + backend-cpu + one op) — the peer.
// Sizes, not times: the row's wordloom / peer cells hold sizes (no ratio: the page contains the peer).

const SCENARIOS = join(ROOT, 'e2e/consumers/scenarios');

interface Size {
  bytes: number;
  gzip: number;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const both = (s: Size) => `${kib(s.gzip)} gzip (${kib(s.bytes)} min)`;

function html(title: string, script: string): string {
  return (
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><pre id="out"></pre><script type="module" src="./${script}"></script></body></html>\n`
  );
}

export default async function run(command: string): Promise<void> {
  const all = libraryPackages();
  const built = all.filter((p) => existsSync(join(p.dir, 'dist')));
  const skipped = all.filter((p) => !built.includes(p));
  if (skipped.length > 0) console.error(`not built, skipped: ${skipped.map((p) => p.name).join(', ')}`);
  const tested = all.map(testedTfjsCore).find(Boolean) as string;
  const work = mkdtempSync(join(tmpdir(), 'wordloom-bundle-size-'));
  const tarballs = new Map<string, Promise<string>>();
  const tarballOf = (p: (typeof all)[number]) => {
    if (!tarballs.has(p.name)) tarballs.set(p.name, pack(p, join(work, 'tarballs')));
    return tarballs.get(p.name) as Promise<string>;
  };
  const tfjs = [`@tensorflow/tfjs-core@${tested}`, `@tensorflow/tfjs-backend-cpu@${tested}`];
  let baseline: Size = { bytes: 0, gzip: 0 };
  try {
    // The peer: a page with only the user's tfjs-core and cpu backend.
    const baseDir = join(work, 'baseline');
    createProject(baseDir, 'baseline');
    await npmInstall(baseDir, tfjs);
    writeFileSync(join(baseDir, 'index.html'), html('baseline', 'main.js'));
    writeFileSync(
      join(baseDir, 'main.js'),
      "import '@tensorflow/tfjs-backend-cpu';\nimport * as tf from '@tensorflow/tfjs-core';\n" +
        "await tf.setBackend('cpu');\n" +
        "document.getElementById('out').textContent = String(tf.add(1, 2).dataSync()[0]);\n",
    );
    baseline = await bundlePage(baseDir);
    console.log(`baseline page (tfjs-core ${tested} + backend-cpu): ${both(baseline)}`);

    for (const pkg of built) {
      try {
        await measure(pkg);
      } catch (error) {
        console.error(`${pkg.name}: not measured: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  async function measure(pkg: (typeof all)[number]): Promise<void> {
    const dir = join(work, pkg.folder);
    createProject(dir, `size-of-${pkg.folder}`);
    const specs = await Promise.all(withWordloomDependencies(pkg, all).map(tarballOf));
    await npmInstall(dir, [...specs, ...tfjs]);

    mkdirSync(join(dir, 'whole'), { recursive: true });
    writeFileSync(join(dir, 'whole', 'entry.js'), `export * from '${pkg.name}';\n`);
    const whole: Size = await bundleLibrary(dir, join(dir, 'whole', 'entry.js'), join(dir, 'whole-dist'));

    let page: Size | null = null;
    if (existsSync(join(SCENARIOS, pkg.folder, 'browser.js'))) {
      copyFileSync(join(SCENARIOS, pkg.folder, 'browser.js'), join(dir, 'browser.js'));
      copyFileSync(join(SCENARIOS, 'page.js'), join(dir, 'page.js'));
      writeFileSync(join(dir, 'index.html'), html(pkg.name, 'browser.js'));
      page = await bundlePage(dir);
    }
    const workload =
      `${pkg.name} bundled by Vite for the browser from its npm-installed tarball; whole package ` +
      `(export *, tfjs external) ${both(whole)}` +
      (page == null
        ? '; no consumer-test page yet'
        : page.gzip < baseline.gzip
          ? `; consumer-test page ${both(page)} (it needs no tfjs)`
          : `; consumer-test page with tfjs-core + backend-cpu ${both(page)}, ` +
            `+${kib(page.gzip - baseline.gzip)} gzip over the peer page`);
    const shipped = page ?? whole;
    record(
      {
        benchmark: 'consumers-bundle-size',
        workload: `${pkg.name} bundled by Vite for the browser`,
        note: `${workload}; sizes, not times: all emitted JS incl. lazy chunks, minified, gzip -9`,
        seconds: shipped.gzip,
        value: both(shipped),
        peer: `page with only tfjs-core ${tested} + tfjs-backend-cpu`,
        peerSeconds: null,
        peerValue: both(baseline),
        backend: 'none (bundle size)',
      },
      command,
    );
    console.log(`${pkg.name}: whole ${both(whole)}${page ? `, page ${both(page)}` : ''}`);
  }
}
