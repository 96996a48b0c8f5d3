export { BACKEND_NAMES, BACKEND_PACKAGES, type BackendName } from './backend-names.js';
export {
  availableBackends,
  type BackendInfo,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
