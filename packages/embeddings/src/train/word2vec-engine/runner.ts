import { KernelThreads } from '../../simd/simd-module.js';
import { type EngineState, type KernelResult, trainSentences } from './kernel.js';

/** One thread's share of a round: sentences [from, to) at a rate falling from `alphaFrom` to `alphaTo`. */
export interface Slice {
  from: number;
  to: number;
  alphaFrom: number;
  alphaTo: number;
  /** xorshift32 state of the thread. */
  rng: number;
}

/**
 * Runs slices of sentences through the compiled kernel (`assembly/word2vec-train.ts`) — one slice per
 * thread of @wordloom/core's `KernelPool` when the state's memory is shared — or, for a state without
 * WebAssembly memory, through the plain JS kernel on this thread.
 */
export class Word2VecRunner {
  private readonly state: EngineState;
  private readonly threadsRun: KernelThreads | null;
  private readonly scratch = {
    sentence: new Int32Array(1024),
    neu1: new Float32Array(0),
    neu1e: new Float32Array(0),
  };

  private constructor(state: EngineState, threads: KernelThreads | null) {
    this.state = state;
    this.threadsRun = threads;
    this.scratch.neu1 = new Float32Array(state.dim);
    this.scratch.neu1e = new Float32Array(state.dim);
  }

  /** A runner for `state` on up to `threads` threads (never more than the state has scratch for). */
  static async create(state: EngineState, threads: number): Promise<Word2VecRunner> {
    const wasm = state.wasm;
    if (!wasm) return new Word2VecRunner(state, null);
    return new Word2VecRunner(state, await KernelThreads.start(wasm.memory, Math.min(threads, wasm.slots)));
  }

  /** Threads a round can run on. */
  get threads(): number {
    return this.threadsRun?.threads ?? 1;
  }

  /** Trains every slice (at most {@link threads}; slice k on thread k's scratch) and returns their totals. */
  run(slices: Slice[]): KernelResult[] {
    const wasm = this.state.wasm;
    const threads = this.threadsRun;
    if (!wasm || !threads)
      return slices.map((s) =>
        trainSentences(this.state, s.from, s.to, s.alphaFrom, s.alphaTo, s.rng, this.scratch),
      );
    threads.run(
      'trainSentences',
      slices.map((s, k) => [
        wasm.config,
        wasm.scratch + k * wasm.scratchStride,
        s.from,
        s.to,
        s.alphaFrom,
        s.alphaTo,
        s.rng,
        wasm.results + 32 * k,
      ]),
    );
    const out = new Float64Array(wasm.memory.buffer, wasm.results, 4 * slices.length);
    return slices.map((_, k) => ({
      loss: out[4 * k],
      pairs: out[4 * k + 1],
      words: out[4 * k + 2],
      rng: out[4 * k + 3] | 0,
    }));
  }

  /** Stops the worker threads. */
  close(): void {
    this.threadsRun?.close();
  }
}
