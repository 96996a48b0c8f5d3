import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError, UnavailableError } from '@wordloom/core';
import { BACKEND_NAMES, BACKEND_PACKAGES, type BackendName } from './backend-names.js';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Backend to use. Without it, `WORDLOOM_BACKEND` from the environment is used, and without that the
   * fastest one that starts: `tensorflow` (Node, if `@tensorflow/tfjs-node` is installed) → `webgpu` →
   * `webgl` (browsers, if the optional peers are installed and the GPU API works) → `wasm` → `cpu`.
   * @default undefined (automatic)
   */
  backend?: BackendName | string;
  /**
   * Where the browser fetches the wasm backend's `.wasm` files (a URL prefix ending in `/`, or a map of
   * file name to URL). Ignored in Node, which reads them from `node_modules`.
   * @default undefined (next to the bundled script)
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Threads the `wasm` backend computes with (XNNPACK's thread pool, tfjs's `setThreadsCount`); other
   * backends ignore it. More than 1 needs the wasm backend's threaded build, which runs only in a browser
   * page that is cross-origin isolated (COOP + COEP: `SharedArrayBuffer`) and whose CSP lets its workers
   * run `blob:` scripts; elsewhere (Node, any other page) it runs on one thread. `1` asks for the
   * single-threaded SIMD build even where the threaded one could run (no pthread workers are started).
   * Takes effect when the wasm backend first starts in this JavaScript realm; `BackendInfo.threads`
   * reports what runs.
   * tfjs 4.22 caps the pool at half the logical cores (it assumes hyper-threading) and at 8, so asking for
   * more than that runs that many.
   * @default undefined (tfjs's choice: half the logical cores, 1 to 8)
   */
  threads?: number;
}

/** The keys {@link SelectBackendOptions} accepts (anything else is a typo and throws). */
const OPTION_KEYS: readonly string[] = ['backend', 'wasmPaths', 'threads'];

/** What {@link selectBackend} chose. */
export interface BackendInfo {
  /** Backend now active in tfjs-core. */
  name: BackendName;
  /**
   * Threads the backend computes with: for `wasm` the size of its thread pool (1 for the single-threaded
   * build), 1 for `cpu` and the GPU backends.
   */
  threads: number;
  /** Whether the wasm backend runs its SIMD build (false for other backends). */
  simd: boolean;
  /** Why this backend was chosen. */
  source: 'option' | 'env' | 'auto';
  /** Whether it computes on the GPU (`webgpu`, `webgl`). */
  gpu: boolean;
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/**
 * The optional GPU peers' specifiers, in a mutable record so bundlers do not try to resolve them
 * statically; an app that ships them registers them with {@link registerGpuBackendModules}.
 */
const optional: Record<'webgl' | 'webgpu', string> = {
  webgl: BACKEND_PACKAGES.webgl,
  webgpu: BACKEND_PACKAGES.webgpu,
};

/** Imports of the GPU backend modules given by a bundled app (see {@link registerGpuBackendModules}). */
const bundled: Partial<Record<'webgl' | 'webgpu', () => Promise<unknown>>> = {};

/**
 * Tells `selectBackend` how to load the optional GPU backends in a bundled app, e.g.
 * `registerGpuBackendModules({ webgl: () => import('@tensorflow/tfjs-backend-webgl') })`: a bundler
 * resolves the app's own `import()`, while wordloom never names an uninstalled optional peer statically.
 * Unknown keys throw.
 */
export function registerGpuBackendModules(
  modules: Partial<Record<'webgl' | 'webgpu', () => Promise<unknown>>>,
): void {
  for (const [key, load] of Object.entries(modules)) {
    if (key !== 'webgl' && key !== 'webgpu')
      throw new InvalidArgumentError('modules', 'registerGpuBackendModules', 'keys webgl and/or webgpu', key);
    if (typeof load !== 'function')
      throw new InvalidArgumentError(
        key,
        'registerGpuBackendModules',
        'a function returning import(...)',
        load,
      );
    bundled[key] = load;
  }
}

/** The backend's package is installed but this environment lacks the API it needs. */
class NotSupportedHere extends Error {
  constructor(
    readonly backend: BackendName,
    readonly api: string,
  ) {
    super(`Backend '${backend}' needs ${api}, which this environment does not provide.`);
  }
}

/** Whether a WebGL context can be created here (headless browsers without a GPU often cannot). */
function webglWorks(): boolean {
  const g = globalThis as {
    document?: { createElement(tag: 'canvas'): { getContext(kind: string): unknown } };
    OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown };
  };
  try {
    const canvas = g.OffscreenCanvas ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
    return canvas != null && (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) != null;
  } catch {
    return false;
  }
}

