import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { availableThreads } from './available-threads.js';
import { KernelPool } from './kernel-pool.js';

// The pool's arithmetic is tested with real kernels in @wordloom/rnn (src/bptt/simd-provider.test.ts);
// here: its arguments, and where it declines to start.
describe('KernelPool', () => {
  const module = {} as WebAssembly.Module;
  const shared = () => new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });

  it('threads: 1 starts no worker', () => {
    expect(KernelPool.create({ module, memory: shared(), names: [], threads: 1 })).toBeNull();
  });

  it('rejects a thread count that is not an integer in [1, 256], and an unshared memory', () => {
    for (const threads of [0, 1.5, 257, Number.NaN])
      expect(() => KernelPool.create({ module, memory: shared(), names: [], threads })).toThrow(
        InvalidArgumentError,
      );
    const unshared = new WebAssembly.Memory({ initial: 1 });
    expect(() => KernelPool.create({ module, memory: unshared, names: [], threads: 2 })).toThrow(
      /shared: true/,
    );
  });

  it('availableThreads is this machine’s parallelism under Node', async () => {
    const os = await import('node:os');
    expect(availableThreads()).toBe(os.availableParallelism());
  });
});
