import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@wordloom/core';
import type { RecurrentCell } from '../cells/cell.js';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { Bidirectional } from '../layers/bidirectional.js';
import { Rnn } from '../layers/rnn.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { Stacked } from '../layers/stacked.js';
import { LanguageModel } from '../models/language-model.js';
import { SequenceClassifier } from '../models/sequence-classifier.js';
import { installChainedOps } from './chained-ops.js';
import { UnsupportedLayersOptionError } from './unsupported-layers-option-error.js';
import { kerasWeightsOf } from './weight-layout.js';

/** Options of {@link toLayersModel}. */
export interface ToLayersModelOptions {
  /** Time steps of the input; null accepts any length (classifiers and bare encoders). @default null */
  steps?: number | null;
  /** Bare encoders only: output every step `[B, T, H]` rather than the last `[B, H]`. @default true */
  returnSequences?: boolean;
}

/** What {@link toLayersModel} converts. */
export type ConvertibleModel = SequenceClassifier | LanguageModel | SequenceLayer;

/**
 * A `tf.Sequential` (tfjs-layers) computing the same function as a wordloom model, with copies of its
 * weights (layout: {@link kerasWeightsOf}); save it with `model.save(handler)` in the TF.js Layers
 * format (`fileSystemIO` from `@wordloom/rnn/node`, `'indexeddb://name'`, `'downloads://name'`).
 *
 * - `SequenceClassifier` → recurrent layers → `dense(classes, softmax)` (wordloom returns logits; the
 *   Layers model returns their softmax, as Keras classifiers do).
 * - `LanguageModel` → `embedding(V, E)` (one-hot input: a frozen `V × V` identity embedding) →
 *   recurrent layers → `dense(V, softmax)`; input `[B, window]` word ids in `window` mode, the last
 *   recurrent layer returns sequences in `full` mode. The identity table of a one-hot model holds V²
 *   floats (400 MB for 10,000 words): export large vocabularies from models with `embeddingSize`.
 * - A bare `SequenceLayer` (`Rnn`, `Bidirectional`, `Stacked`) → its recurrent layers.
 *
 * `Rnn` → `simpleRNN` / `lstm` / `gru` (sigmoid recurrent activation, tanh candidate), `Bidirectional`
 * → `bidirectional` (`average` → `ave`), `Stacked` → consecutive layers returning sequences.
 * @throws UnsupportedLayersOptionError for a GRU with `resetAfter: true` (tfjs-layers refuses it) or a
 * nesting tfjs-layers cannot express (a `Stacked` inside a `Bidirectional`).
 */
export function toLayersModel(model: ConvertibleModel, options: ToLayersModelOptions = {}): tfl.Sequential {
  installChainedOps();
  const fn = 'toLayersModel';
  if (model instanceof SequenceClassifier) {
    const steps = options.steps ?? null;
    const built = build(model.encoder, [steps, model.config.inputSize], false, null);
    addDense(built, model.config.classes, model.head.kernel, model.head.bias);
    return finish(built);
  }
  if (model instanceof LanguageModel) {
    const { mode, window, embeddingSize } = model.config;
    const V = model.vocabulary.length;
    const embedding = tfl.layers.embedding({
      inputDim: V,
      outputDim: embeddingSize > 0 ? embeddingSize : V,
      inputShape: [mode === 'window' ? window : null],
      trainable: model.embedding !== null,
      embeddingsInitializer: 'zeros',
    });
    const table = model.embedding ? model.embedding.clone() : tf.eye(V);
    const built = build(model.encoder, null, mode === 'full', { layer: embedding, weights: [table] });
    // A tied head's kernel is the V × E embedding, W_ho = Eᵀ.
    addDense(built, V, model.head.kernel, model.head.bias, model.head.tied);
    return finish(built);
  }
  if (model == null || typeof (model as SequenceLayer).forwardRaw !== 'function')
    throw new InvalidArgumentError(
      'model',
      fn,
      'a SequenceClassifier, a LanguageModel or a sequence layer (Rnn, Bidirectional, Stacked)',
      model,
    );
  const built = build(model, [options.steps ?? null, model.inputSize], options.returnSequences ?? true, null);
  return finish(built);
}

interface Pending {
  layer: tfl.layers.Layer;
  weights: tf.Tensor[];
}

