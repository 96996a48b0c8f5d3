import { selectBackend } from '@wordloom/backend';
import { Random } from '@wordloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Float64Provider } from '../bptt/matmul-provider.js';
import { LstmCell } from '../cells/lstm.js';
import { Rnn } from './rnn.js';

describe('Rnn truncated BPTT', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('cuts gradients at window boundaries, and only there', () => {
    const T = 6;
    const B = 2;
    const D = 3;
    const random = new Random(1);
    const data = Float64Array.from({ length: T * B * D }, () => random.normal());
    const input = { kind: 'dense', data, features: D } as const;
    const dLast = Float64Array.from({ length: B * 4 }, () => random.normal());
    const grads = (truncate: number) => {
      const layer = new Rnn(new LstmCell({ inputSize: D, units: 4, seed: 3 }), { truncate });
      const p = new Float64Provider();
      const run = layer.forwardRaw(p, input, T, B, { keep: true });
      const g = layer.backwardRaw(p, run.tape, { dLast }, { inputGradient: true });
      layer.dispose();
      return g.dInput as Float64Array;
    };
    const full = grads(0);
    const cut = grads(2); // windows [0, 1], [2, 3], [4, 5]: the loss at step 5 reaches steps 4 and 5 only
    const step = (g: Float64Array, t: number) => Array.from(g.subarray(t * B * D, (t + 1) * B * D));
    for (const t of [4, 5]) expect(step(cut, t)).toEqual(step(full, t));
    for (const t of [0, 1, 2, 3]) {
      expect(step(cut, t).every((v) => v === 0)).toBe(true);
      expect(step(full, t).some((v) => v !== 0)).toBe(true);
    }
  });

  it('rejects a negative window naming the option', () => {
    const cell = new LstmCell({ inputSize: 1, units: 1 });
    expect(() => new Rnn(cell, { truncate: -1 })).toThrow(/Argument 'truncate' passed to 'Rnn'/);
    cell.dispose();
  });
});
