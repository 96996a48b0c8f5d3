import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { KernelPool, Random, WordloomError } from '@wordloom/core';
import { describe, expect, it, vi } from 'vitest';
import type { RecurrentCell } from '../cells/cell.js';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { Rnn } from '../layers/rnn.js';
import { Stacked } from '../layers/stacked.js';
import { Float64Provider, type Floats, type MatrixHandle } from './matmul-provider.js';
import {
  compileSimdKernels,
  instantiateSimdKernels,
  SIMD_KERNEL_NAMES,
  simdKernelsBytes,
} from './simd-kernels.js';
import { SimdProvider } from './simd-provider.js';

function randoms(n: number, random: Random): Float32Array {
  return Float32Array.from({ length: n }, () => random.normal());
}

function maxRelativeError(got: Floats, want: Floats): number {
  expect(got.length).toBe(want.length);
  let scale = 0;
  let err = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    err = Math.max(err, Math.abs(got[i] - want[i]));
  }
  return err / Math.max(scale, 1e-30);
}

function provider(): SimdProvider {
  const p = SimdProvider.create();
  if (!p) throw new Error('WebAssembly SIMD is required by these tests (Node ≥ 16.4 has it)');
  return p;
}

describe('SIMD kernels', () => {
  it('the compiled module validates', () => {
    expect(WebAssembly.validate(simdKernelsBytes() as BufferSource)).toBe(true);
  });

  it('products equal float64 ones with padded rows and columns and long K (blocked)', () => {
    const p = provider();
    const ref = new Float64Provider();
    const random = new Random(3);
    // [rows, inner, cols]: 4-row and 8-column blocks, rows / columns not multiples of them, K (and, for
    // aᵀ·c, the rows) beyond the 256-row block.
    for (const [M, K, N] of [
      [8, 16, 16],
      [7, 5, 24],
      [130, 600, 64],
      [3, 4, 10],
      [1, 1, 8],
      [600, 7, 13],
    ]) {
      const a = randoms(M * K, random);
      const b = randoms(K * N, random);
      const got = p.mul(a, M, { rows: K, cols: N, data: b } as MatrixHandle);
      const want = ref.mul(a, M, { rows: K, cols: N, data: Float64Array.from(b) } as MatrixHandle);
      expect(maxRelativeError(got, want)).toBeLessThan(1e-5);
      // aᵀ·c for c of M rows: the weight-gradient form.
      const c = randoms(M * N, random);
      const gotT = p.mulTransposeA(a, K, c, N, M);
      const wantT = ref.mulTransposeA(a, K, Float64Array.from(c), N, M);
      expect(maxRelativeError(gotT, wantT)).toBeLessThan(1e-5);
    }
  });

  it('a resident weight matrix is re-uploaded when another matrix is multiplied in between', () => {
    const p = provider();
    const random = new Random(5);
    const w1 = { rows: 4, cols: 8, data: randoms(32, random) } as MatrixHandle;
    const w2 = { rows: 4, cols: 8, data: randoms(32, random) } as MatrixHandle;
    const a = randoms(8, random);
    const first = p.mul(a, 2, w1);
    p.mul(a, 2, w2);
    p.mulTransposeA(randoms(8, random), 4, randoms(16, random), 8, 2);
    expect(Array.from(p.mul(a, 2, w1))).toEqual(Array.from(first));
  });
});

const cells: Array<[string, () => RecurrentCell]> = [
  // Fused SIMD path (units a multiple of 4), batch padded from 6 to 8 rows.
  ['LSTM 8 units (fused SIMD gates)', () => new LstmCell({ inputSize: 5, units: 8, seed: 4 })],
  // Units not a multiple of 4: the cell's own typed-array loop on SIMD products.
  ['LSTM 6 units (typed-array gates)', () => new LstmCell({ inputSize: 5, units: 6, seed: 4 })],
  // Units a multiple of 4 but not of 8: fused forward, typed-array backward.
  ['LSTM 12 units (fused forward only)', () => new LstmCell({ inputSize: 5, units: 12, seed: 4 })],
  ['GRU reset before', () => new GruCell({ inputSize: 5, units: 8, seed: 4, resetAfter: false })],
  ['GRU reset after', () => new GruCell({ inputSize: 5, units: 8, seed: 4 })],
  ['simple RNN', () => new SimpleRnnCell({ inputSize: 5, units: 8, seed: 4 })],
];

