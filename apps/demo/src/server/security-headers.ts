/**
 * The page's Content-Security-Policy: scripts, styles, data and wasm only from this origin; no inline
 * script, no eval (`'wasm-unsafe-eval'` only lets WebAssembly compile, which the tfjs wasm backend
 * needs); images also from `data:`/`blob:` (the drawing pad); no frames, no plugins, no form posts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // blob: for the tfjs wasm backend's threaded build: each of its pthread workers importScripts() the
  // backend's code from a blob: URL (a worker made from a blob: URL has the page's policy). Only the
  // page's own scripts can create a blob: URL of this origin, so no outside script gets in this way.
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  // blob: for wordloom's own kernel-pool workers (made from a Blob of its bundled source when the page
  // is cross-origin isolated) and the tfjs wasm backend's pthread workers; a blob URL can only be created
  // by the page's own scripts.
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers sent with every response of `wordloom serve`. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // COOP + COEP make the page cross-origin isolated (SharedArrayBuffer, precise timers for the page's own
  // workers); everything the page loads is same-origin, so require-corp blocks nothing it needs.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};
