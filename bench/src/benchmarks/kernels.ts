import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { record } from '../harness.js';
import { benchKernels, measurePeaks } from '../peak.js';

/**
 * Every WebAssembly kernel on MNIST-LSTM and word2vec-shaped inputs, one thread: its time per call, its
 * GFLOP/s and that as a fraction of the machine's f32x4 mul+add peak (bench/src/peak.ts). With
 * `KERNELS_BASELINE=<checkout>` (an older wordloom, built) the same calls on that checkout's kernels are
 * the peer, on identical inputs (the two alternate, best of 5 batches each), and the outputs are compared
 * bit for bit. `KERNELS_FILTER=<text>` keeps the cases whose name contains it. `BENCH_TINY=1` runs a few
 * iterations only, to prove the code works.
 *
 * Where the runtime offers relaxed SIMD (Node 20: `node --experimental-wasm-relaxed-simd`), one more row
 * times the FMA build of the same sgemm source (compiled by the bench only; no library ships it) against
 * the mul+add build, after checking that the two agree to 1e-5.
 *
 * `KERNELS_BASELINE=/path/to/old/wordloom pnpm bench kernels`
 */
export default async function kernels(command: string): Promise<void> {
  const tiny = process.env.BENCH_TINY === '1';
  const baselineDir = process.env.KERNELS_BASELINE;
  const baseline = baselineDir ? await loadKernels(resolve(baselineDir)) : null;
  const peak = measurePeaks(tiny ? 1e5 : 5e7, tiny ? 1 : 5).mulAdd.gflops;
  // This checkout's built kernels (`pnpm build` first), loaded the same way as the baseline's.
  const current = await loadKernels(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'));
  const only = process.env.KERNELS_FILTER;
  for (const c of cases()) {
    if (only && !c.name.includes(only)) continue;
    const setup = (impl: Impl) => {
      const memory = new WebAssembly.Memory({ initial: c.pages, maximum: c.pages });
      fill(memory);
      return { memory, call: c.make(impl, memory) };
    };
    // Current and baseline alternate, 5 rounds, best batch of each: robust to other load on the machine.
    const now = { ...setup(current), seconds: Infinity };
    const old = baseline ? { ...setup(baseline), seconds: Infinity } : null;
    const repeats = tiny ? 3 : c.repeats;
    for (let round = 0; round < 5; round++) {
      now.seconds = Math.min(now.seconds, perCall(now.call, repeats));
      if (old) old.seconds = Math.min(old.seconds, perCall(old.call, repeats));
    }
    const gflops = c.flops / now.seconds / 1e9;
    // Same number of calls on the same inputs: the memories must match bit for bit, except a packing
    // scratch (which a baseline without packing never writes).
    if (c.scratch)
      for (const m of old ? [now.memory, old.memory] : [])
        new Uint8Array(m.buffer, c.scratch[0], c.scratch[1] - c.scratch[0]).fill(0);
    const same = old
      ? equalBytes(new Uint8Array(now.memory.buffer), new Uint8Array(old.memory.buffer))
      : null;
    if (same !== null) console.log(`  outputs ${same ? 'bit-identical' : 'DIFFER'} to the baseline's`);
    record(
      {
        benchmark: 'kernels',
        workload: c.name,
        seconds: now.seconds,
        peer: old ? 'previous kernels (KERNELS_BASELINE)' : '–',
        peerSeconds: old ? old.seconds : null,
        backend: 'WebAssembly SIMD (1 thread)',
        note:
          `${gflops.toFixed(2)} GFLOP/s, ${((100 * gflops) / peak).toFixed(0)}% of the ${peak.toFixed(1)} GFLOP/s mul+add peak` +
          (same === null ? '' : same ? ', outputs bit-identical' : ', outputs DIFFER'),
      },
      command,
    );
  }
  if (!only || 'sgemm'.includes(only) || only.includes('FMA')) fmaRow(command, tiny, peak);
}

/** sgemm 128×128·128×512: the relaxed-SIMD (FMA) build of the bench against its mul+add build. */
function fmaRow(command: string, tiny: boolean, peak: number): void {
  const [M, K, N] = [128, 128, 512];
  const memory = (relaxed: boolean) => {
    const m = new WebAssembly.Memory({ initial: 64, maximum: 64 });
    fill(m);
    return { m, k: benchKernels(relaxed, m) };
  };
  const fma = memory(true);
  const plain = memory(false);
  if (!fma.k || !plain.k) {
    console.log('kernels: relaxed SIMD not offered by this runtime (FMA row skipped)');
    return;
  }
  const run = (x: typeof fma) => () => x.k?.sgemm(MB, 0, 2 * MB, M, K, N, K, 1, 3 * MB);
  let a = Infinity;
  let b = Infinity;
  for (let round = 0; round < 5; round++) {
    a = Math.min(a, perCall(run(fma), tiny ? 3 : 300));
    b = Math.min(b, perCall(run(plain), tiny ? 3 : 300));
  }
  const got = new Float32Array(fma.m.buffer, 2 * MB, M * N);
  const want = new Float32Array(plain.m.buffer, 2 * MB, M * N);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < M * N; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  if (err / scale > 1e-5) throw new Error(`kernels: the FMA sgemm differs from mul+add by ${err / scale}`);
  const gflops = (2 * M * K * N) / a / 1e9;
  record(
    {
      benchmark: 'kernels',
      workload: `sgemm ${M}×${K}·${K}×${N}, relaxed-SIMD FMA build (bench only)`,
      seconds: a,
      peer: 'the mul+add build',
      peerSeconds: b,
      backend: 'WebAssembly relaxed SIMD (1 thread)',
      note: `${gflops.toFixed(2)} GFLOP/s, ${((100 * gflops) / peak).toFixed(0)}% of the mul+add peak`,
    },
    command,
  );
}

interface Impl {
  w2v: (
    memory: WebAssembly.Memory,
    shared: boolean,
  ) => {
    dot(a: number, b: number, n: number): number;
    update(e: number, o: number, h: number, g: number, n: number): void;
    update0(e: number, o: number, h: number, g: number, n: number): void;
    axpy(y: number, x: number, a: number, n: number): void;
    adagrad(w1: number, w2: number, g1: number, g2: number, f: number, n: number): void;
  };
  bptt: (memory: WebAssembly.Memory) => {
    // `w`: packing scratch (a build without it ignores the argument and runs unpacked).
    sgemm(
      a: number,
      b: number,
      c: number,
      m: number,
      k: number,
      n: number,
      lda: number,
      o: number,
      w: number,
    ): void;
    sgemmT(
      a: number,
      b: number,
      c: number,
      m: number,
      k: number,
      n: number,
      lda: number,
      o: number,
      w: number,
    ): void;
    lstmGates(
      z: number,
      bias: number,
      cp: number,
      h: number,
      c: number,
      tc: number,
      b: number,
      u: number,
    ): void;
    lstmBackGates(
      dh: number,
      dc: number,
      cp: number,
      g: number,
      tc: number,
      dPre: number,
      dcp: number,
      b: number,
      u: number,
    ): void;
  } | null;
}

interface Case {
  name: string;
  /** 64 KiB pages of memory the case uses. */
  pages: number;
  /** Floating-point operations of one call. */
  flops: number;
  repeats: number;
  /** Bytes [start, end) the kernel may use as scratch: left out of the bit-for-bit comparison. */
  scratch?: [number, number];
  make(impl: Impl, memory: WebAssembly.Memory): () => void;
}

const MB = 1 << 20;

function cases(): Case[] {
  const bptt = (impl: Impl, memory: WebAssembly.Memory) => {
    const k = impl.bptt(memory);
    if (!k) throw new Error('no WebAssembly SIMD');
    return k;
  };
  // word2vec / GloVe: a row of d floats against rows spread over 4 MiB (as syn1neg rows are).
  const vector = (d: number) => {
    const rows = (4 * MB) / (4 * d);
    let r = 0;
    const next = () => {
      r = (r * 1103515245 + 12345) & 0x7fffffff;
      return 8 * MB + (r % (rows - 1)) * 4 * d;
    };
    return next;
  };
  const out: Case[] = [];
  for (const d of [100, 300]) {
    out.push(
      {
        name: `word2vec dot, d ${d}`,
        pages: 256,
        flops: 2 * d,
        repeats: 200_000,
        make: (impl, m) => {
          const k = impl.w2v(m, false);
          const row = vector(d);
          return () => k.dot(0, row(), d);
        },
      },
      {
        name: `word2vec update (e += g·o; o += g·h), d ${d}`,
        pages: 256,
        flops: 4 * d,
        repeats: 200_000,
        make: (impl, m) => {
          const k = impl.w2v(m, false);
          const row = vector(d);
          return () => k.update(0, row(), 4 * d, 1e-3, d);
        },
      },
      {
        name: `word2vec axpy, d ${d}`,
        pages: 256,
        flops: 2 * d,
        repeats: 200_000,
        make: (impl, m) => {
          const k = impl.w2v(m, false);
          const row = vector(d);
          return () => k.axpy(row(), 0, 1e-3, d);
        },
      },
    );
  }
  out.push({
    name: 'GloVe AdaGrad step, d 100',
    pages: 256,
    // t1, t2 (2 mul), 2 sqrt, 2 div, 2 sub, 2 mul, 2 add per float.
    flops: 12 * 100,
    repeats: 200_000,
    make: (impl, m) => {
      const k = impl.w2v(m, false);
      const row = vector(100);
      return () => k.adagrad(row(), row(), 4 * MB, 4 * MB + 400, 1e-3, 100);
    },
  });
  // MNIST row LSTM, h 128, batch 128: h_{t−1}·W_hh (128×128 · 128×512), dPre·W_hhᵀ (128×512 · 512×128),
  // the weight gradient Xᵀ·dPre over a 256-row block (128×256 · 256×512), and the gate steps.
  const [B, H] = [128, 128];
  const G = 4 * H;
  out.push(
    {
      name: `sgemm ${B}×${H}·${H}×${G} (LSTM recurrent product)`,
      pages: 64,
      scratch: [3 * MB, 4 * MB],
      flops: 2 * B * H * G,
      repeats: 300,
      make: (impl, m) => {
        const k = bptt(impl, m);
        return () => k.sgemm(MB, 0, 2 * MB, B, H, G, H, 1, 3 * MB);
      },
    },
    {
      name: `sgemm ${B}×${G}·${G}×${H} (∂h_{t−1} = dPre·W_hhᵀ)`,
      pages: 64,
      scratch: [3 * MB, 4 * MB],
      flops: 2 * B * G * H,
      repeats: 300,
      make: (impl, m) => {
        const k = bptt(impl, m);
        return () => k.sgemm(MB, 0, 2 * MB, B, G, H, G, 1, 3 * MB);
      },
    },
    {
      name: `sgemmT ${H}×256·256×${G} (weight gradient, one K block)`,
      pages: 64,
      scratch: [3 * MB, 4 * MB],
      flops: 2 * H * 256 * G,
      repeats: 200,
      make: (impl, m) => {
        const k = bptt(impl, m);
        return () => k.sgemmT(MB, 0, 2 * MB, H, 256, G, H, 1, 3 * MB);
      },
    },
    {
      name: `lstmGates B ${B}, H ${H}`,
      pages: 64,
      // Per unit: 4 gate activations and tanh(c) (≈ 22 flops each through exp), c and h (4).
      flops: B * H * (5 * 22 + 4),
      repeats: 2_000,
      make: (impl, m) => {
        const k = bptt(impl, m);
        const f = new Float32Array(m.buffer);
        const z0 = f.slice(0, B * G);
        return () => {
          f.set(z0, 0);
          k.lstmGates(0, MB, MB + 4 * G, 2 * MB, 2 * MB + 4 * B * H, 3 * MB, B, H);
        };
      },
    },
    {
      name: `lstmBackGates B ${B}, H ${H}`,
      pages: 64,
      flops: B * H * 30,
      repeats: 2_000,
      make: (impl, m) => {
        const k = bptt(impl, m);
        return () => k.lstmBackGates(0, 65536, 131072, 262144, 524288, 2 * MB, 3 * MB, B, H);
      },
    },
  );
  return out;
}

/** Deterministic values in (−1, 1) over the whole memory (AdaGrad accumulators need > 0: |x| + 0.5). */
function fill(memory: WebAssembly.Memory): void {
  const f = new Float32Array(memory.buffer);
  let s = 12345;
  for (let i = 0; i < f.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    f[i] = (s / 0x7fffffff) * 2 - 1;
  }
  if (memory.buffer.byteLength < 8 * MB) return;
  const g = new Float32Array(memory.buffer, 4 * MB, 256);
  for (let i = 0; i < g.length; i++) g[i] = Math.abs(g[i]) + 0.5;
}

/** Seconds per call of one timed batch of `repeats` calls. */
function perCall(call: () => void, repeats: number): number {
  const start = performance.now();
  for (let i = 0; i < repeats; i++) call();
  return (performance.now() - start) / 1000 / repeats;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The kernels of the wordloom checkout at `dir`, from its built dist. */
async function loadKernels(dir: string): Promise<Impl> {
  const url = (p: string) => pathToFileURL(resolve(dir, p)).href;
  const w2v = await import(url('packages/embeddings/dist/simd/simd-module.js'));
  const bptt = await import(url('packages/rnn/dist/bptt/simd-kernels.js'));
  return { w2v: w2v.instantiateSimd, bptt: bptt.instantiateSimdKernels };
}
