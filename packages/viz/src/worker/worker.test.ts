import { MessageChannel } from 'node:worker_threads';
import { describeEachBackend } from '@wordloom/backend/testing';
import { expect, it } from 'vitest';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { tsne } from '../tsne/tsne.js';
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

  it('passes threads through: Barnes-Hut on the kernels gives the bits of a direct run at 1 and 2 threads', async () => {
    const { port1, port2 } = new MessageChannel();
    const unsubscribe = serveTsne(port1 as unknown as MessageEndpoint);
    try {
      const { x } = gaussianBlobs(3, 40, 4);
      const options = { perplexity: 10, iterations: 60, method: 'barnes-hut' } as const;
      for (const threads of [1, 2]) {
        const direct = await tsne(x, { ...options, threads });
        const viaWorker = await runTsneInWorker(port2 as unknown as MessageEndpoint, x, {
          ...options,
          threads,
        });
        expect(Array.from(viaWorker.embedding.data)).toEqual(Array.from(direct.embedding.data));
      }
      await expect(
        runTsneInWorker(port2 as unknown as MessageEndpoint, x, { ...options, threads: 0 }),
      ).rejects.toThrow(/'threads' passed to 'tsne'/);
    } finally {
      unsubscribe();
      port1.close();
      port2.close();
    }
  });
});
