import type { Floats, MatmulProvider, SequenceProjection } from '../bptt/matmul-provider.js';
import {
  type CellCache,
  type CellConfig,
  type CellOptions,
  type PreparedWeights,
  RecurrentCell,
  sigmoid,
  tanh,
} from './cell.js';

/** Options of {@link LstmCell}. */
export interface LstmCellOptions extends CellOptions {
  /** Initialize the forget-gate bias to 1 (Jozefowicz et al. 2015; the chapter's `forget_bias=1.0`). @default true */
  unitForgetBias?: boolean;
}

/**
 * The chapter's LSTM. Gate blocks in Keras order i, f, c̃, o of one fused `[G·H]` pre-activation:
 * `f_t = σ(W_f x_t + U_f h_{t−1})`, `i_t = σ(W_i x_t + U_i h_{t−1})`, `C̃_t = tanh(W_c x_t + U_c h_{t−1})`,
 * `C_t = f_t ∗ C_{t−1} + i_t ∗ C̃_t`, `o_t = σ(W_o x_t + U_o h_{t−1})`, `h_t = o_t ∗ tanh(C_t)`
 * (plus biases). States: `[h, c]`.
 */
export class LstmCell extends RecurrentCell {
  readonly gates = 4;
  readonly stateCount = 2;

  constructor(options: LstmCellOptions) {
    const h = options?.units;
    let bias: Float32Array | undefined;
    if ((options?.unitForgetBias ?? true) && Number.isInteger(h) && h > 0) {
      bias = new Float32Array(4 * h);
      bias.fill(1, h, 2 * h);
    }
    super(options, 4, 'LstmCell', bias);
  }

  getConfig(): CellConfig {
    return { type: 'lstm', inputSize: this.inputSize, units: this.units };
  }

  override get fusedBias(): boolean {
    return true;
  }

  override createCache(p: MatmulProvider, steps: number, batch: number): CellCache {
    return { gates: p.alloc(steps * batch * 4 * this.units), extra: p.alloc(steps * batch * this.units) };
  }

  override runSteps(
    p: MatmulProvider,
    w: PreparedWeights,
    xp: Floats | SequenceProjection,
    states: Floats[],
    cache: CellCache | null,
    steps: number,
    batch: number,
    zeroFirst: boolean,
  ): boolean {
    // Recurrent dropout scales h_{t−1} into each product: the per-step path handles it.
    if (w.recurrentMask || !p.lstmSequence) return false;
    return p.lstmSequence(
      xp,
      w.kernel,
      w.recurrent,
      w.bias,
      states,
      cache?.gates ?? null,
      cache?.extra ?? null,
      steps,
      batch,
      this.units,
      zeroFirst,
    );
  }

  override backSteps(
    p: MatmulProvider,
    w: PreparedWeights,
    d: Floats[],
    dOutputs: Floats | null,
    states: Floats[],
    cache: CellCache,
    steps: number,
    batch: number,
    dPreX: Floats,
    _dPreH: Floats,
    zeroLast: boolean,
  ): boolean {
    if (w.recurrentMask || !p.lstmBackSequence) return false;
    return p.lstmBackSequence(
      dPreX,
      this.recurrentTranspose(p, w),
      cache.gates,
      cache.extra as Floats,
      states[1],
      dOutputs,
      d[0],
      d[1],
      steps,
      batch,
      this.units,
      zeroLast,
    );
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
    const H = this.units;
    const G = 4 * H;
    const gates = cache?.gates;
    const tanhC = cache?.extra;
    const gOff = t * batch * G;
    const hOff = t * batch * H;
    const hIn = this.recurrentInput(p, w, prev[0]);
    const fused = p.lstmStep?.(
      xp,
      w.zeroState ? null : hIn,
      w.recurrent,
      w.bias,
      prev[1],
      batch,
      H,
      gates ? gates.subarray(gOff, gOff + batch * G) : null,
      tanhC ? tanhC.subarray(hOff, hOff + batch * H) : null,
    );
    if (fused) return fused;
    const pre = this.recur(p, w, hIn, batch, w.recurrent);
    const cPrev = prev[1];
    const bias = w.bias;
    const h = p.alloc(batch * H);
    const c = p.alloc(batch * H);
    for (let b = 0; b < batch; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const k = row + j;
        const ig = sigmoid(xp[k] + pre[k] + bias[j]);
        const fg = sigmoid(xp[k + H] + pre[k + H] + bias[j + H]);
        const gg = tanh(xp[k + 2 * H] + pre[k + 2 * H] + bias[j + 2 * H]);
        const og = sigmoid(xp[k + 3 * H] + pre[k + 3 * H] + bias[j + 3 * H]);
        const s = b * H + j;
        const cv = fg * cPrev[s] + ig * gg;
        const tc = tanh(cv);
        c[s] = cv;
        h[s] = og * tc;
        if (gates && tanhC) {
          gates[gOff + k] = ig;
          gates[gOff + k + H] = fg;
          gates[gOff + k + 2 * H] = gg;
          gates[gOff + k + 3 * H] = og;
          tanhC[hOff + s] = tc;
        }
      }
    }
    return [h, c];
  }

  backStep(
    p: MatmulProvider,
    w: PreparedWeights,
    t: number,
    batch: number,
    dNext: Floats[],
    prev: Floats[],
    cache: CellCache,
    dPreX: Floats,
  ): Floats[] {
    const H = this.units;
    const G = 4 * H;
    const [dh, dc] = dNext;
    const cPrev = prev[1];
    const gates = cache.gates;
    const tanhC = cache.extra as Floats;
    const gOff = t * batch * G;
    const hOff = t * batch * H;
    const fused = p.lstmBackStep?.(
      dh,
      dc,
      cPrev,
      gates.subarray(gOff, gOff + batch * G),
      tanhC.subarray(hOff, hOff + batch * H),
      w.zeroState ? null : this.recurrentTranspose(p, w),
      batch,
      H,
      dPreX,
    );
    if (fused) {
      this.maskRecurrentGradient(w, fused[0]);
      return fused;
    }
    const dcPrev = p.alloc(batch * H);
    for (let b = 0; b < batch; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const k = row + j;
        const s = b * H + j;
        const ig = gates[gOff + k];
        const fg = gates[gOff + k + H];
        const gg = gates[gOff + k + 2 * H];
        const og = gates[gOff + k + 3 * H];
        const tc = tanhC[hOff + s];
        const dct = dc[s] + dh[s] * og * (1 - tc * tc);
        dPreX[k] = dct * gg * ig * (1 - ig);
        dPreX[k + H] = dct * cPrev[s] * fg * (1 - fg);
        dPreX[k + 2 * H] = dct * ig * (1 - gg * gg);
        dPreX[k + 3 * H] = dh[s] * tc * og * (1 - og);
        // ∂C_t/∂C_{t−1} = f_t (chapter eq. 4.3.2).
        dcPrev[s] = dct * fg;
      }
    }
    return [
      this.maskRecurrentGradient(w, this.recur(p, w, dPreX, batch, this.recurrentTranspose(p, w))),
      dcPrev,
    ];
  }
}
