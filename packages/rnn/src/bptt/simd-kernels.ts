import {
  block,
  br,
  brIf,
  end,
  f32const,
  fadd,
  fdiv,
  fmax,
  fmin,
  fmul,
  fneg,
  fsub,
  get,
  I32,
  i32add,
  i32const,
  i32eqz,
  i32geS,
  i32mul,
  i32sub,
  i32x4add,
  i32x4shl,
  i32x4splat,
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
 * Hand-assembled WebAssembly SIMD kernels for the LSTM forward pass and the dense products of BPTT.
 * tfjs' per-op cost (tensor allocation, upload to the backend, `dataSync` copy) is paid 56 times per
 * MNIST batch for products of only 128 × 128 · 128 × 512, and the cpu backend multiplies at
 * ≈ 0.5 GFLOP/s; these kernels run at the speed of a register-blocked SIMD loop (≈ 30 GFLOP/s here,
 * one thread) on either backend.
 *
 * `sgemm(a, b, c, M, K, N, lda, overwrite)`: `C += A·B` (or `C = A·B` when `overwrite` ≠ 0) on
 * row-major float32 matrices in one linear memory; pointers are byte offsets, `A` is `M × K` with row
 * stride `lda` floats, `B` is `K × N` (row stride `N`), `C` is `M × N`. `M` must be a multiple of 4 and
 * `N` of 8: the micro-kernel keeps a 4 × 8 block of `C` in eight f32x4 accumulators, broadcasting one
 * element of each of the 4 rows of `A` against two vectors of a row of `B` per step of `k`.
 */
export interface SimdKernels {
  sgemm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
  ): void;
  /** `sgemm` with `A` stored transposed: element (i, k) at `a[k·lda + i]` (reads up to 3 lanes past row `M`). */
  sgemmT(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    overwrite: number,
  ): void;
  /**
   * One LSTM step's gate math for `B` rows of `H` units (`H` a multiple of 4): `z` (`B × 4H`, the
   * pre-activations without bias, in Keras order i, f, c̃, o) becomes the gate values in place,
   * `c = f∗c_prev + i∗c̃`, `tc = tanh(c)`, `h = o∗tc`. σ and tanh go through a Cephes-style float32
   * `exp` (range reduction by ln 2, degree-6 polynomial, relative error ≈ 1e-7).
   */
  lstmGates(
    z: number,
    bias: number,
    cPrev: number,
    h: number,
    c: number,
    tc: number,
    b: number,
    hUnits: number,
  ): void;
  /**
   * The BPTT step of the same gates (chapter eqs. 4.2.x for the LSTM; see `LstmCell.backStep`): from
   * ∂C/∂h_t, ∂C/∂c_t, c_{t−1}, the gate values and tanh(c_t), writes ∂C/∂(pre-activations)
   * (`B × 4H`) and ∂C/∂c_{t−1} = ∂C/∂c_t · f_t.
   */
  lstmBackGates(
    dh: number,
    dc: number,
    cPrev: number,
    gates: number,
    tc: number,
    dPre: number,
    dcPrev: number,
    b: number,
    hUnits: number,
  ): void;
}

const f32load = [0x2a, 0x02, 0x00];
const vload = (offset: number) => simd(0x00, 0x04, ...uleb(offset));
const vstore = (offset: number) => simd(0x0b, 0x04, ...uleb(offset));

// Locals: params a=0 b=1 c=2 M=3 K=4 N=5 lda=6 overwrite=7; i=8 j=9 k=10 pa=11 pb=12 pc=13 ldaB=14
// nB=15 r1=16 r2=17 r3=18 (byte offsets of rows 1..3 of A), accumulators 19..26, b0=27 b1=28, s=29.
const [A, B, C, M, K, N, LDA, OVERWRITE] = [0, 1, 2, 3, 4, 5, 6, 7];
const [I, J, KK, PA, PB, PC, LDAB, NB, R1, R2, R3] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const ACC = 19;
const B0 = 27;
const B1 = 28;

/**
 * The `sgemm` body; with `transposedA` the `sgemmT` body, which reads `A` stored transposed (`K × lda`,
 * element (i, k) at `a[k·lda + i]`): the 4 rows' elements of one `k` are one vector load, broadcast lane
 * by lane with shuffles — the weight-gradient products `Xᵀ·dPre` need no transposing pass.
 */
