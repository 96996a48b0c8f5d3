import { tsne } from '../tsne/tsne.js';
import type { MessageEndpoint, TsneWorkerRequest, TsneWorkerResponse } from './protocol.js';

/**
 * Answers t-SNE requests inside a Web Worker (or on any message endpoint): call it from your worker module
 * after importing the tfjs backend you want there, e.g.
 * `import '@tensorflow/tfjs-backend-wasm'; import { serveTsne } from '@wordloom/viz/worker'; serveTsne(self);`.
 * Each run posts progress every `progressEvery` steps and yields to the event loop so a `tsne:stop` message
 * is honoured at the next step. Returns a function that stops listening.
 */
export function serveTsne(scope: MessageEndpoint): () => void {
  const stopped = new Set<number>();
  const post = (message: TsneWorkerResponse, transfer: Transferable[] = []) =>
    scope.postMessage(message, transfer);
  const listener = async (event: { data: unknown }) => {
    const request = event.data as TsneWorkerRequest;
    if (request?.type === 'tsne:stop') {
      stopped.add(request.id);
      return;
    }
    if (request?.type !== 'tsne:run') return;
    const { id, input, options } = request;
    const every = Math.max(1, Math.floor(options.progressEvery ?? 10));
    try {
      const result = await tsne(input, {
        ...options,
        klEvery: options.klEvery ?? every,
        onIteration: async (p) => {
          if (p.iteration % every === 0 || p.iteration === p.iterations) {
            const embedding = p.embedding.slice();
            post(
              {
                type: 'tsne:progress',
                id,
                iteration: p.iteration,
                iterations: p.iterations,
                kl: p.kl,
                embedding,
              },
              [embedding.buffer],
            );
            // Let queued messages (a stop request) in.
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          return !stopped.has(id);
        },
      });
      post({ type: 'tsne:done', id, result }, [result.embedding.data.buffer]);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      post({ type: 'tsne:error', id, name: e.name, message: e.message });
    } finally {
      stopped.delete(id);
    }
  };
  scope.addEventListener('message', listener);
  scope.start?.();
  return () => scope.removeEventListener('message', listener);
}