/** Loaders register a backend with tfjs-core; each throws when its package is not installed. */
const loaders: Record<BackendName, (options: SelectBackendOptions) => Promise<void>> = {
  async tensorflow() {
    // A variable specifier keeps bundlers from trying to resolve this Node-only optional peer.
    const specifier = BACKEND_PACKAGES.tensorflow;
    await import(/* @vite-ignore */ specifier);
  },
  async webgpu() {
    if (isNode || !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu)
      throw new NotSupportedHere('webgpu', 'WebGPU (navigator.gpu)');
    // Variable specifiers: optional peers, so a bundle without them still builds.
    await (bundled.webgpu?.() ?? import(/* @vite-ignore */ optional.webgpu));
  },
  async webgl() {
    if (isNode || !webglWorks()) throw new NotSupportedHere('webgl', 'WebGL (a canvas webgl context)');
    await (bundled.webgl?.() ?? import(/* @vite-ignore */ optional.webgl));
  },
  async wasm(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!isNode && options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
    if (options.threads !== undefined) {
      // Both are read when the backend initialises (a later call changes nothing, as documented). One
      // thread: the plain SIMD build, so no pthread workers start for a pool that would not use them.
      if (options.threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(options.threads);
    }
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

/**
 * Selects a TensorFlow.js backend, waits for it to be ready and reports what runs.
 *
 * Order of precedence: `options.backend`, then the `WORDLOOM_BACKEND` environment variable, then the
 * fastest backend that loads (`tensorflow` → `webgpu` → `webgl` → `wasm` → `cpu`).
 *
 * @throws InvalidArgumentError for a name that is not a backend (the message lists the valid ones), an
 *   unknown option, or `threads` that is not an integer from 1 to 256.
 * @throws UnavailableError when the requested backend is not installed or fails to start (the
 *   message says how to install it).
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  checkOptions(options);
  const fromEnv = isNode ? process.env.WORDLOOM_BACKEND?.trim() || undefined : undefined;
  const requested = options.backend ?? fromEnv;
  const source: BackendInfo['source'] = options.backend != null ? 'option' : fromEnv != null ? 'env' : 'auto';

  if (requested != null) {
    if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
      const argument = source === 'env' ? 'WORDLOOM_BACKEND' : 'backend';
      const available = (await availableBackends()).join(', ');
      throw new InvalidArgumentError(
        argument,
        'selectBackend',
        `one of ${BACKEND_NAMES.join(', ')} (available here: ${available})`,
        requested,
      );
    }
    const name = requested as BackendName;
    await activate(name, options);
    return describe(name, source);
  }

  for (const name of BACKEND_NAMES) {
    try {
      await activate(name, options);
      return describe(name, source);
    } catch (error) {
      if (!UnavailableError.isInstance(error)) throw error;
    }
  }
  throw new UnavailableError('a tfjs backend', 'No TensorFlow.js backend could be started.');
}

function checkOptions(options: SelectBackendOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgumentError('options', 'selectBackend', 'an object', options);
  for (const key of Object.keys(options))
    if (!OPTION_KEYS.includes(key))
      throw new InvalidArgumentError(
        'options',
        'selectBackend',
        `an object with the keys ${OPTION_KEYS.join(', ')} (unknown key '${key}')`,
      );
  if (options.threads !== undefined) assertInteger(options.threads, 'threads', 'selectBackend', 1, 256);
}

/** Names of the backends whose packages load here, fastest first. */
export async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      await loaders[name]({});
      found.push(name);
    } catch {
      // not installed here
    }
  }
  return found;
}

async function activate(name: BackendName, options: SelectBackendOptions): Promise<void> {
  try {
    await loaders[name](options);
  } catch (cause) {
    if (cause instanceof NotSupportedHere)
      throw new UnavailableError(BACKEND_PACKAGES[name], `${cause.message} Use wasm or cpu here.`, { cause });
    const pkg = BACKEND_PACKAGES[name];
    const available = (await availableBackends()).join(', ');
    throw new UnavailableError(
      pkg,
      `Backend '${name}' is not installed: add the package ${pkg} (npm install ${pkg}) to use it. ` +
        `Available here: ${available}.`,
      { cause },
    );
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new UnavailableError(
      BACKEND_PACKAGES[name],
      `Backend '${name}' is installed but failed to start here.`,
    );
  }
  await tf.ready();
}

function describe(name: BackendName, source: BackendInfo['source']): BackendInfo {
  if (name === 'wasm') {
    const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
    const threads = backend.wasm?.tfjs?.getThreadsCount?.() ?? 1;
    return { name, threads, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), source, gpu: false };
  }
  if (name === 'tensorflow') {
    // libtensorflow uses its own intra-op thread pool sized to the machine.
    const cores = isNode ? navigatorCores() : 1;
    return { name, threads: cores, simd: false, source, gpu: false };
  }
  if (name === 'webgl' || name === 'webgpu') return { name, threads: 1, simd: false, source, gpu: true };
  // The cpu backend advertises tfjs-node on first use; here cpu was chosen on purpose, so skip the advert.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { name, threads: 1, simd: false, source, gpu: false };
}

function navigatorCores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}
