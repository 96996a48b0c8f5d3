import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { assertInteger, InvalidArgumentError, WordloomError } from '@wordloom/core';
import { contentTypeOf } from './content-types.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** A folder served under a URL prefix. */
export interface StaticMount {
  /** URL prefix, starting and ending with `/` (`/` for the site root, `/data/` for the tour's output). */
  prefix: string;
  /** Folder whose files are served; nothing outside it ever is. */
  dir: string;
}

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /** Folders to serve; the longest matching prefix wins. */
  mounts: StaticMount[];
  /** Interface to bind; the default keeps the server private to this machine. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one. @default 5173 */
  port?: number;
  /** Files larger than this are refused (413). @default 256 MiB */
  maxFileBytes?: number;
  /** Longer request URLs are refused (414). @default 2048 */
  maxUrlLength?: number;
  /**
   * Host names accepted in the `Host` header besides the defaults — `localhost`, `*.localhost`, IP
   * literals (`127.0.0.1`, `[::1]`, the bound address, any other) — as Vite's `server.allowedHosts`.
   * Requests for any other host get 403: a web page on another site that re-points its DNS name at
   * this machine (DNS rebinding) sends its own name as `Host` and cannot read what is served.
   * @default []
   */
  allowedHosts?: string[];
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5173/`. */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/** Why a request path was refused, as an HTTP status. */
export class RefusedPathError extends WordloomError {
  constructor(
    readonly status: 400 | 403 | 404 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'RefusedPathError';
  }
}

const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

function checkAllowedHosts(hosts: unknown): string[] {
  if (!Array.isArray(hosts))
    throw new InvalidArgumentError('allowedHosts', 'startStaticServer', 'an array of host names', hosts);
  for (const h of hosts)
    if (typeof h !== 'string' || !/^\.?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(h))
      throw new InvalidArgumentError(
        'allowedHosts',
        'startStaticServer',
        'host names such as example.com or .example.com',
        h,
      );
  return hosts as string[];
}

/** Printable ASCII only: a Host header is attacker-chosen text echoed in the response. */
function sanitize(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, '?').slice(0, 100);
}

function checkMounts(mounts: StaticMount[]): StaticMount[] {
  if (!Array.isArray(mounts) || mounts.length === 0)
    throw new InvalidArgumentError(
      'mounts',
      'startStaticServer',
      'a non-empty array of {prefix, dir}',
      mounts,
    );
  for (const m of mounts) {
    if (typeof m.prefix !== 'string' || !m.prefix.startsWith('/') || !m.prefix.endsWith('/'))
      throw new InvalidArgumentError(
        'mounts.prefix',
        'startStaticServer',
        "a URL path starting and ending with '/'",
        m.prefix,
      );
  }
  return [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
}

/**
 * Maps a request path (percent-encoded, as in the request line) to a file inside one of the mounts, or
 * throws {@link RefusedPathError}: undecodable or NUL/backslash paths (400), `..`/`.` segments,
 * dot-files and anything whose real path (symlinks resolved) leaves its folder (403), missing files and
 * folders (404), files above `maxFileBytes` (413). `/` and `prefix/` serve that folder's `index.html`.
 */
export async function resolveStaticPath(
  mounts: StaticMount[],
  requestPath: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ file: string; size: number }> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    throw new RefusedPathError(400, 'malformed percent-encoding');
  }
  if (decoded.includes('\0') || decoded.includes('\\'))
    throw new RefusedPathError(400, 'invalid character in path');
  const mount = checkMounts(mounts).find((m) => decoded.startsWith(m.prefix));
  if (!mount) throw new RefusedPathError(404, 'not found');
  const rest = decoded.slice(mount.prefix.length);
  const segments = rest === '' ? ['index.html'] : rest.split('/');
  if (segments[segments.length - 1] === '') segments[segments.length - 1] = 'index.html';
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.startsWith('.'))
      throw new RefusedPathError(403, 'path refused');
  }
  let root: string;
  let file: string;
  try {
    root = await realpath(mount.dir);
    file = await realpath(resolve(root, ...segments));
  } catch {
    throw new RefusedPathError(404, 'not found');
  }
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
    throw new RefusedPathError(403, 'path refused');
  const info = await stat(file);
  if (!info.isFile()) throw new RefusedPathError(404, 'not found');
  if (info.size > maxFileBytes) throw new RefusedPathError(413, `file larger than ${maxFileBytes} bytes`);
  return { file, size: info.size };
}

/**
 * The host name of a `Host` header, lower-cased, without its port or a trailing dot (`[::1]:5173` →
 * `[::1]`); null when there is none or it is malformed.
 */
export function hostOf(header: string | undefined): string | null {
  if (header === undefined || header.length === 0 || header.length > 255) return null;
  const h = header.trim().toLowerCase();
  const m = h.startsWith('[')
    ? /^(\[[0-9a-f:.]+\])(?::\d{1,5})?$/.exec(h)
    : /^([^:\s/@]+?)(?::\d{1,5})?$/.exec(h);
  if (!m) return null;
  return m[1].endsWith('.') ? m[1].slice(0, -1) : m[1];
}

/**
 * True when a request for `host` may be answered: a localhost name, an IP literal (a DNS-rebinding
 * page can only send a domain name it controls), or one of `allowed` (exact names, or `.example.com`
 * for the domain and its subdomains, as Vite).
 */
export function isAllowedHost(host: string | null, allowed: readonly string[]): boolean {
  if (host === null) return false;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.startsWith('[') || isIP(host) !== 0) return true;
  for (const a of allowed) {
    const name = a.toLowerCase();
    if (name === host) return true;
    if (name.startsWith('.') && (host === name.slice(1) || host.endsWith(name))) return true;
  }
  return false;
}

/** True for an address that only this machine can reach (loopback). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1'
  );
}

function send(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
  res.end(`${text}\n`);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: Required<StaticServerOptions>,
): Promise<void> {
  const host = hostOf(req.headers.host);
  if (!isAllowedHost(host, options.allowedHosts)) {
    const name = host ?? String(req.headers.host ?? '');
    send(
      res,
      403,
      `Blocked request: host '${sanitize(name)}' is not allowed. To serve it, start with --allowed-host ${sanitize(name)}`,
    );
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const url = req.url ?? '/';
  if (url.length > options.maxUrlLength) {
    send(res, 414, 'URL too long');
    return;
  }
  // Only the path matters; the query string is ignored (the page passes none).
  const path = url.split('?')[0].split('#')[0];
  try {
    const { file, size } = await resolveStaticPath(options.mounts, path, options.maxFileBytes);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(size),
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  } catch (error) {
    if (error instanceof RefusedPathError) send(res, error.status, error.message);
    else send(res, 500, 'internal error');
  }
}

/**
 * Serves static files over HTTP (GET and HEAD only), for `wordloom serve`: bound to 127.0.0.1 by
 * default, every response with the page's Content-Security-Policy and `nosniff`, no directory listings,
 * nothing outside the mounted folders (see {@link resolveStaticPath}), size-capped files and URLs.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const resolved: Required<StaticServerOptions> = {
    mounts: checkMounts(options.mounts),
    host: options.host ?? '127.0.0.1',
    port: assertInteger(options.port ?? 5173, 'port', 'startStaticServer', 0, 65535),
    maxFileBytes: assertInteger(
      options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      'maxFileBytes',
      'startStaticServer',
      1,
    ),
    maxUrlLength: assertInteger(options.maxUrlLength ?? 2048, 'maxUrlLength', 'startStaticServer', 16),
    allowedHosts: checkAllowedHosts(options.allowedHosts ?? []),
  };
  // The bound name is allowed too when it is a name (an IP literal always is).
  if (isIP(resolved.host) === 0) resolved.allowedHosts = [...resolved.allowedHosts, resolved.host];
  const server: Server = createServer((req, res) => {
    handle(req, res, resolved).catch(() => res.destroy());
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new WordloomError(
              `port ${resolved.port} on ${resolved.host} is in use (pick another with --port)`,
            )
          : error,
      ),
    );
    server.listen(resolved.port, resolved.host, () => ok());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
