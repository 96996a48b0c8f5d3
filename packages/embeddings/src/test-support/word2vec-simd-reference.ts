import type { SimdKernels } from '../simd/simd-module.js';
import type { EngineState, KernelResult } from '../train/word2vec-engine/kernel.js';
import { createSigmoidTables, MAX_EXP, TABLE_SCALE } from '../train/word2vec-engine/sigmoid-table.js';

const { sigmoid: SIG, logSigmoid: LOGSIG } = createSigmoidTables();
const MIRROR = 2 * TABLE_SCALE * MAX_EXP;

/**
 * The word2vec loop before it moved into WebAssembly whole: JavaScript driving the SIMD primitives
 * dot/update/update0/axpy once per target. Kept as the reference that the compiled `trainSentences`
 * (assembly/word2vec-train.ts) must match bit for bit: same algorithm as the plain `trainSentences`, same
 * random draws, same order of updates. `syn0`, `syn1`, `syn1neg` and the scratch vectors live in the
 * module's memory (their `byteOffset`s are the pointers). Requires `dim % 4 === 0`.
 */
export function trainSentencesSimd(
  s: EngineState,
  from: number,
  to: number,
  alphaFrom: number,
  alphaTo: number,
  rngIn: number,
  scratch: { sentence: Int32Array; neu1: Float32Array; neu1e: Float32Array },
  k: SimdKernels,
): KernelResult {
  const d = s.dim;
  const { table, keep, codes, points, codeOffsets, codeLengths, tokens, starts } = s;
  const { neu1, neu1e } = scratch;
  const row = d * 4;
  const b0 = s.syn0.byteOffset;
  const b1 = s.syn1.byteOffset;
  const bn = s.syn1neg.byteOffset;
  const pNeu1 = neu1.byteOffset;
  const pNeu1e = neu1e.byteOffset;
  const { dot, update, update0, axpy } = k;
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
      let h: number; // pointer of the hidden vector: syn0 row (skip-gram) or the context mean (CBOW)
      let cw = 0;
      if (sg) h = 0;
      else {
        neu1.fill(0);
        for (let j = jFrom; j < jTo; j++) {
          if (j === i) continue;
          axpy(pNeu1, b0 + sen[j] * row, 1, d);
          cw++;
        }
        if (cw === 0) continue;
        const inv = 1 / cw;
        for (let q = 0; q < d; q++) neu1[q] *= inv;
        h = pNeu1;
      }
      // Skip-gram trains one (context → word) pair per context position; CBOW one pair per word.
      for (let j = sg ? jFrom : 0; sg ? j < jTo : j < 1; j++) {
        if (sg) {
          if (j === i) continue;
          h = b0 + sen[j] * row;
        }
        // The pair's first update writes neu1e (update0) instead of zeroing it first.
        pairs++;
        if (hs) {
          const o = codeOffsets[word];
          const n = codeLengths[word];
          for (let p = 0; p < n; p++) {
            const l2 = b1 + points[o + p] * row;
            const f = dot(h, l2, d);
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
              loss -= label === 1 ? LOGSIG[idx] : LOGSIG[MIRROR - idx];
            }
            const g = (label - sig) * alpha;
            if (p === 0) update0(pNeu1e, l2, h, g, d);
            else update(pNeu1e, l2, h, g, d);
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
          const l2 = bn + target * row;
          const f = dot(h, l2, d);
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
            loss -= label === 1 ? LOGSIG[idx] : LOGSIG[MIRROR - idx];
          }
          const g = (label - sig) * alpha;
          if (n === 0) update0(pNeu1e, l2, h, g, d);
          else update(pNeu1e, l2, h, g, d);
        }
        if (sg) axpy(h, pNeu1e, 1, d);
        else
          for (let q = jFrom; q < jTo; q++) {
            if (q === i) continue;
            axpy(b0 + sen[q] * row, pNeu1e, 1, d);
          }
      }
    }
  }
  return { loss, pairs, words, rng };
}
