// The whole word2vec training loop over a range of sentences (word2vec.c's TrainModelThread, gensim's
// train_batch_sg / train_batch_cbow): subsampling, the dynamic window, skip-gram or CBOW, negative
// sampling or hierarchical softmax. One call per slice of sentences and thread, so no JavaScript runs
// per pair: the loop used to call dot/update from JavaScript a dozen times per pair.
//
// Everything lives in the imported memory, laid out by src/train/word2vec-engine/engine-memory.ts: a
// configuration block of i32 words (the CFG_* byte offsets below), per-thread scratch and results.
// Arithmetic is that of the JavaScript-driven loop it replaces, step for step (learning rate, g and
// the loss in f64; vectors in f32 through dot/update/update0/axpy), so a seed gives the same vectors.
import { dot } from './dot';
import { axpy, update, update0 } from './sgns-update';

// Byte offsets of the configuration block's fields (keep in step with engine-memory.ts).
const CFG_DIM = 0;
const CFG_SG = 4;
const CFG_HS = 8;
const CFG_NEGATIVE = 12;
const CFG_WINDOW = 16;
const CFG_SYN0 = 20;
const CFG_SYN1 = 24;
const CFG_SYN1NEG = 28;
const CFG_TABLE = 32;
const CFG_TABLE_MASK = 36;
const CFG_KEEP = 40;
const CFG_CODES = 44;
const CFG_POINTS = 48;
const CFG_CODE_OFFSETS = 52;
const CFG_CODE_LENGTHS = 56;
const CFG_TOKENS = 60;
const CFG_STARTS = 64;
const CFG_SIGMOID = 68;
const CFG_LOG_SIGMOID = 72;

/** |x| beyond which σ(x) is 0 or 1 (sigmoid-table.ts). */
const MAX_EXP: f64 = 8;
/** Table entries per unit of x (sigmoid-table.ts: 16384 entries over [−8, 8]). */
const TABLE_SCALE: f64 = 1024;
/** Index of log σ(−x) for the index of x: 2 · TABLE_SCALE · MAX_EXP. */
const MIRROR: i32 = 16384;

@inline
function i32At(base: usize, index: i32): i32 {
  return load<i32>(base + ((<usize>index) << 2));
}

/**
 * `trainSentences(cfg, scratch, from, to, alphaFrom, alphaTo, rng, out)`: trains on sentences
 * [from, to) with the learning rate falling linearly from `alphaFrom` to `alphaTo` over their words.
 * `scratch` holds this thread's neu1 (dim floats), neu1e (dim floats) and a sentence buffer (the longest
 * sentence's length in i32). Writes to `out` four f64: the loss (Σ −log σ(±u·v) over the pair's targets),
 * the pair count, the raw words read and the xorshift32 state to continue from.
 */
