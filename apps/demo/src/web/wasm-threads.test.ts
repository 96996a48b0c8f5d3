import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, planWasmThreads } from './wasm-threads.js';

describe('planWasmThreads (threads for the tfjs wasm backend in the page)', () => {
  it('uses what tfjs 4.22 runs: half the logical cores, up to 8', () => {
    expect(planWasmThreads({ isolated: true, cores: 4, blobScripts: true })).toEqual({
      threads: 2,
      reason: '',
    });
    expect(planWasmThreads({ isolated: true, cores: 7, blobScripts: true })).toEqual({
      threads: 3,
      reason: '',
    });
    expect(planWasmThreads({ isolated: true, cores: 64, blobScripts: true })).toEqual({
      threads: MAX_WASM_THREADS,
      reason: '',
    });
  });

  it('falls back to one thread and says why', () => {
    expect(planWasmThreads({ isolated: false, cores: 8, blobScripts: true })).toEqual({
      threads: 1,
      reason: 'not cross-origin isolated',
    });
    expect(planWasmThreads({ isolated: true, cores: 8, blobScripts: false }).reason).toMatch(
      /Content-Security-Policy blocks blob: worker scripts/,
    );
    expect(planWasmThreads({ isolated: true, cores: 2, blobScripts: true })).toEqual({
      threads: 1,
      reason: "tfjs's threaded build uses half the logical cores, and there are 2 here",
    });
    for (const cores of [1, 0, Number.NaN, 2.5])
      expect(planWasmThreads({ isolated: true, cores, blobScripts: true }), String(cores)).toEqual({
        threads: 1,
        reason: "tfjs's threaded build uses half the logical cores, and there is 1 here",
      });
  });
});
