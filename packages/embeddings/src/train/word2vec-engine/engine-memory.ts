import { MemoryLayout } from '../../simd/memory-layout.js';
import type { EngineState } from './kernel.js';
import { createSigmoidTables, TABLE_SIZE } from './sigmoid-table.js';

/**
 * Where the compiled word2vec kernel (`assembly/word2vec-train.ts`) finds its state in the memory of an
 * {@link EngineState}: the configuration block, per-thread scratch and per-thread results.
 */
export interface EngineMemory {
  memory: WebAssembly.Memory;
  /** Byte offset of the configuration block (i32 words, in the order assembly/word2vec-train.ts reads them). */
  config: number;
  /**
   * Byte offset of thread 0's scratch (neu1, neu1e, a group's dots, a pair's targets, a sentence buffer:
   * see assembly/word2vec-train.ts); thread t's is `scratch + t·scratchStride`.
   */
  scratch: number;
  scratchStride: number;
  /** Byte offset of thread 0's results (loss, pairs, words, rng as f64); thread t's at `results + 32·t`. */
  results: number;
  /** Threads the scratch and result areas have room for. */
  slots: number;
}

/** The configuration block's i32 fields in order: their byte offsets are 4 × index (word2vec-train.ts). */
const CONFIG_FIELDS = [
  'dim',
  'sg',
  'hs',
  'negative',
  'window',
  'syn0',
  'syn1',
  'syn1neg',
  'table',
  'tableMask',
  'keep',
  'codes',
  'points',
  'codeOffsets',
  'codeLengths',
  'tokens',
  'starts',
  'sigmoid',
  'logSigmoid',
  'maxTargets',
] as const;

const { sigmoid: SIGMOID, logSigmoid: LOG_SIGMOID } = createSigmoidTables();

/**
 * Moves a plain engine state (typed arrays in JavaScript memory; `syn0` and the output layer are
 * copied as they are) into one WebAssembly memory with room for `slots` threads, shared between threads
 * with `shared`. Returns the state whose arrays are views of that memory, or null when the memory cannot
 * be made (over 4 GiB, or shared memory refused here).
 */
export function placeEngine(plain: EngineState, slots: number, shared: boolean): EngineState | null {
  const d = plain.dim;
  let longest = 0;
  for (let s = 0; s + 1 < plain.starts.length; s++)
    longest = Math.max(longest, plain.starts[s + 1] - plain.starts[s]);
  const layout = new MemoryLayout();
  const config = layout.take(4 * CONFIG_FIELDS.length);
  const sigmoid = layout.take(4 * (TABLE_SIZE + 1));
  const logSigmoid = layout.take(4 * (TABLE_SIZE + 1));
  const at = {
    syn0: layout.take(plain.syn0.byteLength),
    syn1: layout.take(plain.syn1.byteLength),
    syn1neg: layout.take(plain.syn1neg.byteLength),
    table: layout.take(plain.table.byteLength),
    keep: layout.take(plain.keep.byteLength),
    codes: layout.take(plain.codes.byteLength),
    points: layout.take(plain.points.byteLength),
    codeOffsets: layout.take(plain.codeOffsets.byteLength),
    codeLengths: layout.take(plain.codeLengths.byteLength),
    tokens: layout.take(plain.tokens.byteLength),
    starts: layout.take(plain.starts.byteLength),
  };
  // Most targets of a pair: the longest Huffman path (HS) or the word and its negatives (NS).
  let maxTargets = plain.negative + 1;
  for (let w = 0; w < plain.codeLengths.length; w++) maxTargets = Math.max(maxTargets, plain.codeLengths[w]);
  const scratchStride = Math.ceil((8 * d + 16 + 8 * maxTargets + 4 * longest) / 64) * 64;
  const scratch = layout.take(slots * scratchStride);
  const results = layout.take(32 * slots);
  const memory = layout.create(shared);
  if (!memory) return null;
  const buffer = memory.buffer;
  const place = <T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
    a: T,
    offset: number,
    make: (b: ArrayBufferLike, offset: number, length: number) => T,
  ): T => {
    const view = make(buffer, offset, a.length);
    view.set(a as never);
    return view;
  };
  const f32 = (b: ArrayBufferLike, o: number, n: number) => new Float32Array(b, o, n);
  const i32 = (b: ArrayBufferLike, o: number, n: number) => new Int32Array(b, o, n);
  const u8 = (b: ArrayBufferLike, o: number, n: number) => new Uint8Array(b, o, n);
  new Float32Array(buffer, sigmoid, TABLE_SIZE + 1).set(SIGMOID);
  new Float32Array(buffer, logSigmoid, TABLE_SIZE + 1).set(LOG_SIGMOID);
  const state: EngineState = {
    ...plain,
    syn0: place(plain.syn0, at.syn0, f32),
    syn1: place(plain.syn1, at.syn1, f32),
    syn1neg: place(plain.syn1neg, at.syn1neg, f32),
    table: place(plain.table, at.table, i32),
    keep: place(plain.keep, at.keep, (b, o, n) => new Float64Array(b, o, n)),
    codes: place(plain.codes, at.codes, u8),
    points: place(plain.points, at.points, i32),
    codeOffsets: place(plain.codeOffsets, at.codeOffsets, i32),
    codeLengths: place(plain.codeLengths, at.codeLengths, u8),
    tokens: place(plain.tokens, at.tokens, i32),
    starts: place(plain.starts, at.starts, i32),
    wasm: { memory, config, scratch, scratchStride, results, slots },
  };
  const fields: Record<(typeof CONFIG_FIELDS)[number], number> = {
    dim: d,
    sg: plain.sg,
    hs: plain.hs,
    negative: plain.negative,
    window: plain.window,
    ...at,
    tableMask: plain.table.length - 1,
    sigmoid,
    logSigmoid,
    maxTargets,
  };
  // Offsets above 2³¹ are stored as their uint32 bits (the kernel reads them as u32).
  const words = new Uint32Array(buffer, config, CONFIG_FIELDS.length);
  CONFIG_FIELDS.forEach((name, k) => {
    words[k] = fields[name] >>> 0;
  });
  return state;
}
