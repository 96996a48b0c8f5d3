/// <reference lib="webworker" />
// t-SNE and UMAP off the main thread: a snapshot of the layout every few steps (the page animates it),
// pause / resume between steps, stop keeping the layout reached.

import { selectBackend } from '@wordloom/backend';
import { Random } from '@wordloom/core';
import { tsne } from '@wordloom/viz';
import { UMAP } from 'umap-js';
import type { ProjectionRequest, ProjectionResponse } from './worker-protocol.js';

declare const self: DedicatedWorkerGlobalScope;

/** Steps between snapshots posted to the page. */
const SNAPSHOT_EVERY = 5;

interface Run {
  paused: boolean;
  stopped: boolean;
  resume: (() => void) | null;
}

const runs = new Map<number, Run>();
// tfjs computes the PCA initialisation of t-SNE; the cpu backend needs no files in a worker.
const ready = selectBackend({ backend: 'cpu' });

function post(message: ProjectionResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** Waits while the run is paused; resolves false when it was stopped. */
async function gate(run: Run): Promise<boolean> {
  // Let a queued pause/stop message in.
  await new Promise((resolve) => setTimeout(resolve, 0));
  while (run.paused && !run.stopped) await new Promise<void>((resolve) => (run.resume = resolve));
  return !run.stopped;
}

async function runTsne(request: Extract<ProjectionRequest, { type: 'run' }>, run: Run): Promise<void> {
  await ready;
  const { id, data, rows, dim } = request;
  let last = 0;
  const result = await tsne(
    { data, rows, cols: dim },
    {
      dimensions: request.dimensions,
      perplexity: request.perplexity,
      learningRate: request.learningRate,
      iterations: request.iterations,
      // Fewer exaggeration steps when the user asks for a short run.
      exaggerationIterations: Math.min(250, Math.floor(request.iterations / 4)),
      klEvery: SNAPSHOT_EVERY,
      onIteration: async (p) => {
        last = p.iteration;
        if (p.iteration % SNAPSHOT_EVERY !== 0) return !run.stopped;
        const coords = Float32Array.from(p.embedding);
        post(
          {
            type: 'step',
            id,
            iteration: p.iteration,
            iterations: p.iterations,
            coords,
            note: `t-SNE step ${p.iteration} / ${p.iterations}, KL ${p.kl.toFixed(3)}`,
          },
          [coords.buffer],
        );
        return gate(run);
      },
    },
  );
  const coords = Float32Array.from(result.embedding.data);
  post(
    {
      type: 'done',
      id,
      iteration: result.iterations || last,
      coords,
      note: `t-SNE (${result.method}, learning rate ${result.learningRate.toFixed(0)}): ${result.iterations} steps, KL ${result.kl.toFixed(3)}`,
    },
    [coords.buffer],
  );
}

async function runUmap(request: Extract<ProjectionRequest, { type: 'run' }>, run: Run): Promise<void> {
  const { id, data, rows, dim } = request;
  const random = new Random(request.seed);
  const umap = new UMAP({
    nComponents: request.dimensions,
    nNeighbors: request.neighbours,
    nEpochs: request.iterations,
    random: () => random.next(),
  });
  const input: number[][] = [];
  for (let r = 0; r < rows; r++) input.push(Array.from(data.subarray(r * dim, (r + 1) * dim)));
  const epochs = umap.initializeFit(input);
  const snapshot = () => {
    const embedding = umap.getEmbedding();
    const coords = new Float32Array(rows * request.dimensions);
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < request.dimensions; k++) coords[r * request.dimensions + k] = embedding[r][k];
    return coords;
  };
  let epoch = 0;
  while (epoch < epochs) {
    epoch = umap.step();
    if (epoch % SNAPSHOT_EVERY === 0) {
      const coords = snapshot();
      post(
        {
          type: 'step',
          id,
          iteration: epoch,
          iterations: epochs,
          coords,
          note: `UMAP epoch ${epoch} / ${epochs}`,
        },
        [coords.buffer],
      );
      if (!(await gate(run))) break;
    }
  }
  const coords = snapshot();
  post(
    {
      type: 'done',
      id,
      iteration: epoch,
      coords,
      note: `UMAP (umap-js, ${request.neighbours} neighbours): ${epoch} epochs`,
    },
    [coords.buffer],
  );
}

self.addEventListener('message', (event: MessageEvent<ProjectionRequest>) => {
  const request = event.data;
  if (request.type !== 'run') {
    const run = runs.get(request.id);
    if (!run) return;
    if (request.type === 'pause') run.paused = true;
    else {
      if (request.type === 'stop') run.stopped = true;
      run.paused = false;
      run.resume?.();
      run.resume = null;
    }
    return;
  }
  const run: Run = { paused: false, stopped: false, resume: null };
  runs.set(request.id, run);
  (request.method === 'tsne' ? runTsne(request, run) : runUmap(request, run))
    .catch((error: unknown) =>
      post({
        type: 'error',
        id: request.id,
        message: error instanceof Error ? error.message : String(error),
      }),
    )
    .finally(() => runs.delete(request.id));
});
