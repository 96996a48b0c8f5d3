import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { splitRange, THREADED, VizKernels, vizSimdSupported } from './viz-kernels.js';

describe('splitRange', () => {
  it('splits into contiguous ranges whose lengths differ by at most one, longer first', () => {
    expect(splitRange(10, 3)).toEqual([
      [0, 4],
      [4, 7],
      [7, 10],
    ]);
    expect(splitRange(4, 4)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    // More parts than items: one range per item; nothing to split: one empty range.
    expect(splitRange(2, 5)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(splitRange(0, 3)).toEqual([[0, 0]]);
    expect(() => splitRange(5, 0)).toThrow(InvalidArgumentError);
    expect(() => splitRange(-1, 2)).toThrow(/'n' passed to 'splitRange'/);
  });
});

describe('VizKernels', () => {
  it('compiles here (WebAssembly SIMD) and refuses a bad thread count', async () => {
    expect(vizSimdSupported()).toBe(true);
    await expect(VizKernels.start(0)).rejects.toThrow(/'threads' passed to 'VizKernels.start'/);
    await expect(VizKernels.start(1.5)).rejects.toThrow(InvalidArgumentError);
  });

  it('allocates 16-byte aligned, growing the memory, and reset starts over', async () => {
    const k = await VizKernels.start(1);
    try {
      expect(k.threads).toBe(1);
      const a = k.alloc(3);
      const b = k.alloc(8);
      expect(a % 16).toBe(0);
      expect(b).toBe(16);
      const big = k.alloc(5 * 65536 + 5);
      expect(big % 16).toBe(0);
      expect(k.memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 5 * 65536 + 5);
      // Views taken after growth see the whole memory.
      const view = k.f64(big, 5);
      view[4] = 7;
      expect(k.f64(big, 5)[4]).toBe(7);
      expect(k.i32(b, 2)).toHaveLength(2);
      expect(k.f32(b, 2)).toHaveLength(2);
      expect(() => k.alloc(-1)).toThrow(/'bytes' passed to 'VizKernels.alloc'/);
      k.reset();
      expect(k.alloc(1)).toBe(0);
    } finally {
      k.close();
    }
  });

  it('with 2 threads shares one memory with a worker, which writes its share', async () => {
    const k = await VizKernels.start(2);
    try {
      expect(k.threads).toBe(2);
      expect(k.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(THREADED).toContain('tsneAttractive');
      // Two rows of a 2-point P, one per share: each share writes only its row and its slot.
      const y = k.alloc(32);
      const rows = k.alloc(12);
      const cols = k.alloc(8);
      const vals = k.alloc(16);
      const out = k.alloc(32);
      const slots = k.alloc(16);
      k.f64(y, 4).set([0, 0, 1, 0]);
      k.i32(rows, 3).set([0, 1, 2]);
      k.i32(cols, 2).set([1, 0]);
      k.f64(vals, 2).set([0.5, 0.5]);
      k.run('tsneAttractive', [
        [y, 2, rows, cols, vals, 1, 1, 0, 1, out, 1, 0, slots],
        [y, 2, rows, cols, vals, 1, 1, 1, 2, out, 1, 0, slots + 8],
      ]);
      // q̃ = 1 / (1 + 1) = 0.5, force on point 0: 0.5 · 0.5 · (0 − 1).
      expect(Array.from(k.f64(out, 4))).toEqual([-0.25, 0, 0.25, 0]);
      k.close();
      k.close();
      // Closed: still usable on this thread.
      k.run('tsneAttractive', [[y, 2, rows, cols, vals, 2, 1, 0, 2, out, 1, 0, slots]]);
      expect(Array.from(k.f64(out, 4))).toEqual([-0.5, 0, 0.5, 0]);
    } finally {
      k.close();
    }
  });
});
