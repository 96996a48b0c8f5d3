import * as tf from '@tensorflow/tfjs-core';
import type { Floats, MatmulProvider, MatrixHandle, SequenceProjection } from '../bptt/matmul-provider.js';
import {
  type CellCache,
  type CellConfig,
  type CellOptions,
  type PreparedWeights,
  RecurrentCell,
  sigmoid,
  tanh,
} from './cell.js';
import { variableFrom } from './variable-from.js';

/** Options of {@link GruCell}. */
export interface GruCellOptions extends CellOptions {
  /**
   * Apply the reset gate after the recurrent matmul, exactly as the chapter writes eq. 4.4.1,
   * `h̃_t = tanh(r_t ∗ U h_{t−1} + W x_t)` (Keras `reset_after=True`, cuDNN's form; one recurrent
   * matmul per step). `false` is the original Cho et al. form `h̃_t = tanh(U (r_t ∗ h_{t−1}) + W x_t)`,
   * which needs a second matmul per step.
   * @default true
   */
  resetAfter?: boolean;
}

/**
 * The chapter's GRU, gate blocks in Keras order z, r, h̃:
 * `r_t = σ(W_r h_{t−1} + U_r x_t)`, `z_t = σ(W_z h_{t−1} + U_z x_t)`,
 * `h̃_t = tanh(r_t ∗ U h_{t−1} + W x_t)` (4.4.1), `h_t = (1 − z_t) ∗ h_{t−1} + z_t ∗ h̃_t` (4.4.2),
 * plus biases (with reset after, a separate recurrent bias so `U h_{t−1} + b` is what r_t scales).
 * Note the chapter's z_t weights the candidate; Keras' z weights the old state.
 */
export class GruCell extends RecurrentCell {
  readonly gates = 3;
  readonly stateCount = 1;
  readonly resetAfter: boolean;

  constructor(options: GruCellOptions) {
    super(options, 3, 'GruCell');
    this.resetAfter = options.resetAfter ?? true;
    if (this.resetAfter) this.recurrentBias = variableFrom(tf.zeros([3 * this.units]));
  }

  getConfig(): CellConfig {
    return { type: 'gru', inputSize: this.inputSize, units: this.units, resetAfter: this.resetAfter };
  }

  override get separateRecurrentGrad(): boolean {
    return this.resetAfter;
  }

  /** Reset-before multiplies the candidate block by `r ∗ h_{t−1}`, not `h_{t−1}`: its own product. */
  override get plainRecurrentGradient(): boolean {
    return false;
  }

  protected override recurrentBlocks(p: MatmulProvider, recurrent: MatrixHandle): MatrixHandle[] {
    if (this.resetAfter) return [];
    const H = this.units;
    return [p.sliceColumns(recurrent, 0, 2 * H), p.sliceColumns(recurrent, 2 * H, H)];
  }

