import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { WordloomError } from '../errors/wordloom-error.js';
import { WORKER_SOURCE } from './worker-source.js';

/** A started worker: Node's `worker_threads.Worker` or a browser `Worker`. */
interface AnyWorker {
  terminate(): unknown;
  unref?: () => void;
}

/** Most arguments of one kernel call (the slot holds the export's index, the count, the arguments). */
const MAX_ARGS = 14;

/**
 * A small pool of worker threads that run exports of one WebAssembly kernel module over one shared
 * `WebAssembly.Memory`: Node `worker_threads`, or Web Workers in a cross-origin-isolated page. Calls are
 * synchronous for the caller, which runs the first share itself and then waits (Node: `Atomics.wait`;
 * a browser's main thread, which may not block, spins) until every worker has published its share as
 * done. Workers that are still starting are simply not given work, so the pool is usable at once.
 *
 * Workers hold no JavaScript state between calls: each call is (export, arguments) written to the worker's
 * slot of a SharedArrayBuffer, then its generation word bumped and notified.
 */
export class KernelPool {
  /** Threads a call can use: the caller plus the workers. */
  readonly threads: number;
  private readonly workers: AnyWorker[];
  private readonly names: Map<string, number>;
  private readonly ctrl: Int32Array;
  private readonly argv: Float64Array;
  private readonly blocking: boolean;
  private generation = 0;
  private closed = false;
  private shares = 0;

  private constructor(workers: AnyWorker[], names: string[], ctrl: Int32Array, argv: Float64Array) {
    this.workers = workers;
    this.threads = workers.length + 1;
    this.names = new Map(names.map((n, i) => [n, i]));
    this.ctrl = ctrl;
    this.argv = argv;
    // Only a browser's main thread (a window) may not block in Atomics.wait.
    this.blocking = typeof (globalThis as { window?: unknown }).window === 'undefined';
  }

  /**
   * Starts `threads − 1` workers (the caller is the first thread), each instantiating `module` over
   * `memory` (which must be shared) with the exports `names` callable through {@link run}. Returns null
   * where threads cannot run (no `worker_threads`, no Web Workers, or a page that is not cross-origin
   * isolated); `threads: 1` starts nothing and is also null.
   */
  static create(options: {
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    names: string[];
    threads: number;
  }): KernelPool | null {
    const { module, memory, names, threads } = options;
    if (!Number.isInteger(threads) || threads < 1 || threads > 256)
      throw new InvalidArgumentError('threads', 'KernelPool.create', 'an integer in [1, 256]', threads);
    if (threads === 1) return null;
    if (typeof SharedArrayBuffer !== 'function' || !(memory.buffer instanceof SharedArrayBuffer))
      throw new InvalidArgumentError(
        'memory',
        'KernelPool.create',
        'a WebAssembly.Memory({ shared: true })',
        memory,
      );
    const spawn = workerFactory();
    if (!spawn) return null;
    const n = threads - 1;
    const control = new SharedArrayBuffer(4 * 8 * n);
    const args = new SharedArrayBuffer(8 * (MAX_ARGS + 2) * n);
    const workers: AnyWorker[] = [];
    try {
      for (let index = 0; index < n; index++)
        workers.push(spawn({ module, memory, names, control, args, index }));
    } catch {
      for (const w of workers) w.terminate();
      return null;
    }
    return new KernelPool(workers, names, new Int32Array(control), new Float64Array(args));
  }

  /** Calls run by workers so far (the caller's own shares not counted). */
  get workerShares(): number {
    return this.shares;
  }

