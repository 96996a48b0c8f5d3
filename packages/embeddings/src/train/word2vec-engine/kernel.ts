import type { EngineMemory } from './engine-memory.js';
import { createSigmoidTables, MAX_EXP, TABLE_SCALE } from './sigmoid-table.js';

/**
 * Everything the inner loop touches, as typed arrays (views of one WebAssembly memory when the compiled
 * kernel runs, shared between threads when training in parallel: Hogwild, Recht et al. 2011 — threads
 * update rows without locks).
 */
export interface EngineState {
  dim: number;
  /** 1 = skip-gram, 0 = CBOW. */
  sg: number;
  /** Hierarchical softmax on (1) or off (0). */
  hs: number;
  /** Negative samples per positive (0 = no negative sampling). */
  negative: number;
  window: number;
  /** Input vectors, V × dim (the word vectors returned). */
  syn0: Float32Array;
  /** Inner-node vectors for hierarchical softmax, (V−1) × dim (empty when hs = 0). */
  syn1: Float32Array;
  /** Output vectors for negative sampling, V × dim (empty when negative = 0). */
  syn1neg: Float32Array;
  /** Unigram^0.75 table (length a power of two) of word ids for drawing negatives. */
  table: Int32Array;
  /** Probability × 2³² of keeping each word under subsampling (≥ 2³² keeps always). */
  keep: Float64Array;
  codes: Uint8Array;
  points: Int32Array;
  codeOffsets: Int32Array;
  codeLengths: Uint8Array;
  /** Integer-encoded corpus and sentence boundaries (sentence s is tokens[starts[s] … starts[s+1])). */
  tokens: Int32Array;
  starts: Int32Array;
  /**
   * The WebAssembly memory every array above is a view of, with the compiled kernel's configuration
   * block and per-thread scratch (undefined for the plain JS kernel).
   */
  wasm?: EngineMemory;
}

/** Running totals of one call of {@link trainSentences}. */
export interface KernelResult {
  /** Sum over (input, target) pairs of −log σ(u·v) − Σ log σ(−u·v_neg) (or the code path for HS). */
  loss: number;
  /** Number of (input, target) pairs the loss sums over. */
  pairs: number;
  /** Raw (pre-subsampling) tokens processed. */
  words: number;
  /** RNG state to continue from. */
  rng: number;
}

const { sigmoid: SIG, logSigmoid: LOGSIG } = createSigmoidTables();

/**
 * Trains on sentences [from, to) with SGD at a learning rate falling linearly from `alphaFrom` to
 * `alphaTo` over them (word2vec.c / gensim `train_batch_sg` / `train_batch_cbow` semantics: subsampling
 * per Mikolov et al. 2013 eq. 5 as implemented in word2vec.c, dynamic window b = rand % window, SGNS
 * update g = α(label − σ(v·u)), HS over the Huffman path, CBOW on the mean of the context). No
 * allocation in the loop; the RNG is xorshift32 carried in `rng`.
 */
