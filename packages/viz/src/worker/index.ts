export type {
  MessageEndpoint,
  TsneWorkerOptions,
  TsneWorkerRequest,
  TsneWorkerResponse,
} from './protocol.js';
export { type RunTsneInWorkerOptions, runTsneInWorker } from './run-tsne-in-worker.js';
export { serveTsne } from './serve-tsne.js';