  override createCache(p: MatmulProvider, steps: number, batch: number): CellCache {
    return { gates: p.alloc(steps * batch * 3 * this.units), extra: p.alloc(steps * batch * this.units) };
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
    if (!this.resetAfter || w.recurrentMask || !p.gruSequence) return false;
    return p.gruSequence(
      xp,
      w.kernel,
      w.bias,
      w.recurrent,
      w.recurrentBias as Floats,
      states[0],
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
    dPreH: Floats,
    zeroLast: boolean,
  ): boolean {
    if (!this.resetAfter || w.recurrentMask || !p.gruBackSequence) return false;
    return p.gruBackSequence(
      dPreX,
      dPreH,
      this.recurrentTranspose(p, w),
      cache.gates,
      cache.extra as Floats,
      states[0],
      dOutputs,
      d[0],
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
    const G = 3 * H;
    const hPrev = prev[0];
    // The recurrent products read h_{t−1} through the recurrent dropout mask; the interpolation
    // (1 − z) ∗ h_{t−1} uses the state itself (as Keras).
    const hIn = this.recurrentInput(p, w, hPrev);
    const h = p.alloc(batch * H);
    const gates = cache?.gates;
    const extra = cache?.extra;
    const gOff = t * batch * G;
    const hOff = t * batch * H;
    if (this.resetAfter) {
      const rb = w.recurrentBias as Floats;
      const fused = p.gruStep?.(
        xp,
        w.zeroState ? null : hIn,
        w.recurrent,
        rb,
        hPrev,
        batch,
        H,
        gates ? gates.subarray(gOff, gOff + batch * G) : null,
        extra ? extra.subarray(hOff, hOff + batch * H) : null,
      );
      if (fused) return [fused];
      const hp = this.recur(p, w, hIn, batch, w.recurrent);
      for (let b = 0; b < batch; b++) {
        const row = b * G;
        for (let j = 0; j < H; j++) {
          const k = row + j;
          const s = b * H + j;
          const z = sigmoid(xp[k] + hp[k] + rb[j]);
          const r = sigmoid(xp[k + H] + hp[k + H] + rb[j + H]);
          const hc = hp[k + 2 * H] + rb[j + 2 * H];
          const cand = tanh(xp[k + 2 * H] + r * hc);
          h[s] = (1 - z) * hPrev[s] + z * cand;
          if (gates && extra) {
            gates[gOff + k] = z;
            gates[gOff + k + H] = r;
            gates[gOff + k + 2 * H] = cand;
            extra[hOff + s] = hc;
          }
        }
      }
      return [h];
    }
    const [wzr, u] = w.blocks;
    const zr = this.recur(p, w, hIn, batch, wzr);
    const z = p.alloc(batch * H);
    const a = p.alloc(batch * H);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * G + j;
        const s = b * H + j;
        z[s] = sigmoid(xp[k] + zr[b * 2 * H + j]);
        const r = sigmoid(xp[k + H] + zr[b * 2 * H + H + j]);
        a[s] = r * hIn[s];
        if (gates) gates[gOff + k + H] = r;
      }
    }
    const ua = this.recur(p, w, a, batch, u);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * G + j;
        const s = b * H + j;
        const cand = tanh(xp[k + 2 * H] + ua[s]);
        h[s] = (1 - z[s]) * hPrev[s] + z[s] * cand;
        if (gates && extra) {
          gates[gOff + k] = z[s];
          gates[gOff + k + 2 * H] = cand;
          extra[hOff + s] = a[s];
        }
      }
    }
    return [h];
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
    dPreH: Floats,
  ): Floats[] {
    const H = this.units;
    const G = 3 * H;
    const dh = dNext[0];
    const hPrev = prev[0];
    const gates = cache.gates;
    const extra = cache.extra as Floats;
    const gOff = t * batch * G;
    const hOff = t * batch * H;
    if (this.resetAfter) {
      const fused = p.gruBackStep?.(
        dh,
        hPrev,
        gates.subarray(gOff, gOff + batch * G),
        extra.subarray(hOff, hOff + batch * H),
        w.zeroState ? null : this.recurrentTranspose(p, w),
        batch,
        H,
        dPreX,
        dPreH,
      );
      if (fused) {
        const [viaW, direct] = fused;
        this.maskRecurrentGradient(w, viaW);
        for (let i = 0; i < direct.length; i++) viaW[i] += direct[i];
        return [viaW];
      }
      const direct = p.alloc(batch * H);
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < H; j++) {
          const k = b * G + j;
          const s = b * H + j;
          const z = gates[gOff + k];
          const r = gates[gOff + k + H];
          const cand = gates[gOff + k + 2 * H];
          const hc = extra[hOff + s];
          const dc = dh[s] * z * (1 - cand * cand);
          const dz = dh[s] * (cand - hPrev[s]) * z * (1 - z);
          const dr = dc * hc * r * (1 - r);
          dPreX[k] = dz;
          dPreX[k + H] = dr;
          dPreX[k + 2 * H] = dc;
          dPreH[k] = dz;
          dPreH[k + H] = dr;
          dPreH[k + 2 * H] = dc * r;
          direct[s] = dh[s] * (1 - z);
        }
      }
      const viaW = this.maskRecurrentGradient(
        w,
        this.recur(p, w, dPreH, batch, this.recurrentTranspose(p, w)),
      );
      for (let i = 0; i < direct.length; i++) viaW[i] += direct[i];
      return [viaW];
    }
    const hIn = this.recurrentInput(p, w, hPrev);
    if (!w.recurrentT) w.recurrentT = [p.transpose(w.blocks[0]), p.transpose(w.blocks[1])];
    const [wzrT, uT] = w.recurrentT;
    const dCand = p.alloc(batch * H);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * G + j;
        const s = b * H + j;
        const cand = gates[gOff + k + 2 * H];
        const dc = dh[s] * gates[gOff + k] * (1 - cand * cand);
        dCand[s] = dc;
        dPreX[k + 2 * H] = dc;
      }
    }
    const da = this.recur(p, w, dCand, batch, uT);
    const dzr = p.alloc(batch * 2 * H);
    const direct = p.alloc(batch * H);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * G + j;
        const s = b * H + j;
        const z = gates[gOff + k];
        const r = gates[gOff + k + H];
        const cand = gates[gOff + k + 2 * H];
        const dz = dh[s] * (cand - hPrev[s]) * z * (1 - z);
        const dr = da[s] * hIn[s] * r * (1 - r);
        dPreX[k] = dz;
        dPreX[k + H] = dr;
        dzr[b * 2 * H + j] = dz;
        dzr[b * 2 * H + H + j] = dr;
        direct[s] = dh[s] * (1 - z);
      }
    }
    // Through the masked h_{t−1}: the z, r products and r ∗ h_{t−1}, then the mask; plus the direct term.
    const viaW = this.recur(p, w, dzr, batch, wzrT);
    for (let i = 0; i < viaW.length; i++)
      viaW[i] += da[i] * gates[gOff + Math.floor(i / H) * G + H + (i % H)];
    this.maskRecurrentGradient(w, viaW);
    for (let i = 0; i < direct.length; i++) viaW[i] += direct[i];
    return [viaW];
  }

  override recurrentGradient(
    p: MatmulProvider,
    w: PreparedWeights,
    hPrev: Floats,
    dPreH: Floats,
    cache: CellCache,
    rows: number,
  ): Floats {
    if (this.resetAfter) return super.recurrentGradient(p, w, hPrev, dPreH, cache, rows);
    const H = this.units;
    const G = 3 * H;
    // Split the z, r columns (they multiply h_{t−1}) from the candidate's (it multiplies r ∗ h_{t−1}).
    const dzr = p.alloc(rows * 2 * H);
    const dc = p.alloc(rows * H);
    for (let i = 0; i < rows; i++) {
      dzr.set(dPreH.subarray(i * G, i * G + 2 * H), i * 2 * H);
      dc.set(dPreH.subarray(i * G + 2 * H, (i + 1) * G), i * H);
    }
    const gzr = p.mulTransposeA(hPrev, H, dzr, 2 * H, rows);
    const gu = p.mulTransposeA(cache.extra as Floats, H, dc, H, rows);
    const out = p.alloc(H * G);
    for (let i = 0; i < H; i++) {
      out.set(gzr.subarray(i * 2 * H, (i + 1) * 2 * H), i * G);
      out.set(gu.subarray(i * H, (i + 1) * H), i * G + 2 * H);
    }
    return out;
  }
}