describeEachBackend('SimdProvider BPTT equals the float64 engine', () => {
  for (const [name, make] of cells)
    for (const masked of [false, true])
      it(`${name}${masked ? ', masked, from an initial state' : ''}: outputs, final states and every gradient`, () => {
        const cell = make();
        const layer = new Rnn(cell);
        const random = new Random(9);
        const T = 7;
        const B = 6;
        const H = cell.units;
        const data = randoms(T * B * 5, random);
        const dOutputs = randoms(T * B * H, random);
        const mask = masked ? Uint8Array.from({ length: T * B }, (_, i) => (i % 5 === 3 ? 0 : 1)) : null;
        const initialState = masked
          ? Array.from({ length: cell.stateCount }, () => randoms(B * H, random))
          : null;
        const run = (p: SimdProvider | Float64Provider) => {
          const input = { kind: 'dense', data, features: 5 } as const;
          const fwd = layer.forwardRaw(p, input, T, B, { keep: true, mask, initialState });
          const back = layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true });
          return { fwd, back };
        };
        const got = run(provider());
        const want = run(new Float64Provider());
        expect(maxRelativeError(got.fwd.outputs, want.fwd.outputs)).toBeLessThan(1e-5);
        got.fwd.final.forEach((f, i) => {
          expect(maxRelativeError(f, want.fwd.final[i])).toBeLessThan(1e-5);
        });
        got.back.grads.forEach((g, i) => {
          expect(maxRelativeError(g, want.back.grads[i])).toBeLessThan(1e-4);
        });
        expect(maxRelativeError(got.back.dInput as Floats, want.back.dInput as Floats)).toBeLessThan(1e-4);
        if (masked)
          got.back.dInitial.forEach((d, i) => {
            expect(maxRelativeError(d, want.back.dInitial[i])).toBeLessThan(1e-4);
          });
        layer.dispose();
      });

  for (const [name, make] of [
    ['LSTM', () => new LstmCell({ inputSize: 5, units: 8, seed: 6 })],
    ['GRU', () => new GruCell({ inputSize: 5, units: 8, seed: 6 })],
  ] as Array<[string, () => RecurrentCell]>)
    it(`${name} on the fused SIMD gates with dropout and recurrent dropout: outputs and gradients`, () => {
      // The recurrent mask scales h_{t−1} into the fused product and ∂C/∂h_{t−1} out of it.
      const layer = new Rnn(make(), { dropout: 0.3, recurrentDropout: 0.4 });
      const random = new Random(12);
      const [T, B, H] = [5, 6, 8];
      const data = randoms(T * B * 5, random);
      const dOutputs = randoms(T * B * H, random);
      const initialState = Array.from({ length: layer.cell.stateCount }, () => randoms(B * H, random));
      const run = (p: SimdProvider | Float64Provider) => {
        const input = { kind: 'dense', data, features: 5 } as const;
        const fwd = layer.forwardRaw(p, input, T, B, { keep: true, initialState, training: { seed: 3 } });
        return { fwd, back: layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true }) };
      };
      const got = run(provider());
      const want = run(new Float64Provider());
      expect(maxRelativeError(got.fwd.outputs, want.fwd.outputs)).toBeLessThan(1e-5);
      got.back.grads.forEach((g, i) => {
        expect(maxRelativeError(g, want.back.grads[i])).toBeLessThan(1e-4);
      });
      got.back.dInitial.forEach((d, i) => {
        expect(maxRelativeError(d, want.back.dInitial[i])).toBeLessThan(1e-4);
      });
      expect(maxRelativeError(got.back.dInput as Floats, want.back.dInput as Floats)).toBeLessThan(1e-4);
      layer.dispose();
    });

  const wholeCells: Array<[string, () => RecurrentCell, 'lstm' | 'gru']> = [
    ['LSTM', () => new LstmCell({ inputSize: 5, units: 16, seed: 8 }), 'lstm'],
    ['GRU', () => new GruCell({ inputSize: 5, units: 16, seed: 8 }), 'gru'],
  ];
  for (const [name, make, kind] of wholeCells)
    for (const initial of [false, true])
      it(`${name} whole-sequence kernels${initial ? ' from an initial state' : ''}: the per-step path's bits, float64's values`, () => {
        // Batch a multiple of 4 and units of 8 take the whole-sequence kernels; a mask of all ones
        // (nothing padded) forces the per-step path, which must give the same bits.
        const cell = make();
        const layer = new Rnn(cell);
        const random = new Random(13);
        const [T, B, H] = [6, 8, 16];
        const S = cell.stateCount;
        const data = randoms(T * B * 5, random);
        const dOutputs = randoms(T * B * H, random);
        const initialState = initial ? Array.from({ length: S }, () => randoms(B * H, random)) : null;
        const dFinal = Array.from({ length: S }, () => randoms(B * H, random));
        const ones = new Uint8Array(T * B).fill(1);
        const run = (p: SimdProvider | Float64Provider, mask: Uint8Array | null) => {
          const input = { kind: 'dense', data, features: 5 } as const;
          const fwd = layer.forwardRaw(p, input, T, B, { keep: true, mask, initialState });
          const back = layer.backwardRaw(p, fwd.tape, { dOutputs, dFinal }, { inputGradient: true });
          return [fwd.outputs, ...fwd.final, ...back.grads, back.dInput as Floats, ...back.dInitial];
        };
        const p = provider();
        const forward = vi.spyOn(p, kind === 'lstm' ? 'lstmSequence' : 'gruSequence');
        const backward = vi.spyOn(p, kind === 'lstm' ? 'lstmBackSequence' : 'gruBackSequence');
        const whole = run(p, null);
        expect([forward.mock.results, backward.mock.results]).toEqual([
          [{ type: 'return', value: true }],
          [{ type: 'return', value: true }],
        ]);
        const perStep = run(provider(), ones);
        const want = run(new Float64Provider(), null);
        whole.forEach((got, i) => {
          expect(Array.from(got)).toEqual(Array.from(perStep[i]));
          expect(maxRelativeError(got, want[i])).toBeLessThan(1e-4);
        });
        layer.dispose();
      });

  for (const [name, make, kind] of [
    ['LSTM', (d: number, h: number, seed: number) => new LstmCell({ inputSize: d, units: h, seed }), 'lstm'],
    ['GRU', (d: number, h: number, seed: number) => new GruCell({ inputSize: d, units: h, seed }), 'gru'],
  ] as Array<[string, (d: number, h: number, seed: number) => RecurrentCell, 'lstm' | 'gru']>)
    it(`two stacked ${name} layers on the whole-sequence kernels (the upper tape resident in kernel memory, the lower copied back): the per-step bits`, () => {
      const layer = new Stacked([new Rnn(make(5, 16, 9)), new Rnn(make(16, 8, 10))]);
      const random = new Random(14);
      const [T, B] = [5, 8];
      const data = randoms(T * B * 5, random);
      const dOutputs = randoms(T * B * 8, random);
      const run = (p: SimdProvider, mask: Uint8Array | null) => {
        const input = { kind: 'dense', data, features: 5 } as const;
        const fwd = layer.forwardRaw(p, input, T, B, { keep: true, mask });
        const back = layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true });
        return [fwd.outputs, ...back.grads, back.dInput as Floats];
      };
      const p = provider();
      const backward = vi.spyOn(p, kind === 'lstm' ? 'lstmBackSequence' : 'gruBackSequence');
      const whole = run(p, null);
      expect(backward.mock.results.map((r) => r.value)).toEqual([true, true]);
      const perStep = run(provider(), new Uint8Array(T * B).fill(1));
      whole.forEach((got, i) => {
        expect(Array.from(got)).toEqual(Array.from(perStep[i]));
      });
      layer.dispose();
    });

  it('σ and tanh of the SIMD gates stay exact where they saturate (|pre-activation| up to 100)', () => {
    const cell = new LstmCell({ inputSize: 1, units: 4, seed: 1 });
    cell.kernel.assign(tf.mul(cell.kernel, 1000) as tf.Tensor2D);
    const layer = new Rnn(cell);
    const data = Float32Array.from([-0.1, -0.05, 0, 0.02, 0.1, 0.07, -0.03, 0.05]);
    const input = { kind: 'dense', data, features: 1 } as const;
    const got = layer.forwardRaw(provider(), input, 2, 4).outputs;
    const want = layer.forwardRaw(new Float64Provider(), input, 2, 4).outputs;
    expect(Array.from(got).every(Number.isFinite)).toBe(true);
    expect(maxRelativeError(got, want)).toBeLessThan(1e-5);
    layer.dispose();
  });
});

