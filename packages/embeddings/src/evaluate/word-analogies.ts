import * as tf from '@tensorflow/tfjs-core';
import { assertInteger } from '@wordloom/core';
import type { KeyedVectors } from '../keyed-vectors.js';

/** Options of {@link evaluateWordAnalogies}. */
export interface WordAnalogyOptions {
  /** Only the first N words are used, both as question words and as answers (gensim's default). @default 300000 */
  restrictVocab?: number;
  /** Compare upper-cased words; the most frequent spelling of each word wins. @default true */
  caseInsensitive?: boolean;
  /** Questions scored per tfjs matMul. @default 512 */
  batchSize?: number;
}

/** Correct/total of one section (or of all of them). */
export interface AnalogyScore {
  section: string;
  correct: number;
  /** Questions whose four words are all in the restricted vocabulary. */
  total: number;
  /** correct / total (0 when total is 0). */
  accuracy: number;
  /** Questions skipped because a word was missing. */
  oov: number;
}

/** Result of {@link evaluateWordAnalogies}. */
export interface AnalogyEvaluation extends AnalogyScore {
  sections: AnalogyScore[];
}

/**
 * Accuracy on analogy questions in the `questions-words.txt` format (`: section` lines, then
 * `a b c expected` per line), as gensim's `evaluate_word_analogies`: the prediction is the nearest word
 * to b − a + c by cosine among the first `restrictVocab` words, excluding a, b and c — and, with
 * `caseInsensitive`, every case variant of them, as gensim's `ignore` set does (3CosAdd, Mikolov et al.
 * 2013). With `caseInsensitive` each upper-cased word stands for its most frequent spelling; lines that
 * are not four words are skipped. Questions with a word outside the restricted vocabulary are counted as `oov`, not scored.
 * The cosines are computed in batches with one tfjs `matMul` each.
 */
export function evaluateWordAnalogies(
  vectors: KeyedVectors,
  questions: string,
  options: WordAnalogyOptions = {},
): AnalogyEvaluation {
  const restrict = Math.min(options.restrictVocab ?? 300_000, vectors.size);
  assertInteger(restrict, 'restrictVocab', 'evaluateWordAnalogies', 0);
  const fold = options.caseInsensitive ?? true;
  const batchSize = options.batchSize ?? 512;
  assertInteger(batchSize, 'batchSize', 'evaluateWordAnalogies', 1);
  const key = (w: string) => (fold ? w.toUpperCase() : w);
  const vocab = new Map<string, number>();
  for (let i = 0; i < restrict; i++) {
    const k = key(vectors.words[i]);
    if (!vocab.has(k)) vocab.set(k, i);
  }
  const keys = vectors.words.slice(0, restrict).map(key);

  const sections: AnalogyScore[] = [];
  const pending: Array<{ section: AnalogyScore; ids: [number, number, number]; expected: string }> = [];
  for (const raw of questions.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith(':')) {
      sections.push({ section: line.slice(1).trim(), correct: 0, total: 0, accuracy: 0, oov: 0 });
      continue;
    }
    if (sections.length === 0) sections.push({ section: '', correct: 0, total: 0, accuracy: 0, oov: 0 });
    const section = sections[sections.length - 1];
    const parts = line.split(/\s+/);
    if (parts.length !== 4) continue; // gensim skips invalid lines (neither scored nor oov)
    const [a, b, c, expected] = parts.map(key);
    const ia = vocab.get(a);
    const ib = vocab.get(b);
    const ic = vocab.get(c);
    if (
      ia === undefined ||
      ib === undefined ||
      ic === undefined ||
      expected === undefined ||
      !vocab.has(expected)
    ) {
      section.oov++;
      continue;
    }
    pending.push({ section, ids: [ia, ib, ic], expected });
  }

  const d = vectors.dim;
  const unit = vectors.unitVectors();
  if (pending.length > 0 && restrict > 0) {
    const matrix = tf.tensor2d(unit.subarray(0, restrict * d), [restrict, d]);
    const query = new Float32Array(batchSize * d);
    for (let start = 0; start < pending.length; start += batchSize) {
      const batch = pending.slice(start, start + batchSize);
      query.fill(0);
      batch.forEach(({ ids: [a, b, c] }, q) => {
        for (let k = 0; k < d; k++) query[q * d + k] = unit[b * d + k] + unit[c * d + k] - unit[a * d + k];
      });
      const scoresT = tf.tidy(() =>
        tf.matMul(tf.tensor2d(query.subarray(0, batch.length * d), [batch.length, d]), matrix, false, true),
      );
      const scores = scoresT.dataSync() as Float32Array;
      scoresT.dispose();
      batch.forEach(({ section, ids, expected }, q) => {
        let best = -1;
        let bestScore = Number.NEGATIVE_INFINITY;
        const row = q * restrict;
        const [ka, kb, kc] = [keys[ids[0]], keys[ids[1]], keys[ids[2]]];
        for (let i = 0; i < restrict; i++) {
          const s = scores[row + i];
          // gensim ignores the question words by key: with caseInsensitive, "King" when "king" is asked.
          if (s > bestScore && keys[i] !== ka && keys[i] !== kb && keys[i] !== kc) {
            bestScore = s;
            best = i;
          }
        }
        section.total++;
        if (best >= 0 && keys[best] === expected) section.correct++;
      });
    }
    matrix.dispose();
  }
  let correct = 0;
  let total = 0;
  let oov = 0;
  for (const s of sections) {
    s.accuracy = s.total > 0 ? s.correct / s.total : 0;
    correct += s.correct;
    total += s.total;
    oov += s.oov;
  }
  return { section: 'total', correct, total, accuracy: total > 0 ? correct / total : 0, oov, sections };
}
