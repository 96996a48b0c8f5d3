import { MessageChannel } from 'node:worker_threads';
import { describeEachBackend } from '@wordloom/backend/testing';
import { expect, it } from 'vitest';
import { gaussianBlobs } from '../test-support/fixtures.js';
import type { MessageEndpoint } from './protocol.js';
import { runTsneInWorker } from './run-tsne-in-worker.js';
import { serveTsne } from './serve-tsne.js';

describeEachBackend('t-SNE over a message channel (the worker protocol)', () => {
  it('streams progress, returns the same embedding as a direct run, and stops on request', async () => {
    const { port1, port2 } = new MessageChannel();
    const unsubscribe = serveTsne(port1 as unknown as MessageEndpoint);
    try {
      const { x } = gaussianBlobs(3, 15, 4);
      const progress: number[] = [];
      const result = await runTsneInWorker(port2 as unknown as MessageEndpoint, x, {
        perplexity: 5,
        iterations: 100,
        progressEvery: 25,
        onProgress: (p) => {
          expect(p.embedding).toHaveLength(90);
          progress.push(p.iteration);
        },
      });
      expect(progress).toEqual([25, 50, 75, 100]);
      expect(result.iterations).toBe(100);
      expect(result.embedding.data).toHaveLength(90);

      const controller = new AbortController();
      const stopped = await runTsneInWorker(port2 as unknown as MessageEndpoint, x, {
        perplexity: 5,
        iterations: 1000,
        progressEvery: 10,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.iteration === 30) controller.abort();
        },
      });
      expect(stopped.stopReason).toBe('callback');
      expect(stopped.iterations).toBeLessThan(1000);

      await expect(
        runTsneInWorker(port2 as unknown as MessageEndpoint, x, { perplexity: 45 }),
      ).rejects.toThrow(/'perplexity' passed to 'tsne'/);
    } finally {
      unsubscribe();
      port1.close();
      port2.close();
    }
  });
});
