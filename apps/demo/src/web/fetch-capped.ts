import { MAX_FILE_BYTES } from './limits.js';

/**
 * Fetches `url` as bytes, refusing more than `maxBytes` (checked against Content-Length first, then while
 * reading, so a lying server cannot exhaust memory).
 */
export async function fetchCapped(url: string, maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const declared = Number(response.headers.get('Content-Length') ?? Number.NaN);
  if (declared > maxBytes) throw new Error(`${url} is ${declared} bytes, more than the ${maxBytes} allowed`);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`${url} is larger than the ${maxBytes} bytes allowed`);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.byteLength;
  }
  return bytes;
}

/** {@link fetchCapped} parsed as JSON. */
export async function fetchJson<T>(url: string, maxBytes: number): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await fetchCapped(url, maxBytes))) as T;
}
