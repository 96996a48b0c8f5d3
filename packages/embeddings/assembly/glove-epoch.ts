// One AdaGrad pass of GloVe over a range of the shuffled co-occurrences (Pennington et al. 2014, the
// update of Stanford glove.c's `glove_thread`), entirely in WebAssembly: one call per thread and epoch.
//
// The parameters and the entries live in the imported memory, laid out by
// src/train/glove/glove-memory.ts: a configuration block of i32 words (the CFG_* byte offsets below).
// Arithmetic is that of the JavaScript-driven loop it replaces (diff, f·diff and the biases in f64, the
// vector step in f32 through dot and adagrad), so a seed gives the same vectors.
import { dot } from './dot';
import { adagrad } from './glove-adagrad';

const CFG_DIM = 0;
const CFG_W = 4;
const CFG_WT = 8;
const CFG_GW = 12;
const CFG_GWT = 16;
const CFG_B = 20;
const CFG_BT = 24;
const CFG_GB = 28;
const CFG_GBT = 32;
const CFG_ROWS = 36;
const CFG_COLS = 40;
const CFG_LOGS = 44;
const CFG_WEIGHTS = 48;
/** 1: word indices are i32; 0: u16 (vocabularies of at most 65,536 words: 4 bytes less per entry). */
const CFG_WIDE = 52;
/**
 * 0: log X and h(X) are stored per entry (f64 and f32, entry e at index e); else the byte offset of a
 * u32 per entry, the index of its X among the matrix's distinct values, where log X and h(X) are stored
 * once each (a corpus repeats few values of X: 8 bytes less per entry).
 */
const CFG_VALUES = 56;
/**
 * 0, or b > 0: the entries are packed in 6 bytes (GloVe on a corpus, when i, j and the value index fit
 * in 48 bits): entry e is lo + 2³²·hi = i + 2ᵇ·j + 2²ᵇ·v with lo the u32 at CFG_VALUES and hi the u16 at
 * CFG_COLS (CFG_ROWS unused).
 */
const CFG_PACKED = 60;

/**
 * `gloveEpoch(cfg, from, to, eta, out)`: for entries e in [from, to), with
 * diff = wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ and f = h(Xᵢⱼ)·diff (skipped when not finite, as glove.c does;
 * log X and h(X) read at e, or at the entry's index into the distinct values: CFG_VALUES; i, j and
 * that index packed in 6 bytes or not: CFG_PACKED), adds f·diff to the cost and moves every parameter
 * θ by −η·∂θ/√(Σ∂θ²) (∂wᵢ = f·w̃ⱼ, ∂w̃ⱼ = f·wᵢ, ∂bᵢ = ∂b̃ⱼ = f), then adds ∂θ² to its AdaGrad sum.
 * Writes the cost (f64) to `out`.
 */
export function gloveEpoch(cfg: usize, from: i32, to: i32, eta: f64, out: usize): void {
  const d = load<i32>(cfg, CFG_DIM);
  const pw = <usize>load<u32>(cfg, CFG_W);
  const pwt = <usize>load<u32>(cfg, CFG_WT);
  const pgw = <usize>load<u32>(cfg, CFG_GW);
  const pgwt = <usize>load<u32>(cfg, CFG_GWT);
  const pb = <usize>load<u32>(cfg, CFG_B);
  const pbt = <usize>load<u32>(cfg, CFG_BT);
  const pgb = <usize>load<u32>(cfg, CFG_GB);
  const pgbt = <usize>load<u32>(cfg, CFG_GBT);
  const rows = <usize>load<u32>(cfg, CFG_ROWS);
  const cols = <usize>load<u32>(cfg, CFG_COLS);
  const logs = <usize>load<u32>(cfg, CFG_LOGS);
  const weights = <usize>load<u32>(cfg, CFG_WEIGHTS);
  const wide = load<i32>(cfg, CFG_WIDE) == 1;
  const values = <usize>load<u32>(cfg, CFG_VALUES);
  const packed = <u64>load<u32>(cfg, CFG_PACKED);
  const mask: u64 = ((<u64>1) << packed) - 1;
  const row = (<usize>d) << 2;
  let cost: f64 = 0;
  for (let e = from; e < to; e++) {
    const at = <usize>e;
    let i: usize;
    let j: usize;
    let v: usize;
    if (packed != 0) {
      const c = <u64>load<u32>(values + (at << 2)) | ((<u64>load<u16>(cols + (at << 1))) << 32);
      i = <usize>(c & mask);
      j = <usize>((c >> packed) & mask);
      v = <usize>(c >> (packed << 1));
    } else {
      if (wide) {
        i = <usize>load<i32>(rows + (at << 2));
        j = <usize>load<i32>(cols + (at << 2));
      } else {
        i = <usize>load<u16>(rows + (at << 1));
        j = <usize>load<u16>(cols + (at << 1));
      }
      v = values != 0 ? <usize>load<u32>(values + (at << 2)) : at;
    }
    const wi = pw + i * row;
    const wj = pwt + j * row;
    const bi = pb + (i << 2);
    const bj = pbt + (j << 2);
    const diff =
      <f64>dot(wi, wj, d) + <f64>load<f32>(bi) + <f64>load<f32>(bj) - load<f64>(logs + (v << 3));
    let fdiff = <f64>load<f32>(weights + (v << 2)) * diff;
    if (!isFinite<f64>(fdiff)) continue;
    cost += fdiff * diff;
    fdiff *= eta;
    adagrad(wi, wj, pgw + i * row, pgwt + j * row, <f32>fdiff, d);
    const gbi = pgb + (i << 2);
    const gbj = pgbt + (j << 2);
    store<f32>(bi, <f32>(<f64>load<f32>(bi) - fdiff / sqrt<f64>(<f64>load<f32>(gbi))));
    store<f32>(bj, <f32>(<f64>load<f32>(bj) - fdiff / sqrt<f64>(<f64>load<f32>(gbj))));
    store<f32>(gbi, <f32>(<f64>load<f32>(gbi) + fdiff * fdiff));
    store<f32>(gbj, <f32>(<f64>load<f32>(gbj) + fdiff * fdiff));
  }
  store<f64>(out, cost);
}
