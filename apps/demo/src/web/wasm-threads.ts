/**
 * Threads for the tfjs wasm backend in the page. Its threaded build (XNNPACK over Emscripten pthreads)
 * needs a cross-origin isolated page (SharedArrayBuffer) and starts each thread as a worker made from a
 * `blob:` URL that `importScripts()` the backend's own code from another `blob:` URL — which the page's
 * Content-Security-Policy must allow (`worker-src blob:` and `script-src blob:`).
 */

/** Most threads tfjs 4.22's threaded build runs (it starts 8 pthread workers up front). */
export const MAX_WASM_THREADS = 8;

/** What the page can use here (see {@link planWasmThreads}). */
export interface WasmThreadPlan {
  /** Threads to ask `selectBackend` for. */
  threads: number;
  /** Why only one thread, or `''`. */
  reason: string;
}

/**
 * The threads the tfjs wasm backend can run here, or one thread and why. tfjs 4.22 sizes its pool to half
 * the logical cores (it assumes two hyper-threads per core; `backend.cc` caps any requested count there),
 * at most {@link MAX_WASM_THREADS}; where that comes to one thread, the single-threaded build does the
 * same work without starting 8 idle pthread workers.
 */
export function planWasmThreads(here: {
  isolated: boolean;
  cores: number;
  blobScripts: boolean;
}): WasmThreadPlan {
  if (!here.isolated) return { threads: 1, reason: 'not cross-origin isolated' };
  if (!here.blobScripts)
    return { threads: 1, reason: 'the Content-Security-Policy blocks blob: worker scripts' };
  const cores = Number.isInteger(here.cores) && here.cores > 0 ? here.cores : 1;
  const threads = Math.min(MAX_WASM_THREADS, Math.floor(cores / 2));
  if (threads < 2)
    return {
      threads: 1,
      reason: `tfjs's threaded build uses half the logical cores, and there ${cores === 1 ? 'is 1' : `are ${cores}`} here`,
    };
  return { threads, reason: '' };
}

/**
 * Whether a worker made from a `blob:` URL can `importScripts()` a `blob:` script here — exactly what each
 * pthread of the threaded build does. Without this check a CSP that forbids it would leave the backend
 * waiting for threads that never start; with it the page falls back to one thread and says why.
 */
export function blobWorkerScriptsRun(timeoutMs = 5000): Promise<boolean> {
  const urls: string[] = [];
  const blobUrl = (code: string) => {
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    urls.push(url);
    return url;
  };
  const script = blobUrl('self.wordloomProbe = 42;');
  const source = `try { importScripts(${JSON.stringify(script)}); postMessage(self.wordloomProbe === 42); } catch (e) { postMessage(false); }`;
  return new Promise<boolean>((resolve) => {
    let worker: Worker | undefined;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      worker?.terminate();
      for (const url of urls) URL.revokeObjectURL(url);
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    try {
      worker = new Worker(blobUrl(source));
      worker.onmessage = (event: MessageEvent<unknown>) => done(event.data === true);
      worker.onerror = () => done(false);
    } catch {
      done(false);
    }
  });
}
