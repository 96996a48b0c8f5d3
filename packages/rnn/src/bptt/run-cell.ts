import type { CellCache, RecurrentCell } from '../cells/cell.js';
import type { Floats, MatmulProvider } from './matmul-provider.js';
import type { SequenceInput } from './sequence-input.js';

/** What the forward pass keeps for {@link backpropCell}: typed arrays only, no tensors. */
export interface CellTape {
  readonly cell: RecurrentCell;
  readonly input: SequenceInput;
  readonly steps: number;
  readonly batch: number;
  readonly mask: Uint8Array | null;
  /** Whether the run started from given states (else zeros, whose gradient nobody needs). */
  readonly hasInitialState: boolean;
  /** Per state (h, and c for LSTM): `(T+1) × B × H`, block t = the state entering step t. */
  readonly states: Floats[];
  readonly cache: CellCache;
  readonly dropout: CellDropout | null;
}

/**
 * Dropout masks of one forward pass (training only), each a constant factor 0 or 1/(1−p), fixed for
 * the whole sequence (Keras' `dropout` / `recurrent_dropout`, Gal & Ghahramani's variational dropout).
 */
export interface CellDropout {
  /** Dense input: `B × D`, multiplying x_t of sequence b at every step. */
  readonly input?: Floats | null;
  /** Token-id input: one factor per time-major row `T·B` (the mask entry of that row's token). */
  readonly rows?: Floats | null;
  /** `B × H`, multiplying h_{t−1} where it enters the recurrent products. */
  readonly recurrent?: Floats | null;
}

/** Result of {@link runCell}. */
export interface CellRun {
  /** h_t for every step, time-major `T × B × H` (a view into the tape's states). */
  readonly outputs: Floats;
  /** The states after the last step (`B × H` each). */
  readonly final: Floats[];
  readonly tape: CellTape | null;
}

/**
 * Forward pass of one cell over a time-major batch. The input projections `x_t·W_xh + b` of all steps
 * come from ONE matmul (or one row gather for token ids); each step then costs one recurrent matmul
 * plus one typed-array kernel for the gates. With `mask` (time-major `T × B`, 0 = padding) a padded
 * step carries the previous states forward unchanged, as Keras masking does.
 */
export function runCell(
  p: MatmulProvider,
  cell: RecurrentCell,
  input: SequenceInput,
  steps: number,
  batch: number,
  options: {
    initialState?: Floats[] | null;
    mask?: Uint8Array | null;
    keep?: boolean;
    dropout?: CellDropout | null;
  } = {},
): CellRun {
  const H = cell.units;
  const GH = cell.gates * H;
  const BH = batch * H;
  const mask = options.mask ?? null;
  const dropout = options.dropout ?? null;
  const w = cell.prepare(p);
  w.recurrentMask = dropout?.recurrent ?? null;
  try {
    if (dropout?.input && input.kind === 'dense') {
      // x_t ⊙ m_b: the dropped input is what W_xh sees, and what its gradient is taken against.
      const D = input.features;
      const m = dropout.input;
      const data = p.alloc(steps * batch * D);
      for (let t = 0; t < steps; t++)
        for (let i = 0; i < batch * D; i++) data[t * batch * D + i] = input.data[t * batch * D + i] * m[i];
      input = { kind: 'dense', data, features: D };
    }
    const states: Floats[] = [];
    for (let s = 0; s < cell.stateCount; s++) {
      const buf = p.alloc((steps + 1) * BH);
      const init = options.initialState?.[s];
      if (init) buf.set(init);
      states.push(buf);
    }
    const cache = options.keep ? cell.createCache(p, steps, batch) : null;
    const hasInitialState = options.initialState != null && options.initialState.length > 0;
    const zeroFirst = !hasInitialState;
    // Dense input: the provider may compute the projections x_t·W_xh itself, where the steps run.
    let whole =
      !mask &&
      input.kind === 'dense' &&
      cell.runSteps(
        p,
        w,
        { data: input.data, features: input.features },
        states,
        cache,
        steps,
        batch,
        zeroFirst,
      );
    let xp: Floats | null = null;
    if (!whole) {
      xp =
        input.kind === 'dense'
          ? p.mul(input.data, steps * batch, w.kernel)
          : p.gatherRows(w.kernel, input.ids);
      if (dropout?.rows && input.kind === 'ids') {
        const f = dropout.rows;
        for (let r = 0; r < steps * batch; r++) for (let j = 0; j < GH; j++) xp[r * GH + j] *= f[r];
      }
      if (!cell.fusedBias) {
        const bias = w.bias;
        for (let r = 0; r < steps * batch; r++) for (let j = 0; j < GH; j++) xp[r * GH + j] += bias[j];
      }
      whole = !mask && cell.runSteps(p, w, xp, states, cache, steps, batch, zeroFirst);
    }
    for (let t = whole ? steps : 0; t < steps; t++) {
      const prev = states.map((buf) => buf.subarray(t * BH, (t + 1) * BH));
      w.zeroState = t === 0 && !hasInitialState;
      const xt = (xp as Floats).subarray(t * batch * GH, (t + 1) * batch * GH);
      const next = cell.step(p, w, t, batch, xt, prev, cache);
      if (mask)
        for (let b = 0; b < batch; b++)
          if (mask[t * batch + b] === 0)
            for (let s = 0; s < next.length; s++) next[s].set(prev[s].subarray(b * H, (b + 1) * H), b * H);
      for (let s = 0; s < next.length; s++) states[s].set(next[s], (t + 1) * BH);
    }
    return {
      outputs: states[0].subarray(BH),
      final: states.map((buf) => buf.slice(steps * BH)),
      tape: cache ? { cell, input, steps, batch, mask, hasInitialState, states, cache, dropout } : null,
    };
  } finally {
    cell.release(p, w);
  }
}

