// The whole word2vec training loop over a range of sentences (word2vec.c's TrainModelThread, gensim's
// train_batch_sg / train_batch_cbow): subsampling, the dynamic window, skip-gram or CBOW, negative
// sampling or hierarchical softmax. One call per slice of sentences and thread, so no JavaScript runs
// per pair: the loop used to call dot/update from JavaScript a dozen times per pair.
//
// Everything lives in the imported memory, laid out by src/train/word2vec-engine/engine-memory.ts: a
// configuration block of i32 words (the CFG_* byte offsets below), per-thread scratch and results.
// Arithmetic is that of the JavaScript-driven loop it replaces, step for step (learning rate, g and
// the loss in f64; vectors in f32 through dot/update/update0/axpy), so a seed gives the same vectors.
import { dot, dot2, dot3 } from './dot';
import { axpy, FIRST, INTO_H, update1, update2, update3 } from './sgns-update';

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
const CFG_MAX_TARGETS = 76;

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
 * The loss after scoring one target: `loss` − log σ(±f) (the table's value, or the exact linear tail
 * beyond ±MAX_EXP), in this order; g = α(label − σ(f)) is left in `gOut`.
 */
@inline
function score(f: f64, label: i32, alpha: f64, sigmoid: usize, logSigmoid: usize, loss: f64, gOut: usize): f64 {
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
  store<f32>(gOut, <f32>((<f64>label - sig) * alpha));
  return loss;
}

/**
 * One pair's SGD step over its `count` targets (rows `targets[t]`, labels `labels[t]`), the step of
 * word2vec.c for each target in turn: f = h·o, g = α(label − σ(f)), e += g·o, o += g·h; then, for
 * skip-gram, h += e (CBOW leaves e in `neu1e` for the context rows). Returns the loss with the targets'
 * terms subtracted in order.
 *
 * Targets go in groups of up to three distinct rows: their dots in one pass (dot2/dot3), then their
 * updates in one pass (update2/update3). That is the order above exactly: h changes only at the end, and
 * a target's row changes only through its own update, so its dot is the same before or after the
 * updates of the other rows of its group. A row that repeats (a negative drawn twice) starts a new group,
 * so its second dot sees its first update, as in word2vec.c.
 */
function trainTargets(
  h: usize,
  neu1e: usize,
  targets: usize,
  labels: usize,
  count: i32,
  alpha: f64,
  sg: bool,
  d: i32,
  sigmoid: usize,
  logSigmoid: usize,
  dots: usize,
  loss: f64,
): f64 {
  let mode = FIRST;
  for (let k = 0; k < count; ) {
    const at = targets + ((<usize>k) << 2);
    const o0 = <usize>load<u32>(at);
    let m = 1;
    if (k + 1 < count && <usize>load<u32>(at, 4) != o0) {
      m = 2;
      if (k + 2 < count) {
        const o2 = <usize>load<u32>(at, 8);
        if (o2 != o0 && o2 != <usize>load<u32>(at, 4)) m = 3;
      }
    }
    if (sg && k + m == count) mode |= INTO_H;
    const lab = labels + ((<usize>k) << 2);
    if (m == 3) {
      const o1 = <usize>load<u32>(at, 4);
      const o2 = <usize>load<u32>(at, 8);
      dot3(h, o0, o1, o2, d, dots);
      loss = score(<f64>load<f32>(dots), load<i32>(lab), alpha, sigmoid, logSigmoid, loss, dots);
      loss = score(<f64>load<f32>(dots, 4), load<i32>(lab, 4), alpha, sigmoid, logSigmoid, loss, dots + 4);
      loss = score(<f64>load<f32>(dots, 8), load<i32>(lab, 8), alpha, sigmoid, logSigmoid, loss, dots + 8);
      update3(neu1e, h, o0, o1, o2, load<f32>(dots), load<f32>(dots, 4), load<f32>(dots, 8), d, mode);
    } else if (m == 2) {
      const o1 = <usize>load<u32>(at, 4);
      dot2(h, o0, o1, d, dots);
      loss = score(<f64>load<f32>(dots), load<i32>(lab), alpha, sigmoid, logSigmoid, loss, dots);
      loss = score(<f64>load<f32>(dots, 4), load<i32>(lab, 4), alpha, sigmoid, logSigmoid, loss, dots + 4);
      update2(neu1e, h, o0, o1, load<f32>(dots), load<f32>(dots, 4), d, mode);
    } else {
      loss = score(<f64>dot(h, o0, d), load<i32>(lab), alpha, sigmoid, logSigmoid, loss, dots);
      update1(neu1e, h, o0, load<f32>(dots), d, mode);
    }
    mode &= ~FIRST;
    k += m;
  }
  return loss;
}

/**
 * `trainSentences(cfg, scratch, from, to, alphaFrom, alphaTo, rng, out)`: trains on sentences
 * [from, to) with the learning rate falling linearly from `alphaFrom` to `alphaTo` over their words.
 * `scratch` holds this thread's neu1 (dim floats), neu1e (dim floats), 16 bytes for a group's dots, the
 * pair's target rows and labels (i32 each, room for the configuration's most targets per pair) and a
 * sentence buffer (the longest sentence's length in i32). Writes to `out` four f64: the loss (Σ −log σ(±u·v) over the pair's targets),
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
  const maxTargets = <usize>load<i32>(cfg, CFG_MAX_TARGETS);
  const neu1 = scratch;
  const neu1e = scratch + row;
  const dots = scratch + 2 * row;
  const targets = dots + 16;
  const labels = targets + (maxTargets << 2);
  const sen = labels + (maxTargets << 2);

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
        // The mean, each float as <f32>(<f64>x · (1/cw)) (four per step: widened, multiplied, narrowed).
        const inv = f64x2.splat(1 / <f64>cw);
        for (let q: usize = 0; q < row; q += 16) {
          const x = v128.load(neu1 + q);
          const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(x), inv));
          const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)), inv));
          v128.store(neu1 + q, v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
        }
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
        // The pair's targets in order (their rows, then labels): the Huffman path (HS) or the word and
        // its negatives (NS; a negative equal to the word is skipped, as word2vec.c).
        let count = 0;
        if (hs) {
          const o = i32At(codeOffsets, word);
          const n = <i32>load<u8>(codeLengths + <usize>word);
          for (let p = 0; p < n; p++) {
            store<u32>(targets + ((<usize>count) << 2), <u32>(b1 + <usize>i32At(points, o + p) * row));
            store<i32>(labels + ((<usize>count) << 2), 1 - <i32>load<u8>(codes + <usize>(o + p)));
            count++;
          }
        }
        for (let n = 0; n <= negative && negative > 0; n++) {
          let target = word;
          if (n > 0) {
            rng ^= rng << 13;
            rng ^= rng >> 17;
            rng ^= rng << 5;
            target = i32At(table, <i32>((rng >> 8) & tableMask));
            if (target == word) continue;
          }
          store<u32>(targets + ((<usize>count) << 2), <u32>(bn + <usize>target * row));
          store<i32>(labels + ((<usize>count) << 2), n == 0 ? 1 : 0);
          count++;
        }
        loss = trainTargets(h, neu1e, targets, labels, count, alpha, sg, d, sigmoid, logSigmoid, dots, loss);
        if (!sg)
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