function sgemmBody(transposedA: boolean): number[] {
  // The broadcast element of A goes in local s = 29; with transposedA, A's 4 values of this k in av = 30.
  const S = 29;
  const AV = 30;
  const row = (r: number) => {
    const addr = r === 0 ? get(PA) : [...get(PA), ...get([0, R1, R2, R3][r]), i32add];
    const lanes = [0, 1, 2, 3].flatMap(() => [4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3]);
    const broadcast = transposedA
      ? [...get(AV), ...get(AV), ...simd(0x0d, ...lanes)]
      : [...addr, ...f32load, ...splat];
    const a0 = ACC + 2 * r;
    const a1 = a0 + 1;
    return [
      ...broadcast,
      ...set(S),
      ...get(a0),
      ...get(S),
      ...get(B0),
      ...fmul,
      ...fadd,
      ...set(a0),
      ...get(a1),
      ...get(S),
      ...get(B1),
      ...fmul,
      ...fadd,
      ...set(a1),
    ];
  };
  // C block pointer for row r of the 4-row block: pc + r·nB.
  const cRow = (r: number) =>
    r === 0 ? get(PC) : [...get(PC), ...i32const(0), ...get(NB), ...i32const(r), i32mul, i32add, i32add];
  // overwrite ? 0 : the block of C (C = A·B without a zero-filling pass, or C += A·B).
  const initAcc = (r: number, offset: number) => [
    ...get(OVERWRITE),
    0x04,
    V128,
    ...simd(0x0c, ...new Array(16).fill(0)),
    0x05,
    ...cRow(r),
    ...vload(offset),
    end,
  ];
  const loadAcc = [0, 1, 2, 3].flatMap((r) => [
    ...initAcc(r, 0),
    ...set(ACC + 2 * r),
    ...initAcc(r, 16),
    ...set(ACC + 2 * r + 1),
  ]);
  const storeAcc = [0, 1, 2, 3].flatMap((r) => [
    ...cRow(r),
    ...get(ACC + 2 * r),
    ...vstore(0),
    ...cRow(r),
    ...get(ACC + 2 * r + 1),
    ...vstore(16),
  ]);
  const code = [
    // ldaB = lda·4, nB = N·4, r1..r3 = 1..3 rows of A in bytes.
    ...get(LDA),
    ...i32const(4),
    i32mul,
    ...set(LDAB),
    ...get(N),
    ...i32const(4),
    i32mul,
    ...set(NB),
    ...get(LDAB),
    ...set(R1),
    ...get(LDAB),
    ...i32const(2),
    i32mul,
    ...set(R2),
    ...get(LDAB),
    ...i32const(3),
    i32mul,
    ...set(R3),
    ...i32const(0),
    ...set(J),
    ...block,
    ...loop,
    ...get(J),
    ...get(N),
    i32geS,
    ...brIf(1),
    ...i32const(0),
    ...set(I),
    ...block,
    ...loop,
    ...get(I),
    ...get(M),
    i32geS,
    ...brIf(1),
    // pc = c + (i·N + j)·4; pa = a + i·ldaB; pb = b + j·4; k = K
    ...get(C),
    ...get(I),
    ...get(N),
    i32mul,
    ...get(J),
    i32add,
    ...i32const(4),
    i32mul,
    i32add,
    ...set(PC),
    ...get(A),
    ...get(I),
    ...(transposedA ? i32const(4) : get(LDAB)),
    i32mul,
    i32add,
    ...set(PA),
    ...get(B),
    ...get(J),
    ...i32const(4),
    i32mul,
    i32add,
    ...set(PB),
    ...get(K),
    ...set(KK),
    ...loadAcc,
    ...block,
    ...loop,
    ...get(KK),
    i32eqz,
    ...brIf(1),
    ...get(PB),
    ...vload(0),
    ...set(B0),
    ...get(PB),
    ...vload(16),
    ...set(B1),
    ...(transposedA ? [...get(PA), ...vload(0), ...set(AV)] : []),
    ...row(0),
    ...row(1),
    ...row(2),
    ...row(3),
    ...get(PA),
    ...(transposedA ? get(LDAB) : i32const(4)),
    i32add,
    ...set(PA),
    ...get(PB),
    ...get(NB),
    i32add,
    ...set(PB),
    ...get(KK),
    ...i32const(1),
    i32sub,
    ...set(KK),
    ...br(0),
    end,
    end,
    ...storeAcc,
    ...get(I),
    ...i32const(4),
    i32add,
    ...set(I),
    ...br(0),
    end,
    end,
    ...get(J),
    ...i32const(8),
    i32add,
    ...set(J),
    ...br(0),
    end,
    end,
  ];
  const locals = vec([
    [...uleb(11), I32],
    [...uleb(12), V128],
  ]);
  const b = [...locals, ...code, end];
  return [...uleb(b.length), ...b];
}

