/**
 * A minimal WebAssembly binary assembler: the encodings and opcodes wordloom's hand-written SIMD
 * kernels (word2vec/GloVe in @wordloom/embeddings, sgemm and LSTM gates in @wordloom/rnn) are built
 * from. Kernels are byte arrays assembled at run time, so no .wasm file has to be shipped or fetched.
 * Encodings follow the WebAssembly core spec §5 (binary format) and the fixed-width SIMD proposal.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A section: id, byte length, body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A vector: count, then the items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A name: byte length, then its (ASCII) bytes. */
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
/** A function body: its locals as `[count, type]` runs, the code, `end`, prefixed by its size. */
export function body(locals: Array<[number, number]>, code: number[]): number[] {
  const b = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, end];
  return [...uleb(b.length), ...b];
}
/** A whole module: the `\0asm` magic, version 1, then the sections in order. */
export const wasmModule = (...sections: number[][]): Uint8Array =>
  new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);

// Control and locals.
export const block = [0x02, 0x40];
export const loop = [0x03, 0x40];
export const end = 0x0b;
export const br = (depth: number) => [0x0c, depth];
export const brIf = (depth: number) => [0x0d, depth];
export const get = (local: number) => [0x20, local];
export const set = (local: number) => [0x21, local];

// Scalar arithmetic.
export const i32const = (v: number) => [0x41, ...sleb(v)];
export const f32const = (v: number) => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
export const i32add = 0x6a;
export const i32sub = 0x6b;
export const i32mul = 0x6c;
export const i32eqz = 0x45;
export const i32geS = 0x4e;
export const f32add = 0x92;

// SIMD (0xfd prefix) on f32x4 unless named otherwise.
export const simd = (op: number, ...immediates: number[]) => [0xfd, ...uleb(op), ...immediates];
export const splat = simd(0x13);
export const lane = (i: number) => simd(0x1f, i);
export const fadd = simd(0xe4);
export const fsub = simd(0xe5);
export const fmul = simd(0xe6);
export const fdiv = simd(0xe7);
export const fsqrt = simd(0xe3);
export const fneg = simd(0xe1);
/** f32x4.pmin / pmax: one minps/maxps (f32x4.min/max compile to NaN-fixing sequences in V8). */
export const fmin = simd(0xea);
export const fmax = simd(0xeb);
export const i32x4splat = simd(0x11);
export const i32x4add = simd(0xae);
export const i32x4shl = simd(0xab);
