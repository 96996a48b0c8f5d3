import { loadCheckpoint } from '@wordloom/rnn/node';
import { expect } from 'vitest';

/** Every weight of a checkpoint, in the model's variable order. */
export async function weightsOf(folder: string): Promise<Float32Array[]> {
  const { model, optimizer } = await loadCheckpoint(folder);
  const values = model.variables.map((v) => v.dataSync() as Float32Array);
  model.dispose();
  optimizer?.dispose();
  return values;
}

/** Bit-exact equality of two checkpoints' weights (the message counts the differences). */
export function expectSameWeights(ours: Float32Array[], theirs: Float32Array[]): void {
  expect(ours.map((w) => w.length)).toEqual(theirs.map((w) => w.length));
  let differ = 0;
  let total = 0;
  let max = 0;
  ours.forEach((w, i) => {
    for (let j = 0; j < w.length; j++) {
      total++;
      if (w[j] !== theirs[i][j]) {
        differ++;
        max = Math.max(max, Math.abs(w[j] - theirs[i][j]));
      }
    }
  });
  expect(differ, `${differ} of ${total} weights differ after the resume, max |difference| ${max}`).toBe(0);
}