// lstmGates locals: params z=0 bias=1 cPrev=2 h=3 c=4 tc=5 B=6 H=7; i32 b=8 j=9 pz=10 ps=11 h1=12
// pbias=13 h2=14 h3=15; v128 X=16 N=17 R=18 GI=19 GF=20 GG=21 GO=22 CV=23 TC=24 ONE=25 TWO=26
// LOG2E=27 HI=28 LO=29 MAXX=30 MINX=31 P5..P0=32..37.
const V = { X: 16, N: 17, R: 18, GI: 19, GF: 20, GG: 21, GO: 22, CV: 23, TC: 24, ONE: 25, TWO: 26, T: 38 };
const V2 = { LOG2E: 27, HI: 28, LO: 29, MAXX: 30, MINX: 31, P: 32 };

/** Values of the constant "locals" of lstmGates, emitted as `v128.const` immediates (V8 keeps them in its
 * constant pool instead of spilling 13 registers). */
const CONSTANTS = new Map<number, number>([
  [V.ONE, 1],
  [V.TWO, 2],
  [V2.LOG2E, Math.LOG2E],
  [V2.HI, 0.693359375],
  [V2.LO, -2.1219444e-4],
  [V2.MAXX, 88.3],
  [V2.MINX, -87.3],
  [V2.P, 1.98756915e-4],
  [V2.P + 1, 1.3981999507e-3],
  [V2.P + 2, 8.3334519073e-3],
  [V2.P + 3, 4.1665795894e-2],
  [V2.P + 4, 1.6666665459e-1],
  [V2.P + 5, 5.0000001201e-1],
]);

/** 1.5·2²³ and its float32 bit pattern (the round-to-nearest shifter of {@link expInline}). */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;

function f32x4const(v: number): number[] {
  return simd(0x0c, ...new Uint8Array(new Float32Array([v, v, v, v]).buffer));
}

/** `local.get` of a value local, or the `v128.const` of a constant one. */
function val(local: number): number[] {
  const c = CONSTANTS.get(local);
  if (c === undefined) return get(local);
  return f32x4const(c);
}

/** exp of the v128 on the stack (Cephes expf: x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n by bits). */
function expInline(): number[] {
  const poly: number[] = [...val(V2.P)];
  for (let i = 1; i < 6; i++) poly.push(...get(V.R), ...fmul, ...val(V2.P + i), ...fadd);
  return [
    ...set(V.X),
    ...get(V.X),
    ...val(V2.MAXX),
    ...fmin,
    ...val(V2.MINX),
    ...fmax,
    ...set(V.X),
    // t = x·log2 e + 1.5·2²³ rounds to the nearest integer n in its low mantissa bits; n = t − 1.5·2²³.
    ...get(V.X),
    ...val(V2.LOG2E),
    ...fmul,
    ...f32x4const(MAGIC),
    ...fadd,
    ...set(V.T),
    ...get(V.T),
    ...f32x4const(MAGIC),
    ...fsub,
    ...set(V.N),
    ...get(V.X),
    ...get(V.N),
    ...val(V2.HI),
    ...fmul,
    ...fsub,
    ...get(V.N),
    ...val(V2.LO),
    ...fmul,
    ...fsub,
    ...set(V.R),
    ...poly,
    ...get(V.R),
    ...fmul,
    ...get(V.R),
    ...fmul,
    ...get(V.R),
    ...fadd,
    ...val(V.ONE),
    ...fadd,
    // 2ⁿ: the bits of t are those of 1.5·2²³ plus n; (n + 127) << 23 is 2ⁿ as a float.
    ...get(V.T),
    ...i32const(127 - MAGIC_BITS),
    ...i32x4splat,
    ...i32x4add,
    ...i32const(23),
    ...i32x4shl,
    ...fmul,
  ];
}

/** σ(v) = 1 / (1 + e^−v) of the v128 on the stack. */
function sigmoidInline(): number[] {
  return [...fneg, ...expInline(), ...val(V.ONE), ...fadd, ...set(V.X), ...val(V.ONE), ...get(V.X), ...fdiv];
}

/** tanh(v) = 1 − 2 / (e^{2v} + 1) of the v128 on the stack. */
function tanhInline(): number[] {
  return [
    ...val(V.TWO),
    ...fmul,
    ...expInline(),
    ...val(V.ONE),
    ...fadd,
    ...set(V.X),
    ...val(V.ONE),
    ...val(V.TWO),
    ...get(V.X),
    ...fdiv,
    ...fsub,
  ];
}

