/** Vectors as they cross a worker boundary: the words and the row-major matrix (transferred, not copied). */
export interface VectorsMessage {
  words: string[];
  data: Float32Array;
  dim: number;
  /** Metadata column names and `values[c][r]` (the Projector's metadata.tsv), empty otherwise. */
  columns: string[];
  values: string[][];
}

/** Word2vec settings the page offers (the rest are the trainer's gensim defaults). */
export interface TrainSettings {
  architecture: 'skipgram' | 'cbow';
  dim: number;
  window: number;
  epochs: number;
  minCount: number;
  negative: number;
  seed: number;
}

/** Messages the page sends to the data worker. */
export type DataRequest =
  | { type: 'load'; id: number; files: File[]; maxBytes: number }
  | { type: 'train'; id: number; text: string; settings: TrainSettings }
  | { type: 'stop'; id: number };

/** Messages the data worker sends back. */
export type DataResponse =
  | { type: 'progress'; id: number; fraction: number; text: string }
  | { type: 'vectors'; id: number; name: string; vectors: VectorsMessage; summary: string }
  | { type: 'error'; id: number; message: string };

/** Messages to the projection worker (t-SNE and UMAP, one run at a time). */
export type ProjectionRequest =
  | {
      type: 'run';
      id: number;
      method: 'tsne' | 'umap';
      data: Float32Array;
      rows: number;
      dim: number;
      dimensions: 2 | 3;
      perplexity: number;
      learningRate: number | 'auto';
      iterations: number;
      neighbours: number;
      seed: number;
    }
  | { type: 'pause'; id: number }
  | { type: 'resume'; id: number }
  | { type: 'stop'; id: number };

/** Messages from the projection worker: a snapshot every few steps, then the end. */
export type ProjectionResponse =
  | { type: 'step'; id: number; iteration: number; iterations: number; coords: Float32Array; note: string }
  | { type: 'done'; id: number; iteration: number; coords: Float32Array; note: string }
  | { type: 'error'; id: number; message: string };
