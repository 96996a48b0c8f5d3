import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';
import { type RunningServer, resolveStaticPath, startStaticServer } from './static-server.js';

let root: string;
let server: RunningServer;

/** A raw request: the path goes on the wire as given (fetch would normalise `..`). */
function get(path: string, method = 'GET', host?: string, on: RunningServer = server) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((ok, fail) => {
    const headers = host === undefined ? {} : { Host: host };
    const req = request({ host: '127.0.0.1', port: on.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wordloom-serve-'));
  await mkdir(join(root, 'web/assets'), { recursive: true });
  await mkdir(join(root, 'data/sub'), { recursive: true });
  await writeFile(join(root, 'web/index.html'), '<!doctype html><title>page</title>');
  await writeFile(join(root, 'web/assets/a.wasm'), new Uint8Array([0, 97, 115, 109]));
  await writeFile(join(root, 'data/sub/x.json'), '{"ok":true}');
  await writeFile(join(root, 'data/big.bin'), new Uint8Array(2000));
  await writeFile(join(root, 'data/.hidden'), 'secret');
  await writeFile(join(root, 'secret.txt'), 'outside');
  await symlink(join(root, 'secret.txt'), join(root, 'data/link.txt'));
  server = await startStaticServer({
    mounts: [
      { prefix: '/', dir: join(root, 'web') },
      { prefix: '/data/', dir: join(root, 'data') },
    ],
    port: 0,
    maxFileBytes: 1000,
  });
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('startStaticServer', () => {
  it('binds to 127.0.0.1 and serves index.html with the CSP and nosniff headers', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>page</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves mounted data and wasm with their MIME types', async () => {
    const json = await get('/data/sub/x.json');
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body)).toEqual({ ok: true });
    expect((await get('/assets/a.wasm')).headers['content-type']).toBe('application/wasm');
  });

  it('refuses traversal, encoded traversal, dot-files and symlinks out of the folder', async () => {
    for (const path of [
      '/data/../secret.txt',
      '/data/%2e%2e/secret.txt',
      '/data/..%2fsecret.txt',
      '/data/sub/..%2F..%2F..%2Fsecret.txt',
    ])
      expect([400, 403, 404], path).toContain((await get(path)).status);
    expect((await get('/data/..%2fsecret.txt')).status).toBe(403);
    expect((await get('/data/.hidden')).status).toBe(403);
    const link = await get('/data/link.txt');
    expect(link.status).toBe(403);
    expect(link.body).not.toContain('outside');
    expect((await get('/data/%00x')).status).toBe(400);
    expect((await get('/data/%E0%A4%A')).status).toBe(400);
  });

  it('answers 404, 405, 413 and 414 where due', async () => {
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/data/sub')).status).toBe(404);
    const post = await get('/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get('/data/big.bin')).status).toBe(413);
    expect((await get(`/${'a'.repeat(3000)}`)).status).toBe(414);
  });

  it('resolveStaticPath maps a prefix to index.html and rejects a path outside every mount', async () => {
    const mounts = [{ prefix: '/data/', dir: join(root, 'data') }];
    await expect(resolveStaticPath(mounts, '/data/sub/x.json')).resolves.toMatchObject({ size: 11 });
    await expect(resolveStaticPath(mounts, '/other')).rejects.toMatchObject({ status: 404 });
  });

  it('answers localhost names and IP literals, and refuses any other Host with 403 (DNS rebinding)', async () => {
    for (const host of [
      'localhost',
      `localhost:${server.port}`,
      'app.localhost',
      '127.0.0.1',
      '[::1]:80',
      '10.0.0.7',
      'LOCALHOST.',
    ])
      expect((await get('/', 'GET', host)).status, host).toBe(200);
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'a b',
    ]) {
      const res = await get('/data/sub/x.json', 'GET', host);
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('"ok"');
    }
    expect((await get('/', 'GET', 'evil.example')).body).toMatch(
      /^Blocked request: host 'evil\.example' is not allowed\. To serve it, start with --allowed-host evil\.example/,
    );
  });

  it('answers the hosts given in allowedHosts (a leading dot covers subdomains)', async () => {
    const other = await startStaticServer({
      mounts: [{ prefix: '/', dir: join(root, 'web') }],
      port: 0,
      allowedHosts: ['wordloom.test', '.lab.example'],
    });
    try {
      for (const host of ['wordloom.test', 'lab.example', 'gpu.lab.example:8080'])
        expect((await get('/', 'GET', host, other)).status, host).toBe(200);
      for (const host of ['other.test', 'xlab.example'])
        expect((await get('/', 'GET', host, other)).status, host).toBe(403);
    } finally {
      await other.close();
    }
    await expect(
      startStaticServer({ mounts: [{ prefix: '/', dir: root }], allowedHosts: ['http://x'] }),
    ).rejects.toThrow(/allowedHosts/);
  });

  it('rejects bad options by name', async () => {
    await expect(startStaticServer({ mounts: [] })).rejects.toThrow(/mounts/);
    await expect(startStaticServer({ mounts: [{ prefix: 'x', dir: root }] })).rejects.toThrow(/prefix/);
  });
});
