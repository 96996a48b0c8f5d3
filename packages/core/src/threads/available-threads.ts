/** The subset of `node:os` used here (loaded without a static import, so browser bundles stay clean). */
interface NodeOs {
  availableParallelism?: () => number;
  cpus: () => unknown[];
}

/**
 * How many threads kernels can run on here: Node's `os.availableParallelism()`; in a browser
 * `navigator.hardwareConcurrency` when the page is cross-origin isolated (shared WebAssembly memory needs
 * it), else 1.
 */
export function availableThreads(): number {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  };
  const os = g.process?.getBuiltinModule?.('node:os') as NodeOs | undefined;
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  if (g.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function')
    return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
  return 1;
}
