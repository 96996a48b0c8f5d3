import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, UnavailableError } from '@wordloom/core';
import { afterEach, describe, expect, it } from 'vitest';
import { availableBackends, registerGpuBackendModules, selectBackend } from './select-backend.js';

describe('selectBackend', () => {
  const saved = process.env.WORDLOOM_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.WORDLOOM_BACKEND;
    else process.env.WORDLOOM_BACKEND = saved;
  });

  it('picks wasm automatically when tfjs-node is absent, with SIMD', async () => {
    delete process.env.WORDLOOM_BACKEND;
    const info = await selectBackend();
    expect(info).toEqual({ name: 'wasm', threads: 1, simd: true, source: 'auto', gpu: false });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('honours WORDLOOM_BACKEND, and an explicit option over it', async () => {
    process.env.WORDLOOM_BACKEND = 'cpu';
    expect(await selectBackend()).toMatchObject({ name: 'cpu', source: 'env' });
    expect(tf.getBackend()).toBe('cpu');
    expect(await selectBackend({ backend: 'wasm' })).toMatchObject({ name: 'wasm', source: 'option' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('computes the same matmul on every backend it selects', async () => {
    const results: number[][] = [];
    for (const backend of ['cpu', 'wasm']) {
      await selectBackend({ backend });
      const out = tf.tidy(() =>
        tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])),
      );
      results.push(Array.from(await out.data()));
      out.dispose();
    }
    expect(results).toEqual([
      [19, 22, 43, 50],
      [19, 22, 43, 50],
    ]);
  });

  it('rejects an unknown name with a typed error listing the backends', async () => {
    const error = await selectBackend({ backend: 'cuda' }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /Argument 'backend' passed to 'selectBackend' must be one of tensorflow, webgpu, webgl, wasm, cpu/,
    );
    expect((error as Error).message).toMatch(/available here: wasm, cpu/);
    expect((error as Error).message).toContain('"cuda"');
  });

  it('names the environment variable when it is the bad input', async () => {
    process.env.WORDLOOM_BACKEND = 'gpu';
    await expect(selectBackend()).rejects.toThrow(/Argument 'WORDLOOM_BACKEND'/);
  });

  it('says how to install tfjs-node when tensorflow is asked for and missing', async () => {
    const error = await selectBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(UnavailableError.isInstance(error)).toBe(true);
    expect((error as UnavailableError).missing).toBe('@tensorflow/tfjs-node');
    expect((error as Error).message).toMatch(
      /not installed: add the package @tensorflow\/tfjs-node \(npm install @tensorflow\/tfjs-node\)/,
    );
  });

  it('says the GPU backends need a browser API when asked for in Node (their packages are installed)', async () => {
    for (const [backend, api] of [
      ['webgl', /needs WebGL/],
      ['webgpu', /needs WebGPU \(navigator\.gpu\)/],
    ] as const) {
      const error = await selectBackend({ backend }).catch((e: unknown) => e);
      expect(UnavailableError.isInstance(error), backend).toBe(true);
      expect((error as UnavailableError).missing).toBe(`@tensorflow/tfjs-backend-${backend}`);
      expect((error as Error).message).toMatch(api);
      expect((error as Error).message).toMatch(/Use wasm or cpu here/);
    }
    expect(tf.getBackend()).not.toMatch(/^web/);
  });

  it('checks what registerGpuBackendModules is given', () => {
    expect(() => registerGpuBackendModules({ cuda: async () => ({}) } as never)).toThrow(
      /Argument 'modules' passed to 'registerGpuBackendModules' must be keys webgl and\/or webgpu/,
    );
    expect(() => registerGpuBackendModules({ webgl: 'x' } as never)).toThrow(/Argument 'webgl'/);
  });

  it('rejects unknown options and a thread count that is not an integer from 1 to 256', async () => {
    const unknown = await selectBackend({ backend: 'cpu', thread: 2 } as never).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(unknown)).toBe(true);
    expect((unknown as Error).message).toMatch(
      /Argument 'options' passed to 'selectBackend' must be an object with the keys backend, wasmPaths, threads \(unknown key 'thread'\)/,
    );
    for (const threads of [0, 1.5, -2, 257, Number.NaN, '2']) {
      const error = await selectBackend({ backend: 'wasm', threads } as never).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), String(threads)).toBe(true);
      expect((error as Error).message).toMatch(
        /Argument 'threads' passed to 'selectBackend' must be an integer/,
      );
    }
    await expect(selectBackend(null as never)).rejects.toThrow(/Argument 'options'/);
  });

  it('runs wasm on one thread in Node whatever threads asks for, and says so', async () => {
    // tfjs 4.22 has no threaded wasm build for Node (see the README): the reported count is the real one.
    expect(await selectBackend({ backend: 'wasm', threads: 2 })).toMatchObject({ name: 'wasm', threads: 1 });
    expect(await selectBackend({ backend: 'wasm', threads: 1 })).toMatchObject({ name: 'wasm', threads: 1 });
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('lists the installed backends fastest first', async () => {
    expect(await availableBackends()).toEqual(['wasm', 'cpu']);
  });
});
