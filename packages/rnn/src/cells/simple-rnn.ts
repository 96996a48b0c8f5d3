import { assertOneOf } from '@wordloom/core';
import type { Floats, MatmulProvider } from '../bptt/matmul-provider.js';
import {
  type CellCache,
  type CellConfig,
  type CellOptions,
  type PreparedWeights,
  RecurrentCell,
  sigmoid,
  tanh,
} from './cell.js';

/** Nonlinearities of the simple RNN. */
export type RnnActivation = 'tanh' | 'relu' | 'sigmoid';

/** Options of {@link SimpleRnnCell}. */
export interface SimpleRnnCellOptions extends CellOptions {
  /** f in `h_t = f(W_hh h_{t−1} + W_xh x_t + b_h)`. @default 'tanh' */
  activation?: RnnActivation;
}

/**
 * The chapter's simple RNN: `h_t = f(W_hh h_{t−1} + W_xh x_t + b_h)` with f = tanh, ReLU or sigmoid.
 * `{activation: 'relu', recurrentInitializer: 'identity'}` is the chapter's smart initialization
 * (identity W_hh with ReLU units, Le et al. 2015): ∂h_t/∂h_{t−1} = I while units stay active.
 */
export class SimpleRnnCell extends RecurrentCell {
  readonly gates = 1;
  readonly stateCount = 1;
  readonly activation: RnnActivation;

  constructor(options: SimpleRnnCellOptions) {
    super(options, 1, 'SimpleRnnCell');
    this.activation = assertOneOf(
      options.activation ?? 'tanh',
      ['tanh', 'relu', 'sigmoid'],
      'activation',
      'SimpleRnnCell',
    );
  }

  getConfig(): CellConfig {
    return { type: 'simpleRnn', inputSize: this.inputSize, units: this.units, activation: this.activation };
  }

  step(
    p: MatmulProvider,
    w: PreparedWeights,
    t: number,
    batch: number,
    xp: Floats,
    prev: Floats[],
    cache: CellCache | null,
  ): Floats[] {
    const n = batch * this.units;
    const h = this.recur(p, w, this.recurrentInput(p, w, prev[0]), batch, w.recurrent);
    const act = this.activation;
    for (let i = 0; i < n; i++) {
      const s = xp[i] + h[i];
      h[i] = act === 'tanh' ? tanh(s) : act === 'relu' ? Math.max(s, 0) : sigmoid(s);
    }
    cache?.gates.set(h, t * n);
    return [h];
  }

  backStep(
    p: MatmulProvider,
    w: PreparedWeights,
    t: number,
    batch: number,
    dNext: Floats[],
    _prev: Floats[],
    cache: CellCache,
    dPreX: Floats,
  ): Floats[] {
    const n = batch * this.units;
    const dh = dNext[0];
    const h = cache.gates;
    const off = t * n;
    const act = this.activation;
    for (let i = 0; i < n; i++) {
      const y = h[off + i];
      const d = act === 'tanh' ? 1 - y * y : act === 'relu' ? (y > 0 ? 1 : 0) : y * (1 - y);
      dPreX[i] = dh[i] * d;
    }
    return [this.maskRecurrentGradient(w, this.recur(p, w, dPreX, batch, this.recurrentTranspose(p, w)))];
  }
}
