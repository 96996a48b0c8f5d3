import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CorruptArtifactError, InvalidArgumentError } from '@wordloom/core';
import type { RnnActivation } from '../cells/simple-rnn.js';
import { Bidirectional, type MergeMode } from '../layers/bidirectional.js';
import { type CellType, createCell } from '../layers/create-encoder.js';
import { Rnn } from '../layers/rnn.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { Stacked } from '../layers/stacked.js';
import { LanguageModel } from '../models/language-model.js';
import { SequenceClassifier } from '../models/sequence-classifier.js';
import { installChainedOps } from './chained-ops.js';
import { UnsupportedLayersOptionError } from './unsupported-layers-option-error.js';
import { assignKerasWeights } from './weight-layout.js';

/** Options of {@link fromLayersModel}. */
export interface FromLayersModelOptions {
  /** Words by id, for a model that starts with an `embedding` layer (→ `LanguageModel`). @default null */
  vocabulary?: string[] | null;
  /** Context words of a `window`-mode language model whose input length is not fixed. @default 3 */
  window?: number;
}

type Config = Record<string, unknown>;

/** One recurrent level of a Keras model: a recurrent layer or a Bidirectional wrapper of one. */
interface Level {
  cell: CellType;
  units: number;
  inputSize: number;
  activation: RnnActivation;
  merge: MergeMode | null;
  returnSequences: boolean;
  /** `[kernel, recurrent_kernel, bias]` per direction. */
  weights: tf.Tensor[][];
}

const CELLS: Record<string, CellType> = { SimpleRNN: 'rnn', LSTM: 'lstm', GRU: 'gru' };
const MERGES: Record<string, MergeMode> = { concat: 'concat', sum: 'sum', ave: 'average' };

/**
 * The wordloom model computing the same function as a tfjs-layers (or Keras-converted) model, with
 * copies of its weights (layout: `kerasWeightsOf`), ready for wordloom's explicit-BPTT training:
 *
 * - recurrent layers → `dense` → a `SequenceClassifier` (every recurrent layer of the same kind and
 *   size, as `createEncoder` builds them; the dense layer's softmax becomes the classifier's);
 * - `embedding` → recurrent layers → `dense` → a `LanguageModel` (needs `options.vocabulary`);
 * - recurrent layers only → a `SequenceLayer` (`Rnn`, `Bidirectional` or `Stacked`, any sizes).
 *
 * Recurrent layers are `simpleRNN`, `lstm`, `gru` (`resetAfter: false`) and `bidirectional` of one
 * of them. Options without a wordloom counterpart throw.
 * @throws UnsupportedLayersOptionError naming the option: an LSTM/GRU `recurrentActivation` other
 * than `sigmoid` (tfjs-layers' default is `hardSigmoid`), `activation` other than tanh (or tanh / relu
 * / sigmoid for simpleRNN), `useBias: false`, `dropout` / `recurrentDropout`, `goBackwards`,
 * `stateful`, `returnState`, `mergeMode: 'mul'`, `maskZero`, a dense `activation` other than softmax
 * or linear, a layer kind wordloom does not have, or a classifier whose layers differ in `units`.
 */
