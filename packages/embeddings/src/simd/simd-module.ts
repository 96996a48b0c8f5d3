import {
  block,
  body,
  br,
  brIf,
  end,
  F32,
  f32add,
  fadd,
  fdiv,
  fmul,
  fsqrt,
  fsub,
  get,
  I32,
  i32add,
  i32const,
  i32eqz,
  i32sub,
  lane,
  loop,
  section,
  set,
  simd,
  splat,
  str,
  uleb,
  V128,
  vec,
  wasmModule,
} from '@wordloom/core/wasm';

/**
 * A tiny hand-assembled WebAssembly SIMD module with the three vector primitives of the word2vec inner
 * loop (gensim gets them from BLAS sdot/saxpy; V8 does not vectorise JS loops). All pointers are byte
 * offsets into the imported memory; `n` is a float count and must be a multiple of 4.
 *
 * - `dot(a, b, n) → f32`: Σ a[k]·b[k]
 * - `update(e, o, h, g, n)`: e[k] += g·o[k]; o[k] += g·h[k] (the SGNS/HS step, old o used for e)
 * - `update0(e, o, h, g, n)`: e[k] = g·o[k]; o[k] += g·h[k] (first update of a pair: no zeroing pass)
 * - `axpy(y, x, a, n)`: y[k] += a·x[k]
 * - `adagrad(w1, w2, g1, g2, f, n)`: the GloVe AdaGrad step of glove.c with t1 = f·w2, t2 = f·w1 (old
 *   values): w1 −= t1/√g1, w2 −= t2/√g2, g1 += t1², g2 += t2²
 */
export interface SimdKernels {
  dot(a: number, b: number, n: number): number;
  update(e: number, o: number, h: number, g: number, n: number): void;
  update0(e: number, o: number, h: number, g: number, n: number): void;
  axpy(y: number, x: number, a: number, n: number): void;
  adagrad(w1: number, w2: number, g1: number, g2: number, f: number, n: number): void;
}

const load = simd(0x00, 0x02, 0x00); // v128.load align=4 offset=0
const store = simd(0x0b, 0x02, 0x00);

/** `p += 16` for each local in `ptrs`, `n -= 4`. */
function advance(ptrs: number[], n: number): number[] {
  return [
    ...ptrs.flatMap((p) => [...get(p), ...i32const(16), i32add, ...set(p)]),
    ...get(n),
    ...i32const(4),
    i32sub,
    ...set(n),
  ];
}