export function trainSentences(
  cfg: usize,
  scratch: usize,
  from: i32,
  to: i32,
  alphaFrom: f64,
  alphaTo: f64,
  rngIn: i32,
  out: usize,
): void {
  const d = load<i32>(cfg, CFG_DIM);
  const sg = load<i32>(cfg, CFG_SG) == 1;
  const hs = load<i32>(cfg, CFG_HS) == 1;
  const negative = load<i32>(cfg, CFG_NEGATIVE);
  const window = load<i32>(cfg, CFG_WINDOW);
  const b0 = <usize>load<u32>(cfg, CFG_SYN0);
  const b1 = <usize>load<u32>(cfg, CFG_SYN1);
  const bn = <usize>load<u32>(cfg, CFG_SYN1NEG);
  const table = <usize>load<u32>(cfg, CFG_TABLE);
  const tableMask = load<u32>(cfg, CFG_TABLE_MASK);
  const keep = <usize>load<u32>(cfg, CFG_KEEP);
  const codes = <usize>load<u32>(cfg, CFG_CODES);
  const points = <usize>load<u32>(cfg, CFG_POINTS);
  const codeOffsets = <usize>load<u32>(cfg, CFG_CODE_OFFSETS);
  const codeLengths = <usize>load<u32>(cfg, CFG_CODE_LENGTHS);
  const tokens = <usize>load<u32>(cfg, CFG_TOKENS);
  const starts = <usize>load<u32>(cfg, CFG_STARTS);
  const sigmoid = <usize>load<u32>(cfg, CFG_SIGMOID);
  const logSigmoid = <usize>load<u32>(cfg, CFG_LOG_SIGMOID);
  const row = (<usize>d) << 2;
  const neu1 = scratch;
  const neu1e = scratch + row;
  const sen = scratch + 2 * row;

  let rng = <u32>rngIn;
  if (rng == 0) rng = 0x2545f491;
  let loss: f64 = 0;
  let pairs: f64 = 0;
  let words: i32 = 0;
  const totalWords = i32At(starts, to) - i32At(starts, from);
  const denominator: f64 = totalWords == 0 ? 1 : <f64>totalWords;

  for (let s = from; s < to; s++) {
    const begin = i32At(starts, s);
    const end = i32At(starts, s + 1);
    const alpha = alphaFrom + ((alphaTo - alphaFrom) * <f64>words) / denominator;
    words += end - begin;
    // Subsampling (Mikolov et al. 2013 eq. 5 as word2vec.c): keep w with probability keep[w] / 2³².
    let len = 0;
    for (let t = begin; t < end; t++) {
      const w = i32At(tokens, t);
      rng ^= rng << 13;
      rng ^= rng >> 17;
      rng ^= rng << 5;
      if (<f64>rng < load<f64>(keep + ((<usize>w) << 3))) {
        store<i32>(sen + ((<usize>len) << 2), w);
        len++;
      }
    }
    for (let i = 0; i < len; i++) {
      const word = i32At(sen, i);
      rng ^= rng << 13;
      rng ^= rng >> 17;
      rng ^= rng << 5;
      const b = <i32>(rng % <u32>window);
      const jFrom = max<i32>(0, i - window + b);
      const jTo = min<i32>(len, i + window + 1 - b);
      // The hidden vector: a syn0 row (skip-gram, per context word) or the context mean (CBOW).
      let h: usize = 0;
      if (!sg) {
        for (let q: usize = 0; q < row; q += 16) v128.store(neu1 + q, i32x4.splat(0));
        let cw = 0;
        for (let j = jFrom; j < jTo; j++) {
          if (j == i) continue;
          axpy(neu1, b0 + <usize>i32At(sen, j) * row, 1, d);
          cw++;
        }
        if (cw == 0) continue;
        const inv: f64 = 1 / <f64>cw;
        for (let q: usize = 0; q < row; q += 4) store<f32>(neu1 + q, <f32>(<f64>load<f32>(neu1 + q) * inv));
        h = neu1;
      }
      // Skip-gram trains one (context → word) pair per context position; CBOW one pair per word.
      const jStart = sg ? jFrom : 0;
      const jEnd = sg ? jTo : 1;
      for (let j = jStart; j < jEnd; j++) {
        if (sg) {
          if (j == i) continue;
          h = b0 + <usize>i32At(sen, j) * row;
        }
        pairs += 1;
        // The pair's first update writes neu1e (update0) instead of zeroing it first.
        if (hs) {
          const o = i32At(codeOffsets, word);
          const n = <i32>load<u8>(codeLengths + <usize>word);
          for (let p = 0; p < n; p++) {
            const l2 = b1 + <usize>i32At(points, o + p) * row;
            const f = <f64>dot(h, l2, d);
            const label = 1 - <i32>load<u8>(codes + <usize>(o + p));
            let sig: f64;
            if (f >= MAX_EXP) {
              sig = 1;
              loss -= label == 1 ? 0 : -f;
            } else if (f <= -MAX_EXP) {
              sig = 0;
              loss -= label == 1 ? f : 0;
            } else {
              const idx = <i32>((f + MAX_EXP) * TABLE_SCALE + 0.5);
              sig = <f64>load<f32>(sigmoid + ((<usize>idx) << 2));
              loss -= <f64>load<f32>(logSigmoid + ((<usize>(label == 1 ? idx : MIRROR - idx)) << 2));
            }
            const g = (<f64>label - sig) * alpha;
            if (p == 0) update0(neu1e, l2, h, <f32>g, d);
            else update(neu1e, l2, h, <f32>g, d);
          }
        }
        for (let n = 0; n <= negative && negative > 0; n++) {
          let target: i32;
          let label: i32;
          if (n == 0) {
            target = word;
            label = 1;
          } else {
            rng ^= rng << 13;
            rng ^= rng >> 17;
            rng ^= rng << 5;
            target = i32At(table, <i32>((rng >> 8) & tableMask));
            if (target == word) continue;
            label = 0;
          }
          const l2 = bn + <usize>target * row;
          const f = <f64>dot(h, l2, d);
          let sig: f64;
          if (f >= MAX_EXP) {
            sig = 1;
            loss -= label == 1 ? 0 : -f;
          } else if (f <= -MAX_EXP) {
            sig = 0;
            loss -= label == 1 ? f : 0;
          } else {
            const idx = <i32>((f + MAX_EXP) * TABLE_SCALE + 0.5);
            sig = <f64>load<f32>(sigmoid + ((<usize>idx) << 2));
            loss -= <f64>load<f32>(logSigmoid + ((<usize>(label == 1 ? idx : MIRROR - idx)) << 2));
          }
          const g = (<f64>label - sig) * alpha;
          if (n == 0) update0(neu1e, l2, h, <f32>g, d);
          else update(neu1e, l2, h, <f32>g, d);
        }
        if (sg) axpy(h, neu1e, 1, d);
        else
          for (let q = jFrom; q < jTo; q++) {
            if (q == i) continue;
            axpy(b0 + <usize>i32At(sen, q) * row, neu1e, 1, d);
          }
      }
    }
  }
  store<f64>(out, loss);
  store<f64>(out, pairs, 8);
  store<f64>(out, <f64>words, 16);
  store<f64>(out, <f64>rng, 24);
}