export function fromLayersModel(
  model: tfl.LayersModel,
  options: FromLayersModelOptions = {},
): SequenceClassifier | LanguageModel | SequenceLayer {
  installChainedOps();
  const fn = 'fromLayersModel';
  if (model == null || !Array.isArray((model as tfl.LayersModel).layers))
    throw new InvalidArgumentError('model', fn, 'a tfjs-layers LayersModel', model);
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  let embedding: tf.Tensor | null = null;
  let k = 0;
  if (layers[k]?.getClassName() === 'Embedding') {
    const config = layers[k].getConfig();
    if (config.maskZero)
      throw new UnsupportedLayersOptionError(
        'maskZero',
        layers[k].name,
        'wordloom language models do not mask',
      );
    embedding = layers[k].getWeights()[0];
    k++;
  }
  const levels: Level[] = [];
  while (k < layers.length && layers[k].getClassName() !== 'Dense') levels.push(levelOf(layers[k++]));
  let head: tf.Tensor[] | null = null;
  if (k < layers.length) {
    const dense = layers[k++];
    const config = dense.getConfig();
    if (config.activation !== 'softmax' && config.activation !== 'linear')
      throw new UnsupportedLayersOptionError(
        'activation',
        dense.name,
        `the output layer must be a softmax (or linear logits) layer, got ${String(config.activation)}`,
      );
    if (config.useBias === false)
      throw new UnsupportedLayersOptionError('useBias', dense.name, 'the output layer needs a bias');
    head = dense.getWeights();
  }
  if (k < layers.length || levels.length === 0)
    throw new UnsupportedLayersOptionError(
      'layers',
      model.name,
      'expected [embedding] → recurrent layers → [dense], got ' +
        layers.map((l) => l.getClassName()).join(' → '),
    );
  for (let i = 0; i < levels.length - 1; i++)
    if (!levels[i].returnSequences)
      throw new UnsupportedLayersOptionError(
        'returnSequences',
        layers[i].name,
        'a recurrent layer below another must return sequences',
      );
  // Tensors from getWeights() are the layers' own variables' values: read, never disposed here.
  const last = levels[levels.length - 1];
  if (!head) return encoderOf(levels);
  if (embedding) return languageModelOf(model, embedding, levels, head, options);
  if (last.returnSequences)
    throw new UnsupportedLayersOptionError(
      'returnSequences',
      model.name,
      'a classifier reads the last step only (the last recurrent layer must not return sequences)',
    );
  const shape = sharedShape(levels, model.name);
  const classifier = new SequenceClassifier({
    ...shape,
    inputSize: levels[0].inputSize,
    classes: head[0].shape[1] as number,
  });
  assignLevels(classifier.encoder, levels);
  classifier.head.kernel.assign(head[0] as tf.Tensor2D);
  classifier.head.bias.assign(head[1] as tf.Tensor1D);
  return classifier;
}

function levelOf(layer: tfl.layers.Layer): Level {
  const kind = layer.getClassName();
  if (kind === 'Bidirectional') {
    const config = layer.getConfig();
    const mode = String(config.mergeMode);
    const merge = MERGES[mode];
    if (!merge)
      throw new UnsupportedLayersOptionError(
        'mergeMode',
        layer.name,
        `wordloom merges directions by concat, sum or ave, got ${mode}`,
      );
    const inner = config.layer as { className: string; config: Config };
    const weights = layer.getWeights();
    const half = weights.length / 2;
    const level = recurrentLevel(inner.className, inner.config, layer.name, weights.slice(0, half));
    level.weights.push(weights.slice(half));
    level.merge = merge;
    return level;
  }
  return recurrentLevel(kind, layer.getConfig(), layer.name, layer.getWeights());
}

function recurrentLevel(kind: string, config: Config, name: string, weights: tf.Tensor[]): Level {
  const cell = CELLS[kind];
  if (!cell)
    throw new UnsupportedLayersOptionError(
      'layer',
      name,
      `wordloom has SimpleRNN, LSTM, GRU and Bidirectional recurrent layers, not ${kind}`,
    );
  const fail = (option: string, reason: string): never => {
    throw new UnsupportedLayersOptionError(option, name, reason);
  };
  const activation = String(config.activation);
  if (cell === 'rnn') {
    if (!['tanh', 'relu', 'sigmoid'].includes(activation))
      fail('activation', `wordloom's simple RNN uses tanh, relu or sigmoid, got ${activation}`);
  } else {
    if (activation !== 'tanh')
      fail('activation', `wordloom's ${kind} candidate uses tanh, got ${activation}`);
    if (config.recurrentActivation !== 'sigmoid')
      fail(
        'recurrentActivation',
        `wordloom's gates use sigmoid, got ${String(config.recurrentActivation)} (tfjs-layers defaults to ` +
          "hardSigmoid: build the layer with recurrentActivation: 'sigmoid')",
      );
  }
  if (config.resetAfter) fail('resetAfter', 'tfjs-layers GRUs with resetAfter are not supported');
  if (config.useBias === false) fail('useBias', 'wordloom cells always have a bias');
  for (const option of ['dropout', 'recurrentDropout'])
    if (Number(config[option] ?? 0) > 0) fail(option, 'wordloom cells have no dropout');
  for (const option of ['goBackwards', 'stateful', 'returnState'])
    if (config[option]) fail(option, `wordloom layers have no ${option}`);
  return {
    cell,
    units: Number(config.units),
    inputSize: weights[0].shape[0],
    activation: (cell === 'rnn' ? activation : 'tanh') as RnnActivation,
    merge: null,
    returnSequences: Boolean(config.returnSequences),
    weights: [weights],
  };
}