/** Gradients from {@link backpropCell}. */
export interface CellGradients {
  /** ∂C/∂x, time-major `T × B × D`; null for token-id input or when not requested. */
  readonly dInput: Floats | null;
  /** ∂C/∂(initial states), `B × H` each. */
  readonly dInitial: Floats[];
  /** ∂C/∂(each of `cell.variables`), flat in the variable's shape. */
  readonly grads: Floats[];
}

/**
 * Explicit backpropagation through time (chapter eqs. 4.2.7–4.2.14) for one cell: walks time in
 * reverse with one recurrent matmul per step (`dPre · W_hhᵀ`), stores ∂C/∂(pre-activations) of every
 * step, and accumulates the weight gradients after the loop — ∂C/∂W_xh = Xᵀ·dPre, ∂C/∂W_hh = H_{t−1}ᵀ·dPre,
 * ∂C/∂b = Σ dPre — so the sum over t of eq. 4.2.12 is a single product (for dense input and cells whose
 * W_hh gradient is that plain product, LSTM and simple RNN, all three come from one `[X | H_{t−1} | 1]ᵀ·dPre`).
 *
 * `dOutputs` (`T × B × H`) is ∂C/∂h_t from the layer above at every step; `dFinal` the gradient on the
 * final states. `window` truncates BPTT: gradients do not cross the boundaries of consecutive windows
 * of that many steps (states still do).
 */