  /**
   * Resolves with the threads usable now (ready workers + the caller) once every worker has started or
   * failed to, or after `timeoutMs`. Not needed before {@link run}, which uses whichever workers are ready.
   */
  async whenReady(timeoutMs = 10_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      let pending = 0;
      for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.ctrl, 8 * w + 2) === 0) pending++;
      if (pending === 0 || Date.now() >= end) return this.ready() + 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Workers that have instantiated the module and wait for work. */
  ready(): number {
    let count = 0;
    for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.ctrl, 8 * w + 2) === 1) count++;
    return count;
  }

  /**
   * Calls export `name` once per argument list: `argsPerThread[0]` on this thread, the others on ready
   * workers (on this thread too when fewer are ready), and returns when all are done. Throws a
   * `WordloomError` if a worker's call trapped.
   */
  run(name: string, argsPerThread: number[][], local: (...args: number[]) => void): void {
    if (this.closed) throw new WordloomError('KernelPool.run: the pool is closed');
    const fn = this.names.get(name);
    if (fn === undefined)
      throw new InvalidArgumentError(
        'name',
        'KernelPool.run',
        `one of ${[...this.names.keys()].join(', ')}`,
        name,
      );
    for (const a of argsPerThread)
      if (a.length > MAX_ARGS)
        throw new InvalidArgumentError(
          'argsPerThread',
          'KernelPool.run',
          `at most ${MAX_ARGS} arguments`,
          a.length,
        );
    const ctrl = this.ctrl;
    const generation = ++this.generation;
    const sent: number[] = [];
    let next = 1;
    for (let w = 0; w < this.workers.length && next < argsPerThread.length; w++) {
      if (Atomics.load(ctrl, 8 * w + 2) !== 1) continue;
      const a = argsPerThread[next++];
      const base = (MAX_ARGS + 2) * w;
      this.argv[base] = fn;
      this.argv[base + 1] = a.length;
      for (let i = 0; i < a.length; i++) this.argv[base + 2 + i] = a[i];
      Atomics.store(ctrl, 8 * w + 3, 0);
      Atomics.store(ctrl, 8 * w, generation);
      Atomics.notify(ctrl, 8 * w);
      sent.push(w);
    }
    this.shares += sent.length;
    // The caller's shares; if one throws, the workers' shares are still waited for before it propagates,
    // so no worker is left writing into memory the caller goes on to reuse.
    let localError: unknown = null;
    try {
      local(...argsPerThread[0]);
      for (; next < argsPerThread.length; next++) local(...argsPerThread[next]);
    } catch (e) {
      localError = e;
    }
    let failed = false;
    for (const w of sent) {
      const slot = 8 * w + 1;
      for (let spins = 0; ; spins++) {
        const seen = Atomics.load(ctrl, slot);
        if (seen === generation) break;
        // Spin first (a share takes microseconds to a millisecond), then sleep until notified.
        if (this.blocking && spins > 1000) Atomics.wait(ctrl, slot, seen, 10);
      }
      if (Atomics.load(ctrl, 8 * w + 3) !== 0) failed = true;
    }
    if (localError !== null) throw localError;
    if (failed) throw new WordloomError(`KernelPool.run: ${name} failed in a worker thread`);
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(this.ctrl, 8 * w, -1);
      Atomics.notify(this.ctrl, 8 * w);
    }
    for (const w of this.workers) w.terminate();
  }
}

/** Starts one worker with its init data, or null where this runtime has no usable worker threads. */
function workerFactory(): ((init: unknown) => AnyWorker) | null {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    crossOriginIsolated?: boolean;
    Worker?: new (url: string) => AnyWorker & { postMessage(m: unknown): void };
    Blob?: typeof Blob;
    URL?: typeof URL;
  };
  const threads = g.process?.getBuiltinModule?.('node:worker_threads') as
    | { Worker: new (code: string, o: { eval: true; workerData: unknown }) => AnyWorker }
    | undefined;
  if (threads)
    return (init) => {
      const w = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: init });
      // The pool must never keep a process alive.
      w.unref?.();
      return w;
    };
  if (g.crossOriginIsolated === true && g.Worker && g.Blob && g.URL) {
    const BrowserWorker = g.Worker;
    const url = g.URL.createObjectURL(new g.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    return (init) => {
      const w = new BrowserWorker(url);
      w.postMessage(init);
      return w;
    };
  }
  return null;
}