export function trainSentences(
  s: EngineState,
  from: number,
  to: number,
  alphaFrom: number,
  alphaTo: number,
  rngIn: number,
  scratch: { sentence: Int32Array; neu1: Float32Array; neu1e: Float32Array },
): KernelResult {
  const d = s.dim;
  const { syn0, syn1, syn1neg, table, keep, codes, points, codeOffsets, codeLengths, tokens, starts } = s;
  const { neu1, neu1e } = scratch;
  let sen = scratch.sentence;
  const tableMask = table.length - 1;
  const negative = s.negative;
  const hs = s.hs === 1;
  const sg = s.sg === 1;
  const window = s.window;
  let rng = rngIn | 0 || 0x2545f491;
  let loss = 0;
  let pairs = 0;
  let words = 0;
  const totalWords = starts[to] - starts[from];

  for (let sIdx = from; sIdx < to; sIdx++) {
    const begin = starts[sIdx];
    const end = starts[sIdx + 1];
    const alpha = alphaFrom + ((alphaTo - alphaFrom) * words) / (totalWords || 1);
    words += end - begin;
    if (end - begin > sen.length) {
      sen = new Int32Array(end - begin);
      scratch.sentence = sen;
    }
    let len = 0;
    for (let t = begin; t < end; t++) {
      const w = tokens[t];
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      if (rng >>> 0 < keep[w]) sen[len++] = w;
    }
    for (let i = 0; i < len; i++) {
      const word = sen[i];
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      const b = (rng >>> 0) % window;
      const jFrom = Math.max(0, i - window + b);
      const jTo = Math.min(len, i + window + 1 - b);
      if (sg) {
        for (let j = jFrom; j < jTo; j++) {
          if (j === i) continue;
          const l1 = sen[j] * d;
          for (let k = 0; k < d; k++) neu1e[k] = 0;
          pairs++;
          if (hs) {
            const o = codeOffsets[word];
            const n = codeLengths[word];
            for (let p = 0; p < n; p++) {
              const l2 = points[o + p] * d;
              let f = 0;
              for (let k = 0; k < d; k++) f += syn0[l1 + k] * syn1[l2 + k];
              const label = 1 - codes[o + p];
              let sig: number;
              if (f >= MAX_EXP) {
                sig = 1;
                loss -= label === 1 ? 0 : -f;
              } else if (f <= -MAX_EXP) {
                sig = 0;
                loss -= label === 1 ? f : 0;
              } else {
                const idx = ((f + MAX_EXP) * TABLE_SCALE + 0.5) | 0;
                sig = SIG[idx];
                loss -= label === 1 ? LOGSIG[idx] : LOGSIG[2 * (TABLE_SCALE * MAX_EXP) - idx];
              }
              const g = (label - sig) * alpha;
              for (let k = 0; k < d; k++) {
                neu1e[k] += g * syn1[l2 + k];
                syn1[l2 + k] += g * syn0[l1 + k];
              }
            }
          }
          for (let n = 0; n <= negative && negative > 0; n++) {
            let target: number;
            let label: number;
            if (n === 0) {
              target = word;
              label = 1;
            } else {
              rng ^= rng << 13;
              rng ^= rng >>> 17;
              rng ^= rng << 5;
              target = table[(rng >>> 8) & tableMask];
              if (target === word) continue;
              label = 0;
            }
            const l2 = target * d;
            let f = 0;
            for (let k = 0; k < d; k++) f += syn0[l1 + k] * syn1neg[l2 + k];
            let sig: number;
            if (f >= MAX_EXP) {
              sig = 1;
              loss -= label === 1 ? 0 : -f;
            } else if (f <= -MAX_EXP) {
              sig = 0;
              loss -= label === 1 ? f : 0;
            } else {
              const idx = ((f + MAX_EXP) * TABLE_SCALE + 0.5) | 0;
              sig = SIG[idx];
              loss -= label === 1 ? LOGSIG[idx] : LOGSIG[2 * (TABLE_SCALE * MAX_EXP) - idx];
            }
            const g = (label - sig) * alpha;
            for (let k = 0; k < d; k++) {
              neu1e[k] += g * syn1neg[l2 + k];
              syn1neg[l2 + k] += g * syn0[l1 + k];
            }
          }
          for (let k = 0; k < d; k++) syn0[l1 + k] += neu1e[k];
        }
      } else {
        // CBOW: h = mean of the context input vectors (gensim cbow_mean=1); the error goes to each of them.
        let cw = 0;
        for (let k = 0; k < d; k++) neu1[k] = 0;
        for (let j = jFrom; j < jTo; j++) {
          if (j === i) continue;
          const l1 = sen[j] * d;
          for (let k = 0; k < d; k++) neu1[k] += syn0[l1 + k];
          cw++;
        }
        if (cw === 0) continue;
        const inv = 1 / cw;
        for (let k = 0; k < d; k++) {
          neu1[k] *= inv;
          neu1e[k] = 0;
        }
        pairs++;
        if (hs) {
          const o = codeOffsets[word];
          const n = codeLengths[word];
          for (let p = 0; p < n; p++) {
            const l2 = points[o + p] * d;
            let f = 0;
            for (let k = 0; k < d; k++) f += neu1[k] * syn1[l2 + k];
            const label = 1 - codes[o + p];
            let sig: number;
            if (f >= MAX_EXP) {
              sig = 1;
              loss -= label === 1 ? 0 : -f;
            } else if (f <= -MAX_EXP) {
              sig = 0;
              loss -= label === 1 ? f : 0;
            } else {
              const idx = ((f + MAX_EXP) * TABLE_SCALE + 0.5) | 0;
              sig = SIG[idx];
              loss -= label === 1 ? LOGSIG[idx] : LOGSIG[2 * (TABLE_SCALE * MAX_EXP) - idx];
            }
            const g = (label - sig) * alpha;
            for (let k = 0; k < d; k++) {
              neu1e[k] += g * syn1[l2 + k];
              syn1[l2 + k] += g * neu1[k];
            }
          }
        }
        for (let n = 0; n <= negative && negative > 0; n++) {
          let target: number;
          let label: number;
          if (n === 0) {
            target = word;
            label = 1;
          } else {
            rng ^= rng << 13;
            rng ^= rng >>> 17;
            rng ^= rng << 5;
            target = table[(rng >>> 8) & tableMask];
            if (target === word) continue;
            label = 0;
          }
          const l2 = target * d;
          let f = 0;
          for (let k = 0; k < d; k++) f += neu1[k] * syn1neg[l2 + k];
          let sig: number;
          if (f >= MAX_EXP) {
            sig = 1;
            loss -= label === 1 ? 0 : -f;
          } else if (f <= -MAX_EXP) {
            sig = 0;
            loss -= label === 1 ? f : 0;
          } else {
            const idx = ((f + MAX_EXP) * TABLE_SCALE + 0.5) | 0;
            sig = SIG[idx];
            loss -= label === 1 ? LOGSIG[idx] : LOGSIG[2 * (TABLE_SCALE * MAX_EXP) - idx];
          }
          const g = (label - sig) * alpha;
          for (let k = 0; k < d; k++) {
            neu1e[k] += g * syn1neg[l2 + k];
            syn1neg[l2 + k] += g * neu1[k];
          }
        }
        for (let j = jFrom; j < jTo; j++) {
          if (j === i) continue;
          const l1 = sen[j] * d;
          for (let k = 0; k < d; k++) syn0[l1 + k] += neu1e[k];
        }
      }
    }
  }
  return { loss, pairs, words, rng };
}