describeEachBackend('SimdProvider on worker threads', () => {
  // Large enough that every product and gate step is split (2·M·K·N ≥ 2²⁰ flops, batch·units ≥ 4096).
  const T = 3;
  const B = 64;
  const F = 32;
  const makeCells: Array<[string, () => RecurrentCell]> = [
    ['LSTM', () => new LstmCell({ inputSize: F, units: 64, seed: 2 })],
    ['GRU', () => new GruCell({ inputSize: F, units: 64, seed: 2 })],
  ];
  for (const [name, make] of makeCells)
    it(`${name}: threads 2 gives bit-identical outputs and gradients to threads 1, with the work on 2 threads`, async () => {
      const cell = make();
      const layer = new Rnn(cell);
      const random = new Random(11);
      const data = randoms(T * B * F, random);
      const dOutputs = randoms(T * B * cell.units, random);
      const run = (p: SimdProvider) => {
        const input = { kind: 'dense', data, features: F } as const;
        const fwd = layer.forwardRaw(p, input, T, B, { keep: true });
        const back = layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true });
        return [fwd.outputs, ...fwd.final, ...back.grads, back.dInput as Floats];
      };
      const one = SimdProvider.create({ threads: 1 });
      const two = SimdProvider.create({ threads: 2 });
      if (!one || !two) throw new Error('WebAssembly SIMD is required by these tests');
      try {
        expect(one.threads).toBe(1);
        expect(two.threads).toBe(2);
        expect(await two.whenReady()).toBe(2);
        const want = run(one);
        const got = run(two);
        expect(two.workerShares).toBeGreaterThan(0);
        expect(one.workerShares).toBe(0);
        got.forEach((g, i) => {
          expect(Array.from(g)).toEqual(Array.from(want[i]));
        });
      } finally {
        two.dispose();
        layer.dispose();
      }
    });

  for (const [name, make] of makeCells)
    it(`${name}: split 'batch' (sample halves with a reduction) gives one thread's gradients within float32 rounding`, async () => {
      // T·B = 768 samples: three blocks of 256, round-robin over 2 threads, then the reduction.
      const Tb = 12;
      const cell = make();
      const layer = new Rnn(cell);
      const random = new Random(12);
      const data = randoms(Tb * B * F, random);
      const dOutputs = randoms(Tb * B * cell.units, random);
      const run = (p: SimdProvider) => {
        const input = { kind: 'dense', data, features: F } as const;
        const fwd = layer.forwardRaw(p, input, Tb, B, { keep: true });
        const back = layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true });
        return { outputs: fwd.outputs, grads: back.grads, dInput: back.dInput as Floats };
      };
      const one = SimdProvider.create({ threads: 1, split: 'batch' });
      const rows = SimdProvider.create({ threads: 2 });
      const batch = SimdProvider.create({ threads: 2, split: 'batch' });
      if (!one || !rows || !batch) throw new Error('WebAssembly SIMD is required by these tests');
      try {
        expect(await batch.whenReady()).toBe(2);
        const want = run(one);
        // On one thread 'batch' is 'rows' (whose 2-thread results equal 1 thread's, bit for bit).
        expect(run(rows).grads.map((g) => Array.from(g))).toEqual(want.grads.map((g) => Array.from(g)));
        const before = batch.workerShares;
        const got = run(batch);
        expect(batch.workerShares).toBeGreaterThan(before);
        // The forward pass and ∂C/∂x are split by rows as before: bit-identical.
        expect(Array.from(got.outputs)).toEqual(Array.from(want.outputs));
        expect(Array.from(got.dInput)).toEqual(Array.from(want.dInput));
        // Weight gradients: the same sums in another order.
        got.grads.forEach((g, i) => {
          expect(maxRelativeError(g, want.grads[i])).toBeLessThan(1e-5);
        });
        expect(got.grads.some((g, i) => Array.from(g).some((x, k) => x !== want.grads[i][k]))).toBe(true);
      } finally {
        rows.dispose();
        batch.dispose();
        layer.dispose();
      }
    });

  it('threads must be an integer in [1, 256]; unknown options throw', () => {
    for (const threads of [0, 2.5, 1000]) expect(() => SimdProvider.create({ threads })).toThrow(/threads/);
    expect(() => SimdProvider.create({ thread: 2 } as never)).toThrow(/thread/);
    expect(() => SimdProvider.create({ split: 'columns' } as never)).toThrow(/'split'/);
  });

  it('a trap in a worker (out-of-bounds pointers) is a WordloomError, and the pool keeps working', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const module = compileSimdKernels(true);
    const kernels = instantiateSimdKernels(memory);
    if (!module || !kernels) throw new Error('WebAssembly SIMD is required by these tests');
    const pool = KernelPool.create({ module, memory, names: [...SIMD_KERNEL_NAMES], threads: 2 });
    if (!pool) throw new Error('worker_threads are required by these tests');
    try {
      await pool.whenReady();
      const ok = [0, 4096, 8192, 4, 4, 8, 4, 1];
      const outside = [0, 4096, 16 * 65536, 4, 4, 8, 4, 1];
      expect(() => pool.run('sgemm', [ok, outside], kernels.sgemm)).toThrow(WordloomError);
      expect(() => pool.run('sgemm', [ok, ok], kernels.sgemm)).not.toThrow();
      // A trap on the calling thread propagates as the trap itself, after the worker's share is done.
      expect(() => pool.run('sgemm', [outside, ok], kernels.sgemm)).toThrow(WebAssembly.RuntimeError);
      expect(() => pool.run('sgemm', [ok, ok], kernels.sgemm)).not.toThrow();
      expect(() => pool.run('nope', [ok], kernels.sgemm)).toThrow(/nope/);
    } finally {
      pool.close();
    }
  });
});
