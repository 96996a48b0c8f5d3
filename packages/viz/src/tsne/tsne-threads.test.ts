import { describeEachBackend } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { expect, it, vi } from 'vitest';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { tsne } from './tsne.js';

// Switches the WebAssembly kernels off (as on a runtime without SIMD) to run the JavaScript paths.
const simd = vi.hoisted(() => ({ on: true }));
vi.mock('../kernels/viz-kernels.js', async (original) => ({
  ...(await original<typeof import('../kernels/viz-kernels.js')>()),
  vizSimdSupported: () => simd.on,
}));

const run = (threads: number, iterations = 120, extra: Parameters<typeof tsne>[1] = {}) => {
  const { x } = gaussianBlobs(4, 75, 10, { spacing: 4 });
  return tsne(x, { method: 'barnes-hut', neighbors: 'exact', perplexity: 15, iterations, threads, ...extra });
};

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  let scale = 0;
  for (let e = 0; e < a.length; e++) {
    m = Math.max(m, Math.abs(a[e] - b[e]));
    scale = Math.max(scale, Math.abs(a[e]));
  }
  return m / scale;
}

describeEachBackend('tsne threads', () => {
  it('threads: 1 and threads: 2 each repeat bit for bit; 1 and 2 threads agree to rounding', async () => {
    simd.on = true;
    const one = await run(1);
    const oneAgain = await run(1);
    expect(Array.from(oneAgain.embedding.data)).toEqual(Array.from(one.embedding.data));
    expect(oneAgain.kl).toBe(one.kl);
    const two = await run(2);
    const twoAgain = await run(2);
    expect(Array.from(twoAgain.embedding.data)).toEqual(Array.from(two.embedding.data));
    expect(twoAgain.kl).toBe(two.kl);
    // Only the order of the Z and KL sums differs between 1 and 2 threads: a rounding apart after a few
    // steps. The optimisation is chaotic (measured: 1e-15 after 10 steps, 1e-9 after 30, 1e-2 after 60),
    // so later on only the quality agrees.
    const short = [await run(1, 10), await run(2, 10)];
    expect(maxDifference(short[1].embedding.data, short[0].embedding.data)).toBeLessThan(1e-12);
    expect(Math.abs(two.kl - one.kl)).toBeLessThan(0.05 * one.kl);
  });

  it('3-D (dof 2) on the kernels: repeatable, and the JavaScript fallback agrees to rounding', async () => {
    simd.on = true;
    const kernels = await run(2, 80, { dimensions: 3 });
    expect(Array.from((await run(2, 80, { dimensions: 3 })).embedding.data)).toEqual(
      Array.from(kernels.embedding.data),
    );
    simd.on = false;
    try {
      // t·√t against ** 1.5 and the order of sums: a rounding apart after a few steps (see above).
      const js = await run(2, 10, { dimensions: 3 });
      simd.on = true;
      const short = await run(2, 10, { dimensions: 3 });
      expect(maxDifference(js.embedding.data, short.embedding.data)).toBeLessThan(1e-12);
    } finally {
      simd.on = true;
    }
  });

  it('without WebAssembly SIMD runs the JavaScript paths, repeatable, agreeing with the kernels', async () => {
    simd.on = false;
    try {
      const js = await run(2);
      const again = await run(1);
      expect(Array.from(again.embedding.data)).toEqual(Array.from(js.embedding.data));
      simd.on = true;
      const kernels = await run(1);
      expect(Math.abs(js.kl - kernels.kl)).toBeLessThan(0.05 * js.kl);
      simd.on = false;
      const jsShort = await run(1, 10);
      simd.on = true;
      expect(maxDifference(jsShort.embedding.data, (await run(1, 10)).embedding.data)).toBeLessThan(1e-12);
    } finally {
      simd.on = true;
    }
  });

  it('rejects a thread count that is not an integer in [1, 256]', async () => {
    for (const threads of [0, 1.5, 257, Number.NaN])
      await expect(run(threads)).rejects.toThrow(InvalidArgumentError);
    await expect(run(0)).rejects.toThrow(/'threads' passed to 'tsne'/);
  });
});