function lstmGatesBody(): number[] {
  const [Z, BIAS, CPREV, HOUT, COUT, TCOUT, BB, HH] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [Bi, Ji, PZ, PS, H1, PBIAS, H2, H3] = [8, 9, 10, 11, 12, 13, 14, 15];
  // Gate block g of this row: z + g·H·4 (+ pz), with its bias at pbias + g·H·4.
  const blockAddr = (base: number, g: number) =>
    g === 0 ? get(base) : [...get(base), ...get([0, H1, H2, H3][g]), i32add];
  const gate = (g: number, out: number, act: number[]) => [
    ...blockAddr(PZ, g),
    ...vload(0),
    ...blockAddr(PBIAS, g),
    ...vload(0),
    ...fadd,
    ...act,
    ...set(out),
    ...blockAddr(PZ, g),
    ...get(out),
    ...vstore(0),
  ];
  const at = (base: number) => [...get(base), ...get(PS), i32add];
  const code = [
    ...get(HH),
    ...i32const(4),
    i32mul,
    ...set(H1),
    ...get(H1),
    ...i32const(2),
    i32mul,
    ...set(H2),
    ...get(H1),
    ...i32const(3),
    i32mul,
    ...set(H3),
    ...get(Z),
    ...set(PZ),
    ...i32const(0),
    ...set(PS),
    ...i32const(0),
    ...set(Bi),
    ...block,
    ...loop,
    ...get(Bi),
    ...get(BB),
    i32geS,
    ...brIf(1),
    ...i32const(0),
    ...set(Ji),
    ...get(BIAS),
    ...set(PBIAS),
    ...block,
    ...loop,
    ...get(Ji),
    ...get(HH),
    i32geS,
    ...brIf(1),
    ...gate(0, V.GI, sigmoidInline()),
    ...gate(1, V.GF, sigmoidInline()),
    ...gate(2, V.GG, tanhInline()),
    ...gate(3, V.GO, sigmoidInline()),
    // c = f∗c_prev + i∗c̃
    ...get(V.GF),
    ...at(CPREV),
    ...vload(0),
    ...fmul,
    ...get(V.GI),
    ...get(V.GG),
    ...fmul,
    ...fadd,
    ...set(V.CV),
    ...at(COUT),
    ...get(V.CV),
    ...vstore(0),
    ...get(V.CV),
    ...tanhInline(),
    ...set(V.TC),
    ...at(TCOUT),
    ...get(V.TC),
    ...vstore(0),
    ...at(HOUT),
    ...get(V.GO),
    ...get(V.TC),
    ...fmul,
    ...vstore(0),
    ...[PZ, PBIAS, PS].flatMap((l) => [...get(l), ...i32const(16), i32add, ...set(l)]),
    ...get(Ji),
    ...i32const(4),
    i32add,
    ...set(Ji),
    ...br(0),
    end,
    end,
    // Skip the f, c̃, o blocks of this row.
    ...get(PZ),
    ...get(H3),
    i32add,
    ...set(PZ),
    ...get(Bi),
    ...i32const(1),
    i32add,
    ...set(Bi),
    ...br(0),
    end,
    end,
  ];
  const locals = vec([
    [...uleb(8), I32],
    [...uleb(23), V128],
  ]);
  const b = [...locals, ...code, end];
  return [...uleb(b.length), ...b];
}

