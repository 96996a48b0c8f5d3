import { MemoryLayout } from '../../simd/memory-layout.js';
import type { GloveState } from './glove-kernel.js';

/** The configuration block's i32 fields in order: their byte offsets are 4 × index (glove-epoch.ts). */
const CONFIG_FIELDS = [
  'dim',
  'w',
  'wt',
  'gw',
  'gwt',
  'b',
  'bt',
  'gb',
  'gbt',
  'rows',
  'cols',
  'logs',
  'weights',
  'wide',
  'values',
] as const;

/** Arrays of a GloVe state, zero-filled; the caller fills them. */
export type GloveArrays = Omit<GloveState, 'dim' | 'xMax' | 'alpha'>;

/**
 * Zero-filled arrays for a GloVe state of `v` words × `dim` and `nonZeros` entries: in one WebAssembly
 * memory with room for `slots` threads when `wasm` (shared between threads with `shared`; null when that
 * memory cannot be made), else plain typed arrays. Word indices take 2 bytes per entry for at most
 * 65,536 words, 4 beyond. With `distinct` (the number of distinct values of X), log X (f64) and h(X)
 * (f32) are stored once per distinct value and an entry holds a u32 index to them: 8 or 12 bytes per
 * entry (i, j, index) plus 12 per distinct value; with null they are stored per entry: 16 or 20 bytes.
 */
export function allocateGlove(
  v: number,
  dim: number,
  nonZeros: number,
  distinct: number | null,
  options: { wasm: boolean; slots: number; shared: boolean },
): GloveArrays | null {
  const wide = v > 65536;
  const valueCount = distinct ?? nonZeros;
  const indexBytes = wide ? 4 : 2;
  const index = (b: ArrayBufferLike, offset: number) =>
    wide ? new Int32Array(b, offset, nonZeros) : new Uint16Array(b, offset, nonZeros);
  if (!options.wasm) {
    const f32 = (n: number) => new Float32Array(n);
    return {
      w: f32(v * dim),
      wt: f32(v * dim),
      gw: f32(v * dim),
      gwt: f32(v * dim),
      b: f32(v),
      bt: f32(v),
      gb: f32(v),
      gbt: f32(v),
      rows: index(new ArrayBuffer(nonZeros * indexBytes), 0),
      cols: index(new ArrayBuffer(nonZeros * indexBytes), 0),
      values: distinct === null ? null : new Uint32Array(nonZeros),
      logs: new Float64Array(valueCount),
      weights: f32(valueCount),
      nonZeros,
    };
  }
  const layout = new MemoryLayout();
  const config = layout.take(4 * CONFIG_FIELDS.length);
  const matrix = v * dim * 4;
  const at = {
    w: layout.take(matrix),
    wt: layout.take(matrix),
    gw: layout.take(matrix),
    gwt: layout.take(matrix),
    b: layout.take(4 * v),
    bt: layout.take(4 * v),
    gb: layout.take(4 * v),
    gbt: layout.take(4 * v),
    rows: layout.take(indexBytes * nonZeros),
    cols: layout.take(indexBytes * nonZeros),
    values: distinct === null ? 0 : layout.take(4 * nonZeros),
    logs: layout.take(8 * valueCount),
    weights: layout.take(4 * valueCount),
  };
  const results = layout.take(8 * options.slots);
  const memory = layout.create(options.shared);
  if (!memory) return null;
  const buffer = memory.buffer;
  const words = new Uint32Array(buffer, config, CONFIG_FIELDS.length);
  const fields: Record<(typeof CONFIG_FIELDS)[number], number> = { dim, ...at, wide: wide ? 1 : 0 };
  CONFIG_FIELDS.forEach((name, k) => {
    words[k] = fields[name] >>> 0;
  });
  const f32 = (offset: number, n: number) => new Float32Array(buffer, offset, n);
  return {
    w: f32(at.w, v * dim),
    wt: f32(at.wt, v * dim),
    gw: f32(at.gw, v * dim),
    gwt: f32(at.gwt, v * dim),
    b: f32(at.b, v),
    bt: f32(at.bt, v),
    gb: f32(at.gb, v),
    gbt: f32(at.gbt, v),
    rows: index(buffer, at.rows),
    cols: index(buffer, at.cols),
    values: distinct === null ? null : new Uint32Array(buffer, at.values, nonZeros),
    logs: new Float64Array(buffer, at.logs, valueCount),
    weights: f32(at.weights, valueCount),
    nonZeros,
    wasm: { memory, config, results, slots: options.slots },
  };
}
