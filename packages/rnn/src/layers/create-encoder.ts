import { assertInteger, assertOneOf } from '@wordloom/core';
import type { CellOptions, RecurrentCell } from '../cells/cell.js';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { type RnnActivation, SimpleRnnCell } from '../cells/simple-rnn.js';
import type { InitializerName } from '../init/initializers.js';
import { Bidirectional, type MergeMode } from './bidirectional.js';
import { Rnn, type RnnOptions } from './rnn.js';
import type { SequenceLayer } from './sequence-layer.js';
import { Stacked } from './stacked.js';

/** Cell kinds by name. */
export type CellType = 'lstm' | 'gru' | 'rnn';

/** Options of {@link createEncoder}: the recurrent part of a model, serializable. */
export interface EncoderConfig {
  /** @default 'lstm' */
  cell?: CellType;
  inputSize: number;
  /** Hidden units per layer (and per direction). @default 128 */
  units?: number;
  /** Stacked layers. @default 1 */
  layers?: number;
  /** Bidirectional layers merged with this mode; null for unidirectional. @default null */
  bidirectional?: MergeMode | null;
  /** Simple RNN nonlinearity. @default 'tanh' */
  activation?: RnnActivation;
  /** GRU reset gate after the recurrent matmul (chapter eq. 4.4.1). @default true */
  resetAfter?: boolean;
  /** Recurrent kernel initializer. @default 'orthogonal' ('identity' for a ReLU simple RNN) */
  recurrentInitializer?: InitializerName;
  /** Truncated BPTT window, 0 = full. @default 0 */
  truncate?: number;
  /** Input dropout of every layer (Keras `dropout`, one mask per sequence; see {@link RnnOptions}). @default 0 */
  dropout?: number;
  /** Variational recurrent dropout of every layer (Keras `recurrent_dropout`). @default 0 */
  recurrentDropout?: number;
  /** Seed of the initializers; cell k of the encoder gets seed + 7919·k. @default 1 */
  seed?: number;
}

/** Builds a cell from a name. */
export function createCell(
  type: CellType,
  options: CellOptions & { activation?: RnnActivation; resetAfter?: boolean },
): RecurrentCell {
  switch (assertOneOf(type, ['lstm', 'gru', 'rnn'], 'cell', 'createCell')) {
    case 'lstm':
      return new LstmCell(options);
    case 'gru':
      return new GruCell(options);
    default:
      return new SimpleRnnCell(options);
  }
}

/** A stack of (optionally bidirectional) recurrent layers from a config. */
export function createEncoder(config: EncoderConfig): SequenceLayer {
  const fn = 'createEncoder';
  const type = assertOneOf(config.cell ?? 'lstm', ['lstm', 'gru', 'rnn'], 'cell', fn);
  const units = assertInteger(config.units ?? 128, 'units', fn, 1);
  const layers = assertInteger(config.layers ?? 1, 'layers', fn, 1);
  const seed = assertInteger(config.seed ?? 1, 'seed', fn, 0, 2 ** 31);
  const merge = config.bidirectional ?? null;
  const recurrentInitializer =
    config.recurrentInitializer ??
    (type === 'rnn' && config.activation === 'relu' ? 'identity' : 'orthogonal');
  const made: SequenceLayer[] = [];
  let inputSize = config.inputSize;
  let k = 0;
  const one = () =>
    new Rnn(
      createCell(type, {
        inputSize,
        units,
        seed: seed + 7919 * k++,
        activation: config.activation,
        resetAfter: config.resetAfter,
        recurrentInitializer,
      }),
      {
        truncate: config.truncate ?? 0,
        dropout: config.dropout ?? 0,
        recurrentDropout: config.recurrentDropout ?? 0,
      },
    );
  for (let l = 0; l < layers; l++) {
    const layer = merge ? new Bidirectional(one(), one(), { mergeMode: merge }) : one();
    made.push(layer);
    inputSize = layer.outputSize;
  }
  return made.length === 1 ? made[0] : new Stacked(made);
}
