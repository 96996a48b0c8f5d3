export { BACKEND_NAMES, BACKEND_PACKAGES, type BackendName, GPU_BACKENDS } from './backend-names.js';
export {
  availableBackends,
  type BackendInfo,
  registerGpuBackendModules,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
