import type { DenseMatrix } from '../matrix/dense-matrix.js';
import type { TsneOptions, TsneResult } from '../tsne/tsne.js';

/** t-SNE options that can cross a worker boundary (no callbacks, no signal). */
export type TsneWorkerOptions = Omit<TsneOptions, 'onIteration' | 'signal'> & {
  /** Post a progress message (with a copy of the embedding) every this many steps. @default 10 */
  progressEvery?: number;
};

/** Messages the page sends to the worker. */
export type TsneWorkerRequest =
  | { type: 'tsne:run'; id: number; input: DenseMatrix; options: TsneWorkerOptions }
  | { type: 'tsne:stop'; id: number };

/** Messages the worker sends back. */
export type TsneWorkerResponse =
  | {
      type: 'tsne:progress';
      id: number;
      iteration: number;
      iterations: number;
      kl: number;
      embedding: Float64Array;
    }
  | { type: 'tsne:done'; id: number; result: TsneResult }
  | { type: 'tsne:error'; id: number; name: string; message: string };

/** The part of a `Worker` / `DedicatedWorkerGlobalScope` / `MessagePort` the protocol needs. */
export interface MessageEndpoint {
  /** As a Worker's or MessagePort's `postMessage`. */
  postMessage(message: unknown, transfer?: Transferable[]): void;
  /** As a Worker's or MessagePort's `addEventListener`. */
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** As a Worker's or MessagePort's `removeEventListener`. */
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** MessagePorts need it before they deliver events. */
  start?(): void;
}
