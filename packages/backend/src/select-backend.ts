import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, UnavailableError } from '@wordloom/core';
import { BACKEND_NAMES, BACKEND_PACKAGES, type BackendName } from './backend-names.js';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Backend to use. Without it, `WORDLOOM_BACKEND` from the environment is used, and without that the
   * fastest available one: `tensorflow` (if `@tensorflow/tfjs-node` is installed) → `wasm` → `cpu`.
   * @default undefined (automatic)
   */
  backend?: BackendName | string;
  /**
   * Where the browser fetches the wasm backend's `.wasm` files (a URL prefix ending in `/`, or a map of
   * file name to URL). Ignored in Node, which reads them from `node_modules`.
   * @default undefined (next to the bundled script)
   */
  wasmPaths?: string | Record<string, string>;
}

/** What {@link selectBackend} chose. */
export interface BackendInfo {
  /** Backend now active in tfjs-core. */
  name: BackendName;
  /** Threads the backend computes with (1 for `cpu` and single-threaded `wasm`). */
  threads: number;
  /** Whether the wasm backend runs its SIMD build (false for other backends). */
  simd: boolean;
  /** Why this backend was chosen. */
  source: 'option' | 'env' | 'auto';
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** Loaders register a backend with tfjs-core; each throws when its package is not installed. */
const loaders: Record<BackendName, (options: SelectBackendOptions) => Promise<void>> = {
  async tensorflow() {
    // A variable specifier keeps bundlers from trying to resolve this Node-only optional peer.
    const specifier = BACKEND_PACKAGES.tensorflow;
    await import(/* @vite-ignore */ specifier);
  },
  async wasm(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!isNode && options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

/**
 * Selects a TensorFlow.js backend, waits for it to be ready and reports what runs.
 *
 * Order of precedence: `options.backend`, then the `WORDLOOM_BACKEND` environment variable, then the
 * fastest backend that loads (`tensorflow` → `wasm` → `cpu`).
 *
 * @throws InvalidArgumentError for a name that is not a backend (the message lists the valid ones).
 * @throws UnavailableError when the requested backend is not installed or fails to start (the
 *   message says how to install it).
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
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
    const pkg = BACKEND_PACKAGES[name];
    const available = (await availableBackends()).join(', ');
    throw new UnavailableError(
      pkg,
      `Backend '${name}' is not installed: add the package ${pkg} (npm install ${pkg}) to use it. ` +
        `Available here: ${available}.`,
      { cause },
    );
  }
  const ok = await tf.setBackend(name);
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
    return { name, threads, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), source };
  }
  if (name === 'tensorflow') {
    // libtensorflow uses its own intra-op thread pool sized to the machine.
    const cores = isNode ? navigatorCores() : 1;
    return { name, threads: cores, simd: false, source };
  }
  // The cpu backend advertises tfjs-node on first use; here cpu was chosen on purpose, so skip the advert.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { name, threads: 1, simd: false, source };
}

function navigatorCores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}
