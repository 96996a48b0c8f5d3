import type { WebDataManifest } from '../tour/web-data.js';
import { fetchCapped, fetchJson } from './fetch-capped.js';
import { MAX_FILE_BYTES, MAX_MANIFEST_BYTES } from './limits.js';

/** The tour's output as the page sees it: under `/data/`, each file capped at the size the tour recorded. */
export class WebData {
  private constructor(readonly manifest: WebDataManifest) {}

  /** Reads `/data/web-data.json`. */
  static async load(base = 'data/'): Promise<WebData> {
    const manifest = await fetchJson<WebDataManifest>(`${base}web-data.json`, MAX_MANIFEST_BYTES);
    if (manifest?.format !== 'wordloom-web-data' || manifest.version !== 1)
      throw new Error(
        'data/web-data.json is not a wordloom tour manifest (version 1): run `wordloom tour` again',
      );
    return new WebData(manifest);
  }

  /** Bytes of a file the manifest lists (never more than it recorded, nor than {@link MAX_FILE_BYTES}). */
  bytes(path: string): Promise<Uint8Array> {
    const size = this.manifest.sizes[path];
    if (size === undefined) throw new Error(`${path} is not listed in web-data.json`);
    return fetchCapped(`data/${path}`, Math.min(size, MAX_FILE_BYTES));
  }

  /** A listed JSON file. */
  async json<T>(path: string): Promise<T> {
    return JSON.parse(new TextDecoder().decode(await this.bytes(path))) as T;
  }
}