/** A wordloom layer per level, weights assigned. */
function encoderOf(levels: Level[]): SequenceLayer {
  const made = levels.map((level) => {
    const one = (weights: tf.Tensor[]) => {
      const cell = createCell(level.cell, {
        inputSize: level.inputSize,
        units: level.units,
        activation: level.activation,
        resetAfter: false,
      });
      assignKerasWeights(cell, weights);
      return new Rnn(cell);
    };
    return level.merge
      ? new Bidirectional(one(level.weights[0]), one(level.weights[1]), { mergeMode: level.merge })
      : one(level.weights[0]);
  });
  return made.length === 1 ? made[0] : new Stacked(made);
}

/** The `createEncoder` config all levels share; throws naming the first option that differs. */
function sharedShape(levels: Level[], name: string) {
  const first = levels[0];
  for (const level of levels)
    for (const option of ['cell', 'units', 'activation', 'merge'] as const)
      if (level[option] !== first[option])
        throw new UnsupportedLayersOptionError(
          option === 'merge' ? 'mergeMode' : option,
          name,
          `wordloom models use one ${option} for every recurrent layer (${String(first[option])} vs ` +
            `${String(level[option])}); convert the layers alone to get a Stacked encoder`,
        );
  return {
    cell: first.cell,
    units: first.units,
    layers: levels.length,
    bidirectional: first.merge,
    activation: first.activation,
    resetAfter: false,
  };
}

/** Assigns each level's weights to the matching layer of an encoder built by `createEncoder`. */
function assignLevels(encoder: SequenceLayer, levels: Level[]): void {
  const built = encoder instanceof Stacked ? encoder.layers : [encoder];
  built.forEach((layer, i) => {
    if (layer instanceof Bidirectional) {
      assignKerasWeights((layer.forwardLayer as Rnn).cell, levels[i].weights[0]);
      assignKerasWeights((layer.backwardLayer as Rnn).cell, levels[i].weights[1]);
    } else assignKerasWeights((layer as Rnn).cell, levels[i].weights[0]);
  });
}