/** The Keras layers of an encoder, with their weights, after an optional input layer. */
function build(
  encoder: SequenceLayer,
  inputShape: (number | null)[] | null,
  returnSequences: boolean,
  first: Pending | null,
): Pending[] {
  const levels = levelsOf(encoder);
  const out: Pending[] = first ? [first] : [];
  levels.forEach((level, i) => {
    const shape = i === 0 && !first ? inputShape : null;
    out.push(kerasLayer(level, i < levels.length - 1 || returnSequences, shape));
  });
  return out;
}

/** `Stacked` flattened into its layers, in order. */
function levelsOf(layer: SequenceLayer): SequenceLayer[] {
  return layer instanceof Stacked ? layer.layers.flatMap(levelsOf) : [layer];
}

function kerasLayer(
  level: SequenceLayer,
  returnSequences: boolean,
  inputShape: (number | null)[] | null,
): Pending {
  if (level instanceof Rnn)
    return {
      layer: recurrentLayer(level.cell, returnSequences, inputShape),
      weights: kerasWeightsOf(level.cell),
    };
  if (level instanceof Bidirectional) {
    const { forwardLayer: fw, backwardLayer: bw } = level;
    if (!(fw instanceof Rnn) || !(bw instanceof Rnn) || fw.cell.constructor !== bw.cell.constructor)
      throw new UnsupportedLayersOptionError(
        'forwardLayer',
        'Bidirectional',
        'tfjs-layers wraps one recurrent layer per direction, both of the same kind (not a Stacked)',
      );
    const mergeMode = level.mergeMode === 'average' ? 'ave' : level.mergeMode;
    const layer = tfl.layers.bidirectional({
      layer: recurrentLayer(fw.cell, returnSequences, null) as tfl.layers.RNN,
      mergeMode,
      ...(inputShape ? { inputShape } : {}),
    });
    return { layer, weights: [...kerasWeightsOf(fw.cell), ...kerasWeightsOf(bw.cell)] };
  }
  throw new UnsupportedLayersOptionError(
    'layer',
    level?.constructor?.name ?? String(level),
    'only Rnn, Bidirectional and Stacked layers have tfjs-layers counterparts',
  );
}

function recurrentLayer(
  cell: RecurrentCell,
  returnSequences: boolean,
  inputShape: (number | null)[] | null,
): tfl.layers.Layer {
  // glorotUniform recurrent init instead of the default orthogonal: the weights are replaced anyway,
  // and tfjs-layers' orthogonal init (a QR) is slow for large layers at every load.
  const common = {
    units: cell.units,
    returnSequences,
    kernelInitializer: 'glorotUniform' as const,
    recurrentInitializer: 'glorotUniform' as const,
    ...(inputShape ? { inputShape } : {}),
  };
  if (cell instanceof SimpleRnnCell) return tfl.layers.simpleRNN({ ...common, activation: cell.activation });
  if (cell instanceof LstmCell)
    return tfl.layers.lstm({ ...common, activation: 'tanh', recurrentActivation: 'sigmoid' });
  if (cell instanceof GruCell) {
    if (cell.resetAfter)
      throw new UnsupportedLayersOptionError(
        'resetAfter',
        'GruCell',
        'tfjs-layers 4.22 has no GRU with the reset gate after the recurrent matmul (it throws on ' +
          "resetAfter: true); train with new GruCell({resetAfter: false}) or createEncoder({cell: 'gru', " +
          'resetAfter: false}) to export',
      );
    return tfl.layers.gru({ ...common, activation: 'tanh', recurrentActivation: 'sigmoid' });
  }
  throw new UnsupportedLayersOptionError(
    'cell',
    cell?.constructor?.name ?? String(cell),
    'only SimpleRnnCell, LstmCell and GruCell have tfjs-layers counterparts',
  );
}

function addDense(
  built: Pending[],
  units: number,
  kernel: tf.Variable,
  bias: tf.Variable,
  transposed = false,
): void {
  built.push({
    layer: tfl.layers.dense({ units, activation: 'softmax', kernelInitializer: 'zeros' }),
    weights: [transposed ? tf.transpose(kernel) : kernel.clone(), bias.clone()],
  });
}

function finish(built: Pending[]): tfl.Sequential {
  const model = tfl.sequential();
  try {
    for (const { layer } of built) model.add(layer);
    for (const { layer, weights } of built) layer.setWeights(weights);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    for (const { weights } of built) tf.dispose(weights);
  }
  return model;
}