function lstmBackGatesBody(): number[] {
  const [DHP, DCP, CPREV, GATES, TCP, DPRE, DCPREV, BB, HH] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [Bi, Ji, PG, PS, H1, H2, H3] = [9, 10, 11, 12, 13, 14, 15];
  const [IG, FG, GG, OG, TC, DH, DCT, ONE] = [16, 17, 18, 19, 20, 21, 22, 23];
  const blk = (base: number, g: number) =>
    g === 0
      ? [...get(base), ...get(PG), i32add]
      : [...get(base), ...get(PG), i32add, ...get([0, H1, H2, H3][g]), i32add];
  const at = (base: number) => [...get(base), ...get(PS), i32add];
  const oneMinus = (v: number[]) => [...get(ONE), ...v, ...fsub];
  const code = [
    ...f32const(1),
    ...splat,
    ...set(ONE),
    ...get(HH),
    ...i32const(4),
    i32mul,
    ...set(H1),
    ...get(H1),
    ...i32const(2),
    i32mul,
    ...set(H2),
    ...get(H1),
    ...i32const(3),
    i32mul,
    ...set(H3),
    ...i32const(0),
    ...set(PG),
    ...i32const(0),
    ...set(PS),
    ...i32const(0),
    ...set(Bi),
    ...block,
    ...loop,
    ...get(Bi),
    ...get(BB),
    i32geS,
    ...brIf(1),
    ...i32const(0),
    ...set(Ji),
    ...block,
    ...loop,
    ...get(Ji),
    ...get(HH),
    i32geS,
    ...brIf(1),
    ...[IG, FG, GG, OG].flatMap((l, g) => [...blk(GATES, g), ...vload(0), ...set(l)]),
    ...at(TCP),
    ...vload(0),
    ...set(TC),
    ...at(DHP),
    ...vload(0),
    ...set(DH),
    // dct = dc + dh·o·(1 − tc²)
    ...at(DCP),
    ...vload(0),
    ...get(DH),
    ...get(OG),
    ...fmul,
    ...oneMinus([...get(TC), ...get(TC), ...fmul]),
    ...fmul,
    ...fadd,
    ...set(DCT),
    // dPre_i = dct·c̃·i·(1 − i)
    ...blk(DPRE, 0),
    ...get(DCT),
    ...get(GG),
    ...fmul,
    ...get(IG),
    ...fmul,
    ...oneMinus(get(IG)),
    ...fmul,
    ...vstore(0),
    // dPre_f = dct·c_{t−1}·f·(1 − f)
    ...blk(DPRE, 1),
    ...get(DCT),
    ...at(CPREV),
    ...vload(0),
    ...fmul,
    ...get(FG),
    ...fmul,
    ...oneMinus(get(FG)),
    ...fmul,
    ...vstore(0),
    // dPre_c̃ = dct·i·(1 − c̃²)
    ...blk(DPRE, 2),
    ...get(DCT),
    ...get(IG),
    ...fmul,
    ...oneMinus([...get(GG), ...get(GG), ...fmul]),
    ...fmul,
    ...vstore(0),
    // dPre_o = dh·tc·o·(1 − o)
    ...blk(DPRE, 3),
    ...get(DH),
    ...get(TC),
    ...fmul,
    ...get(OG),
    ...fmul,
    ...oneMinus(get(OG)),
    ...fmul,
    ...vstore(0),
    // ∂C/∂c_{t−1} = dct·f
    ...at(DCPREV),
    ...get(DCT),
    ...get(FG),
    ...fmul,
    ...vstore(0),
    ...[PG, PS].flatMap((l) => [...get(l), ...i32const(16), i32add, ...set(l)]),
    ...get(Ji),
    ...i32const(4),
    i32add,
    ...set(Ji),
    ...br(0),
    end,
    end,
    ...get(PG),
    ...get(H3),
    i32add,
    ...set(PG),
    ...get(Bi),
    ...i32const(1),
    i32add,
    ...set(Bi),
    ...br(0),
    end,
    end,
  ];
  const locals = vec([
    [...uleb(7), I32],
    [...uleb(8), V128],
  ]);
  const b = [...locals, ...code, end];
  return [...uleb(b.length), ...b];
}

/** The module's bytes (imports `env.memory`, exports `sgemm`, `lstmGates`, `lstmBackGates` and `sgemmT`). */
export function simdKernelsBytes(): Uint8Array {
  const types = section(
    1,
    vec([
      [0x60, ...vec(Array.from({ length: 8 }, () => [I32])), 0x00],
      [0x60, ...vec(Array.from({ length: 9 }, () => [I32])), 0x00],
    ]),
  );
  const imports = section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, ...uleb(1)]]));
  const funcs = section(3, vec([[0], [0], [1], [0]]));
  const exports = section(
    7,
    vec([
      [...str('sgemm'), 0x00, 0],
      [...str('lstmGates'), 0x00, 1],
      [...str('lstmBackGates'), 0x00, 2],
      [...str('sgemmT'), 0x00, 3],
    ]),
  );
  const code = section(10, vec([sgemmBody(false), lstmGatesBody(), lstmBackGatesBody(), sgemmBody(true)]));
  return wasmModule(types, imports, funcs, exports, code);
}

/** Compiles the kernels over `memory`, or returns null when this runtime lacks WebAssembly SIMD. */
export function instantiateSimdKernels(memory: WebAssembly.Memory): SimdKernels | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    compiled ??= new WebAssembly.Module(simdKernelsBytes() as BufferSource);
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    return instance.exports as unknown as SimdKernels;
  } catch {
    return null;
  }
}

/** The compiled module, shared by every instance (compiled on first use, not at import). */
let compiled: WebAssembly.Module | undefined;