export function backpropCell(
  p: MatmulProvider,
  tape: CellTape,
  dOutputs: Floats | null,
  dFinal: (Floats | null)[] = [],
  options: {
    inputGradient?: boolean;
    window?: number;
    /** Called with ∂C/∂(states entering step t), t = T−1 … 0 (diagnostics). */
    onStep?: (t: number, dStates: Floats[]) => void;
  } = {},
): CellGradients {
  const { cell, steps, batch, mask, states, cache, input } = tape;
  const H = cell.units;
  const GH = cell.gates * H;
  const BH = batch * H;
  const rows = steps * batch;
  const window = options.window ?? 0;
  const dropout = tape.dropout;
  const w = cell.prepare(p);
  w.recurrentMask = dropout?.recurrent ?? null;
  try {
    let d: Floats[] = states.map((_, s) => {
      const buf = p.alloc(BH);
      const f = dFinal[s];
      if (f) buf.set(f);
      return buf;
    });
    const dPreX = p.alloc(rows * GH);
    const dPreH = cell.separateRecurrentGrad ? p.alloc(rows * GH) : dPreX;
    const saved: Floats[] = mask ? states.map(() => p.alloc(BH)) : [];
    const whole =
      !mask &&
      window === 0 &&
      !options.onStep &&
      cell.backSteps(p, w, d, dOutputs, states, cache, steps, batch, dPreX, dPreH, !tape.hasInitialState);
    for (let t = whole ? -1 : steps - 1; t >= 0; t--) {
      if (dOutputs) {
        const dh = d[0];
        const off = t * BH;
        for (let i = 0; i < BH; i++) dh[i] += dOutputs[off + i];
      }
      const prev = states.map((buf) => buf.subarray(t * BH, (t + 1) * BH));
      let anyMasked = false;
      if (mask)
        for (let b = 0; b < batch; b++)
          if (mask[t * batch + b] === 0) {
            anyMasked = true;
            // A padded step copied its state forward: its gradient passes straight through.
            for (let s = 0; s < d.length; s++) {
              saved[s].set(d[s].subarray(b * H, (b + 1) * H), b * H);
              d[s].fill(0, b * H, (b + 1) * H);
            }
          }
      const span = [t * batch * GH, (t + 1) * batch * GH] as const;
      // Zero initial states: their gradient is not needed, so the last recurrent product is skipped.
      w.zeroState = t === 0 && !tape.hasInitialState && !options.onStep;
      const dPrev = cell.backStep(
        p,
        w,
        t,
        batch,
        d,
        prev,
        cache,
        dPreX.subarray(...span),
        dPreH.subarray(...span),
      );
      if (anyMasked)
        for (let b = 0; b < batch; b++)
          if ((mask as Uint8Array)[t * batch + b] === 0)
            for (let s = 0; s < dPrev.length; s++) dPrev[s].set(saved[s].subarray(b * H, (b + 1) * H), b * H);
      options.onStep?.(t, dPrev);
      if (window > 0 && t > 0 && t % window === 0) for (const g of dPrev) g.fill(0);
      d = dPrev;
    }
    // ∂C/∂W_hh is taken against h_{t−1} as the products saw it (masked under recurrent dropout).
    let hPrev = states[0].subarray(0, rows * H);
    const rm = dropout?.recurrent;
    if (rm) {
      hPrev = hPrev.slice();
      for (let t = 0; t < steps; t++) for (let i = 0; i < BH; i++) hPrev[t * BH + i] *= rm[i];
    }
    let grads: Floats[];
    if (input.kind === 'dense' && cell.plainRecurrentGradient) {
      grads = joinedWeightGradients(p, input.data, input.features, hPrev, H, dPreX, GH, rows);
    } else {
      const kernelGrad =
        input.kind === 'dense'
          ? p.mulTransposeA(input.data, input.features, dPreX, GH, rows)
          : scatterRows(p, input.ids, input.vocab, dPreX, GH, dropout?.rows ?? null);
      grads = [
        kernelGrad,
        cell.recurrentGradient(p, w, hPrev, dPreH, cache, rows),
        columnSums(p, dPreX, rows, GH),
      ];
      if (cell.recurrentBias) grads.push(columnSums(p, dPreH, rows, GH));
    }
    let dInput: Floats | null = null;
    if (options.inputGradient && input.kind === 'dense') {
      const kT = p.transpose(w.kernel);
      dInput = p.mul(dPreX, rows, kT);
      p.release(kT);
      const m = dropout?.input;
      if (m) {
        const n = m.length;
        for (let t = 0; t < steps; t++) for (let i = 0; i < n; i++) dInput[t * n + i] *= m[i];
      }
    }
    return { dInput, dInitial: d, grads };
  } finally {
    cell.release(p, w);
  }
}

/**
 * ∂C/∂W_xh = Xᵀ·dPre, ∂C/∂W_hh = H_{t−1}ᵀ·dPre and ∂C/∂b = Σ_rows dPre as ONE product
 * `[x_t | h_{t−1} | 1]ᵀ · dPre` (eq. 4.2.12 summed over t): dPre, the largest operand, is read once.
 */
function joinedWeightGradients(
  p: MatmulProvider,
  x: Floats,
  D: number,
  states: Floats,
  H: number,
  dPre: Floats,
  GH: number,
  rows: number,
): Floats[] {
  const width = D + H + 1;
  const joined = p.alloc(rows * width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    joined.set(x.subarray(r * D, (r + 1) * D), o);
    joined.set(states.subarray(r * H, (r + 1) * H), o + D);
    joined[o + D + H] = 1;
  }
  const all = p.mulTransposeA(joined, width, dPre, GH, rows);
  return [all.slice(0, D * GH), all.slice(D * GH, (D + H) * GH), all.slice((D + H) * GH)];
}

/** `Σ_rows m[row]` of a `rows × cols` buffer (bias gradients). */
export function columnSums(p: MatmulProvider, m: Floats, rows: number, cols: number): Floats {
  const out = p.alloc(cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    for (let c = 0; c < cols; c++) out[c] += m[off + c];
  }
  return out;
}

/** One-hot inputs: ∂C/∂W_xh adds each step's pre-activation gradient to the row of its token. */
function scatterRows(
  p: MatmulProvider,
  ids: Int32Array,
  vocab: number,
  d: Floats,
  cols: number,
  scale: Floats | null,
): Floats {
  const out = p.alloc(vocab * cols);
  for (let r = 0; r < ids.length; r++) {
    const dst = ids[r] * cols;
    const src = r * cols;
    const f = scale ? scale[r] : 1;
    if (f !== 0) for (let c = 0; c < cols; c++) out[dst + c] += f * d[src + c];
  }
  return out;
}
