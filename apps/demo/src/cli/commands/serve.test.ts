import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const main = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/cli/main.js');

let dir: string;
let tour: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-serve-cli-'));
  tour = join(dir, 'tour');
  await import('node:fs/promises').then((fs) => fs.mkdir(tour));
  await writeFile(join(tour, 'web-data.json'), '{"format":"wordloom-web-data"}');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts the built `wordloom serve` and resolves once it printed its URL. */
function serve(args: string[]) {
  const child = spawn(process.execPath, [main, 'serve', '--dir', tour, '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const started = new Promise<{ url: string }>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(JSON.parse(out.split('\n')[0]));
    });
    child.once('exit', (code) => fail(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { started, stop, stderr: () => stderr };
}

function get(url: string, path: string, host: string) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; body: string }>((ok, fail) => {
    const req = request({ host: hostname, port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

// Serving the page itself is driven in Chromium by e2e/web-page.test.ts.
describe('wordloom serve', () => {
  it('refuses a folder without tour output, saying what to run', () => {
    const r = runCli(['serve', '--dir', dir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `wordloom: '${dir}' holds no tour output (web-data.json is missing): run \`wordloom tour --out ${dir}\` first\n`,
    );
  });

  it('names a bad port and a bad --allowed-host', () => {
    const r = runCli(['serve', '--dir', dir, '--port', '70000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'wordloom: --port: 70000 is out of range (expected an integer >= 0 and <= 65535)\n',
    );
    const h = runCli(['serve', '--dir', dir, '--allowed-host', 'http://evil/']);
    expect(h.code).toBe(1);
    expect(h.stderr).toMatch(/^wordloom: --allowed-host: not a host name: "http:\/\/evil\/"/);
  });

  it('answers localhost and --allowed-host names, refuses other Host headers with 403, no warning on loopback', async () => {
    const s = serve(['--allowed-host', 'wordloom.test', '--allowed-host', '.lab.example']);
    try {
      const { url } = await s.started;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      for (const host of ['localhost', '127.0.0.1', 'wordloom.test', 'gpu.lab.example'])
        expect((await get(url, '/data/web-data.json', host)).status, host).toBe(200);
      // The page itself, from dist/web (found from the package root by the bundled CLI).
      const page = await get(url, '/', 'localhost');
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/^<!doctype html>/i);
      const evil = await get(url, '/data/web-data.json', 'rebind.evil.example');
      expect(evil.status).toBe(403);
      expect(evil.body).not.toContain('wordloom-web-data');
    } finally {
      await s.stop();
    }
    expect(s.stderr()).not.toMatch(/warning/);
  });

  it('warns on stderr when bound to a non-loopback address', async () => {
    const s = serve(['--host', '0.0.0.0']);
    try {
      await s.started;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await s.stop();
    }
    expect(s.stderr()).toMatch(/^wordloom: warning: serving on 0\.0\.0\.0, reachable from other machines/);
  });
});
