// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20).
import { BACKEND_NAMES, type BackendInfo, type BackendName, selectBackend } from '@wordloom/backend';

const names: readonly BackendName[] = BACKEND_NAMES;
const pending: Promise<BackendInfo> = selectBackend({ backend: 'cpu', wasmPaths: '/assets/' });
pending.then((info) => {
  const name: BackendName = info.name;
  const threads: number = info.threads;
  const source: 'option' | 'env' | 'auto' = info.source;
  return [name, threads, source];
});

// @ts-expect-error wasmPaths is a URL prefix or a map of file names
selectBackend({ wasmPaths: 3 });

export { names };
