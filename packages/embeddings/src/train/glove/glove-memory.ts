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
  'packed',
] as const;

/** Arrays of a GloVe state; the caller fills them. */
export type GloveArrays = Omit<GloveState, 'dim' | 'xMax' | 'alpha'>;

/**
 * Byte offsets of a GloVe state in one memory (glove-epoch.ts reads them from the configuration block):
 * the configuration, `slots` results, the parameters, then the entries (`values`, `cols`, `rows`) and
 * the values of X last.
 */
export interface GloveLayout {
  v: number;
  dim: number;
  nonZeros: number;
  /** Distinct values of X stored once each, or null: log X and h(X) per entry. */
  distinct: number | null;
  /** 32-bit word indices (more than 65,536 words), else 16-bit. */
  wide: boolean;
  /** 0, or the bits of a word index in a packed entry (6 bytes: `values` and `cols`, no `rows`). */
  packed: number;
  slots: number;
  config: number;
  results: number;
  w: number;
  wt: number;
  gw: number;
  gwt: number;
  b: number;
  bt: number;
  gb: number;
  gbt: number;
  rows: number;
  cols: number;
  /** 0 when `distinct` is null. */
  values: number;
  logs: number;
  weights: number;
  /** The first byte after the state. */
  end: number;
}

/** The configuration block and the results: the parameters (and the counting's scratch) start after them. */
function header(slots: number): { layout: MemoryLayout; config: number; results: number } {
  const layout = new MemoryLayout();
  const config = layout.take(4 * CONFIG_FIELDS.length);
  const results = layout.take(8 * slots);
  return { layout, config, results };
}

/** The byte offset of W: where the counting of `trainGloveOnCorpus` puts its scratch. */
export function gloveParametersAt(slots: number): number {
  return header(slots).layout.take(0);
}

/**
 * The layout of `v` words × `dim`, `nonZeros` entries and `distinct` values of X (null: per entry) with
 * `slots` results. Word indices take 2 bytes per entry for at most 65,536 words, 4 beyond; with
 * `distinct`, log X (f64) and h(X) (f32) are stored once per distinct value and an entry holds a u32
 * index to them: 8 or 12 bytes per entry (i, j, index) plus 12 per distinct value; with null they are
 * stored per entry: 16 or 20 bytes. With `packed` = b > 0 (16-bit indices and a value index, which fit
 * in 48 bits: 2b + bits of the index ≤ 48), an entry is 6 bytes, i + 2ᵇ·j + 2²ᵇ·v: its low 32 bits in
 * `values`, the high 16 in `cols`, and `rows` takes nothing. The entries (`values`, `cols`, `rows` in
 * this order) start at `entriesFrom` when the parameters end before it (the counting's scratch lies
 * under the parameters and ends there).
 * @default entriesFrom 0
 * @default packed 0
 */
export function gloveLayout(
  v: number,
  dim: number,
  nonZeros: number,
  distinct: number | null,
  slots: number,
  entriesFrom = 0,
  packed = 0,
): GloveLayout {
  const { layout, config, results } = header(slots);
  const wide = v > 65536;
  const indexBytes = wide ? 4 : 2;
  const matrix = v * dim * 4;
  const w = layout.take(matrix);
  const wt = layout.take(matrix);
  const gw = layout.take(matrix);
  const gwt = layout.take(matrix);
  const b = layout.take(4 * v);
  const bt = layout.take(4 * v);
  const gb = layout.take(4 * v);
  const gbt = layout.take(4 * v);
  if (layout.size < entriesFrom) layout.take(entriesFrom - layout.size);
  const values = distinct === null ? 0 : layout.take(4 * nonZeros);
  const cols = layout.take(indexBytes * nonZeros);
  const rows = packed ? 0 : layout.take(indexBytes * nonZeros);
  const valueCount = distinct ?? nonZeros;
  const logs = layout.take(8 * valueCount);
  const weights = layout.take(4 * valueCount);
  return {
    ...{ v, dim, nonZeros, distinct, wide, packed, slots, config, results },
    ...{ w, wt, gw, gwt, b, bt, gb, gbt, rows, cols, values, logs, weights },
    end: layout.size,
  };
}

/**
 * The arrays of `layout` as views of `buffer` (its configuration block written), for the compiled kernel
 * over `memory` when given. The arrays hold whatever `buffer` held: fresh memory is zero.
 */
export function viewGlove(
  buffer: ArrayBufferLike,
  l: GloveLayout,
  memory: WebAssembly.Memory | null,
): GloveArrays {
  const words = new Uint32Array(buffer, l.config, CONFIG_FIELDS.length);
  CONFIG_FIELDS.forEach((name, k) => {
    words[k] = (name === 'wide' ? (l.wide ? 1 : 0) : l[name]) >>> 0;
  });
  const { v, dim, nonZeros } = l;
  const valueCount = l.distinct ?? nonZeros;
  const f32 = (offset: number, n: number) => new Float32Array(buffer, offset, n);
  const index = (offset: number) =>
    l.wide ? new Int32Array(buffer, offset, nonZeros) : new Uint16Array(buffer, offset, nonZeros);
  return {
    w: f32(l.w, v * dim),
    wt: f32(l.wt, v * dim),
    gw: f32(l.gw, v * dim),
    gwt: f32(l.gwt, v * dim),
    b: f32(l.b, v),
    bt: f32(l.bt, v),
    gb: f32(l.gb, v),
    gbt: f32(l.gbt, v),
    rows: l.packed ? new Uint16Array(0) : index(l.rows),
    cols: index(l.cols),
    values: l.distinct === null ? null : new Uint32Array(buffer, l.values, nonZeros),
    logs: new Float64Array(buffer, l.logs, valueCount),
    weights: f32(l.weights, valueCount),
    nonZeros,
    packed: l.packed,
    ...(memory ? { wasm: { memory, config: l.config, results: l.results, slots: l.slots } } : {}),
  };
}

/**
 * Zero-filled arrays for a GloVe state of `v` words × `dim`, `nonZeros` entries and `distinct` values
 * of X ({@link gloveLayout}): in one WebAssembly memory of exactly the pages needed, with room for
 * `slots` threads, when `wasm` (shared between threads with `shared`; null when that memory cannot be
 * made), else in one ArrayBuffer.
 */
export function allocateGlove(
  v: number,
  dim: number,
  nonZeros: number,
  distinct: number | null,
  options: { wasm: boolean; slots: number; shared: boolean },
): GloveArrays | null {
  const layout = gloveLayout(v, dim, nonZeros, distinct, options.slots);
  if (!options.wasm) return viewGlove(new ArrayBuffer(layout.end), layout, null);
  const sized = new MemoryLayout();
  sized.take(layout.end);
  const memory = sized.create(options.shared);
  return memory ? viewGlove(memory.buffer, layout, memory) : null;
}