/** The module's bytes; `shared` declares the imported memory shared (for worker threads). */
export function simdModuleBytes(shared: boolean, pages: number): Uint8Array {
  // dot(a=0, b=1, n=2) with two accumulators (3, 4) over 8 floats per step, then a 4-float tail.
  const dot = body(
    [[2, V128]],
    [
      ...block,
      ...loop,
      ...get(2),
      ...i32const(8),
      0x48, // i32.lt_s
      ...brIf(1),
      ...get(3),
      ...get(0),
      ...load,
      ...get(1),
      ...load,
      ...fmul,
      ...fadd,
      ...set(3),
      ...get(4),
      ...get(0),
      ...simd(0x00, 0x02, 0x10), // v128.load offset=16
      ...get(1),
      ...simd(0x00, 0x02, 0x10),
      ...fmul,
      ...fadd,
      ...set(4),
      ...get(0),
      ...i32const(32),
      i32add,
      ...set(0),
      ...get(1),
      ...i32const(32),
      i32add,
      ...set(1),
      ...get(2),
      ...i32const(8),
      i32sub,
      ...set(2),
      ...br(0),
      end,
      end,
      ...get(2),
      i32eqz,
      0x45, // i32.eqz → n != 0
      0x04,
      0x40, // if
      ...get(3),
      ...get(0),
      ...load,
      ...get(1),
      ...load,
      ...fmul,
      ...fadd,
      ...set(3),
      end,
      ...get(3),
      ...get(4),
      ...fadd,
      ...set(3),
      ...get(3),
      ...lane(0),
      ...get(3),
      ...lane(1),
      f32add,
      ...get(3),
      ...lane(2),
      ...get(3),
      ...lane(3),
      f32add,
      f32add,
    ],
  );
  // update(e=0, o=1, h=2, g=3, n=4), local gv=5.
  const update = body(
    [[1, V128]],
    [
      ...get(3),
      ...splat,
      ...set(5),
      ...block,
      ...loop,
      ...get(4),
      i32eqz,
      ...brIf(1),
      ...get(0),
      ...get(0),
      ...load,
      ...get(5),
      ...get(1),
      ...load,
      ...fmul,
      ...fadd,
      ...store,
      ...get(1),
      ...get(1),
      ...load,
      ...get(5),
      ...get(2),
      ...load,
      ...fmul,
      ...fadd,
      ...store,
      ...advance([0, 1, 2], 4),
      ...br(0),
      end,
      end,
    ],
  );
  // update0: as update, but e[k] = g·o[k].
  const update0 = body(
    [[1, V128]],
    [
      ...get(3),
      ...splat,
      ...set(5),
      ...block,
      ...loop,
      ...get(4),
      i32eqz,
      ...brIf(1),
      ...get(0),
      ...get(5),
      ...get(1),
      ...load,
      ...fmul,
      ...store,
      ...get(1),
      ...get(1),
      ...load,
      ...get(5),
      ...get(2),
      ...load,
      ...fmul,
      ...fadd,
      ...store,
      ...advance([0, 1, 2], 4),
      ...br(0),
      end,
      end,
    ],
  );
  // axpy(y=0, x=1, a=2, n=3), local av=4.
  const axpy = body(
    [[1, V128]],
    [
      ...get(2),
      ...splat,
      ...set(4),
      ...block,
      ...loop,
      ...get(3),
      i32eqz,
      ...brIf(1),
      ...get(0),
      ...get(0),
      ...load,
      ...get(4),
      ...get(1),
      ...load,
      ...fmul,
      ...fadd,
      ...store,
      ...advance([0, 1], 3),
      ...br(0),
      end,
      end,
    ],
  );
  // adagrad(w1=0, w2=1, g1=2, g2=3, f=4, n=5), locals fv=6, t1=7, t2=8.
  const adagrad = body(
    [[3, V128]],
    [
      ...get(4),
      ...splat,
      ...set(6),
      ...block,
      ...loop,
      ...get(5),
      i32eqz,
      ...brIf(1),
      ...get(6),
      ...get(1),
      ...load,
      ...fmul,
      ...set(7),
      ...get(6),
      ...get(0),
      ...load,
      ...fmul,
      ...set(8),
      // w1 -= t1 / sqrt(g1); w2 -= t2 / sqrt(g2)
      ...get(0),
      ...get(0),
      ...load,
      ...get(7),
      ...get(2),
      ...load,
      ...fsqrt,
      ...fdiv,
      ...fsub,
      ...store,
      ...get(1),
      ...get(1),
      ...load,
      ...get(8),
      ...get(3),
      ...load,
      ...fsqrt,
      ...fdiv,
      ...fsub,
      ...store,
      // g1 += t1²; g2 += t2²
      ...get(2),
      ...get(2),
      ...load,
      ...get(7),
      ...get(7),
      ...fmul,
      ...fadd,
      ...store,
      ...get(3),
      ...get(3),
      ...load,
      ...get(8),
      ...get(8),
      ...fmul,
      ...fadd,
      ...store,
      ...advance([0, 1, 2, 3], 5),
      ...br(0),
      end,
      end,
    ],
  );
  const types = section(
    1,
    vec([
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[F32]])],
      [0x60, ...vec([[I32], [I32], [I32], [F32], [I32]]), 0x00],
      [0x60, ...vec([[I32], [I32], [F32], [I32]]), 0x00],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [F32], [I32]]), 0x00],
    ]),
  );
  const imports = section(
    2,
    vec([[...str('env'), ...str('memory'), 0x02, shared ? 0x03 : 0x01, ...uleb(pages), ...uleb(pages)]]),
  );
  const funcs = section(3, vec([[0], [1], [2], [1], [3]]));
  const exports = section(
    7,
    vec([
      [...str('dot'), 0x00, 0],
      [...str('update'), 0x00, 1],
      [...str('axpy'), 0x00, 2],
      [...str('update0'), 0x00, 3],
      [...str('adagrad'), 0x00, 4],
    ]),
  );
  const code = section(10, vec([dot, update, axpy, update0, adagrad]));
  return wasmModule(types, imports, funcs, exports, code);
}

/** True when this runtime can compile the module (WebAssembly with SIMD). */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(simdModuleBytes(false, 1) as BufferSource);
  } catch {
    return false;
  }
}

/** Instantiates the kernels over `memory` (synchronously: the module is a few hundred bytes). */
export function instantiateSimd(memory: WebAssembly.Memory, shared: boolean): SimdKernels {
  const pages = memory.buffer.byteLength / 65536;
  const module = new WebAssembly.Module(simdModuleBytes(shared, pages) as BufferSource);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}
