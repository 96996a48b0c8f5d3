/** |x| beyond which σ(x) is taken as 0 or 1 (word2vec.c uses 6; 8 keeps the saturation error < 3.4e-4). */
export const MAX_EXP = 8;
/** Table resolution: step 16/16384 ≈ 0.001, so a looked-up σ is within 1.3e-4 of the exact value. */
export const TABLE_SIZE = 16384;
/** Multiplier mapping x ∈ [−MAX_EXP, MAX_EXP] to a table index. */
export const TABLE_SCALE = TABLE_SIZE / (2 * MAX_EXP);

/** σ(x) and log σ(x) sampled at the centres of TABLE_SIZE + 1 points over [−MAX_EXP, MAX_EXP]. */
export function createSigmoidTables(): { sigmoid: Float32Array; logSigmoid: Float32Array } {
  const sigmoid = new Float32Array(TABLE_SIZE + 1);
  const logSigmoid = new Float32Array(TABLE_SIZE + 1);
  for (let i = 0; i <= TABLE_SIZE; i++) {
    const x = i / TABLE_SCALE - MAX_EXP;
    sigmoid[i] = 1 / (1 + Math.exp(-x));
    logSigmoid[i] = -Math.log1p(Math.exp(-x));
  }
  return { sigmoid, logSigmoid };
}
