/**
 * Backends wordloom knows how to select, fastest first: native TensorFlow (Node), the GPU backends
 * (browser), WebAssembly, plain JavaScript.
 */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** Name of a TensorFlow.js backend wordloom can select. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** npm package that provides each backend, and how to install it when it is missing. */
export const BACKEND_PACKAGES: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** Backends that compute on the GPU: their dense math goes through tfjs ops, never the SIMD kernels. */
export const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];
