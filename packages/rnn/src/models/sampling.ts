import { assertInteger, assertNumber, type Random } from '@wordloom/core';
import { softmaxRow } from './softmax-head.js';

/** How the next word is chosen from the model's distribution. */
export interface SamplingOptions {
  /** 0 = greedy arg-max (Listing 4-4); otherwise sample from softmax(logits / temperature). @default 0 */
  temperature?: number;
  /** Sample only among the k most likely words (0 = all). @default 0 */
  topK?: number;
}

/** Picks an index from one row of logits: greedy, or temperature / top-k sampling with `random`. */
export function sampleLogits(
  logits: ArrayLike<number>,
  offset: number,
  size: number,
  options: SamplingOptions,
  random: Random,
): number {
  const temperature = assertNumber(options.temperature ?? 0, 'temperature', 'sample', { min: 0 });
  const topK = assertInteger(options.topK ?? 0, 'topK', 'sample', 0);
  if (temperature === 0) {
    let arg = 0;
    for (let j = 1; j < size; j++) if (logits[offset + j] > logits[offset + arg]) arg = j;
    return arg;
  }
  const probs = softmaxRow(logits, offset, size, temperature);
  let candidates = Array.from({ length: size }, (_, j) => j);
  if (topK > 0 && topK < size) candidates = candidates.sort((a, b) => probs[b] - probs[a]).slice(0, topK);
  let total = 0;
  for (const j of candidates) total += probs[j];
  let u = random.next() * total;
  for (const j of candidates) {
    u -= probs[j];
    if (u <= 0) return j;
  }
  return candidates[candidates.length - 1];
}