function languageModelOf(
  model: tfl.LayersModel,
  embedding: tf.Tensor,
  levels: Level[],
  head: tf.Tensor[],
  options: FromLayersModelOptions,
): LanguageModel {
  const fn = 'fromLayersModel';
  const [V, E] = embedding.shape;
  const vocabulary = options.vocabulary;
  if (!Array.isArray(vocabulary) || vocabulary.length !== V)
    throw new InvalidArgumentError(
      'options.vocabulary',
      fn,
      `the model's ${V} words by id (it starts with an embedding layer)`,
      vocabulary,
    );
  if (head[0].shape[1] !== V)
    throw new UnsupportedLayersOptionError(
      'units',
      model.name,
      `a language model's output layer has one unit per word (${V}), got ${head[0].shape[1]}`,
    );
  const shape = sharedShape(levels, model.name);
  if (shape.bidirectional)
    throw new UnsupportedLayersOptionError(
      'mergeMode',
      model.name,
      'wordloom language models are unidirectional',
    );
  if (shape.activation !== 'tanh' && shape.cell === 'rnn')
    throw new UnsupportedLayersOptionError(
      'activation',
      model.name,
      'wordloom language models use tanh simple RNNs',
    );
  if (shape.cell === 'gru')
    throw new UnsupportedLayersOptionError(
      'resetAfter',
      model.name,
      'wordloom language models use GRUs with the reset gate after the matmul, which tfjs-layers lacks',
    );
  const inputLength = model.inputs[0]?.shape[1];
  const full = levels[levels.length - 1].returnSequences;
  const lm = new LanguageModel({
    vocabulary,
    mode: full ? 'full' : 'window',
    window: typeof inputLength === 'number' ? inputLength : (options.window ?? 3),
    cell: shape.cell,
    layers: shape.layers,
    units: shape.units,
    embeddingSize: E,
  });
  (lm.embedding as tf.Variable).assign(embedding as tf.Tensor2D);
  assignLevels(lm.encoder, levels);
  lm.head.kernel.assign(head[0] as tf.Tensor2D);
  lm.head.bias.assign(head[1] as tf.Tensor1D);
  return lm;
}

/** Largest size a Layers topology may give a dimension before a model is built from it. */
const MAX_DIMENSION = 2 ** 24;
const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/**
 * Checks a `model.json` topology before tfjs-layers builds it: every layer a `{class_name, config}`
 * object, every size (`units`, `input_dim`, `output_dim`, `batch_input_shape`, …) an integer in
 * [1, 2²⁴] (null for a free batch or time dimension), and the weights such layers must have at least
 * — a recurrent layer's `units²` recurrent kernel, a dense layer's `units` bias, an embedding's
 * `input_dim · output_dim` table — no more than the weights hold (`elements` values). A small
 * `model.json` claiming `units: 1e9` fails here instead of allocating. Throws `CorruptArtifactError`.
 */
export function checkLayersTopology(where: string, topology: unknown, elements: number): void {
  const bad = (what: string) => new CorruptArtifactError(where, `modelTopology: ${what}`);
  let lowerBound = 0;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64) throw bad('is nested too deeply');
    if (Array.isArray(node)) {
      if (node.length > 1_000_000) throw bad('has a list too long');
      for (const x of node) visit(x, depth + 1);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const className = typeof o.class_name === 'string' ? o.class_name : null;
    const config = o.config as Record<string, unknown> | undefined;
    if (className !== null && config !== null && typeof config === 'object' && !Array.isArray(config)) {
      const units = config.units;
      if (RECURRENT.has(className) && typeof units === 'number') lowerBound += units * units;
      else if (className === 'Dense' && typeof units === 'number') lowerBound += units;
      else if (
        className === 'Embedding' &&
        typeof config.input_dim === 'number' &&
        typeof config.output_dim === 'number'
      )
        lowerBound += config.input_dim * config.output_dim;
    }
    for (const [key, value] of Object.entries(o)) {
      if (['units', 'input_dim', 'output_dim', 'filters', 'input_length'].includes(key) && value !== null)
        checkDimension(key, value);
      else if ((key === 'batch_input_shape' || key === 'input_shape') && value !== null) {
        if (!Array.isArray(value) || value.length > 8) throw bad(`${key} is not a short list`);
        for (const d of value) if (d !== null) checkDimension(key, d);
      } else visit(value, depth + 1);
    }
  };
  const checkDimension = (key: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > MAX_DIMENSION)
      throw bad(`${key} must be an integer in [1, ${MAX_DIMENSION}], got ${JSON.stringify(v)?.slice(0, 40)}`);
  };
  if (topology === null || typeof topology !== 'object') throw bad('is not an object');
  visit(topology, 0);
  if (lowerBound > elements)
    throw bad(`its layers need at least ${lowerBound} weights, the weights manifest holds ${elements}`);
}
