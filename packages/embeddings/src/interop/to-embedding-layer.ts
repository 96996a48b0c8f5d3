import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { WordNotInVocabularyError } from '../errors/word-not-in-vocabulary-error.js';
import { KeyedVectors } from '../keyed-vectors.js';

/** Options of {@link toEmbeddingLayer}. */
export interface EmbeddingLayerOptions {
  /** Whether training the model updates the vectors (fine-tuning) or keeps them frozen. @default false */
  trainable?: boolean;
  /**
   * Reserve row 0 for unknown words (a zero vector): words then start at id 1 and `encode` maps words
   * outside the vocabulary to 0 instead of throwing.
   * @default false
   */
  unknownRow?: boolean;
  /** Fixed number of ids per example (the layer's `inputLength`); null accepts any length. @default null */
  inputLength?: number | null;
  /** Layer name. @default tfjs-layers' automatic name */
  name?: string;
}

/** What {@link toEmbeddingLayer} returns: the layer and the vocabulary mapping that feeds it. */
export interface EmbeddingLayerResult {
  /** A built `tf.layers.embedding` whose rows are the vectors; input `[batch, length]` ids. */
  layer: tfl.layers.Layer;
  /** Word → row id of the layer. */
  vocabulary: ReadonlyMap<string, number>;
  /** Word of each row (`''` for the unknown row). */
  words: readonly string[];
  /** Row ids of tokens, ready for `tf.tensor2d(ids, [batch, length], 'int32')`. */
  encode(tokens: readonly string[]): Int32Array;
}

/**
 * A tfjs-layers `embedding` initialised with pretrained vectors (word2vec, GloVe, SVD — any
 * {@link KeyedVectors}), plus the word → id mapping, so the vectors feed any tfjs model: row i of the
 * layer's `embeddings` weight is `keyedVectors.words[i]`'s vector (shifted by one with `unknownRow`).
 * Frozen by default (`trainable: false`), the usual start of transfer learning; set `trainable` to
 * fine-tune them with the model. `@tensorflow/tfjs-layers` is an optional peer, needed only for this
 * entry point (`@wordloom/embeddings/layers`).
 */
export function toEmbeddingLayer(
  keyedVectors: KeyedVectors,
  options: EmbeddingLayerOptions = {},
): EmbeddingLayerResult {
  const fn = 'toEmbeddingLayer';
  if (!(keyedVectors instanceof KeyedVectors))
    throw new InvalidArgumentError('keyedVectors', fn, 'a KeyedVectors', keyedVectors);
  if (options.trainable !== undefined && typeof options.trainable !== 'boolean')
    throw new InvalidArgumentError('options.trainable', fn, 'a boolean', options.trainable);
  const inputLength =
    options.inputLength == null ? null : assertInteger(options.inputLength, 'options.inputLength', fn, 1);
  const shift = options.unknownRow ? 1 : 0;
  const { dim } = keyedVectors;
  const rows = keyedVectors.size + shift;
  const table = new Float32Array(rows * dim);
  table.set(keyedVectors.vectors.subarray(0, keyedVectors.size * dim), shift * dim);
  const words = [...(shift ? [''] : []), ...keyedVectors.words];
  const vocabulary = new Map(keyedVectors.words.map((w, i) => [w, i + shift]));
  const layer = tfl.layers.embedding({
    inputDim: rows,
    outputDim: dim,
    inputShape: [inputLength],
    ...(inputLength ? { inputLength } : {}),
    trainable: options.trainable ?? false,
    // Replaced by the vectors right away; zeros avoids drawing V·D random numbers first.
    embeddingsInitializer: 'zeros',
    ...(options.name ? { name: options.name } : {}),
  });
  layer.build([null, inputLength]);
  const weights = tf.tensor2d(table, [rows, dim]);
  try {
    layer.setWeights([weights]);
  } finally {
    weights.dispose();
  }
  return {
    layer,
    vocabulary,
    words,
    encode(tokens: readonly string[]): Int32Array {
      const ids = new Int32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) {
        const id = vocabulary.get(tokens[i]);
        if (id === undefined) {
          if (!shift) throw new WordNotInVocabularyError(tokens[i], 'encode');
          ids[i] = 0;
        } else ids[i] = id;
      }
      return ids;
    },
  };
}
