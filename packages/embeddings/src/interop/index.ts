export {
  type EmbeddingLayerOptions,
  type EmbeddingLayerResult,
  toEmbeddingLayer,
} from './to-embedding-layer.js';
