/** Backends wordloom knows how to select, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;

/** Name of a TensorFlow.js backend wordloom can select. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** npm package that provides each backend, and how to install it when it is missing. */
export const BACKEND_PACKAGES: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};
