import { selectBackend } from '@wordloom/backend';
import { Random } from '@wordloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Float64Provider } from '../bptt/matmul-provider.js';
import { LstmCell } from '../cells/lstm.js';
import { Bidirectional } from './bidirectional.js';
import { Rnn } from './rnn.js';

describe('Bidirectional', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('outputs zeros at padded steps (Keras zero_output_for_mask, PyTorch packed sequences)', () => {
    const T = 4;
    const B = 2;
    const layer = new Bidirectional(
      new Rnn(new LstmCell({ inputSize: 2, units: 3, seed: 1 })),
      new Rnn(new LstmCell({ inputSize: 2, units: 3, seed: 2 })),
    );
    const random = new Random(3);
    const data = Float64Array.from({ length: T * B * 2 }, () => random.normal());
    // Sequence 0 has all 4 steps, sequence 1 only the first 2.
    const mask = Uint8Array.from({ length: T * B }, (_, r) => (r % B === 1 && r >= 2 * B ? 0 : 1));
    const run = layer.forwardRaw(new Float64Provider(), { kind: 'dense', data, features: 2 }, T, B, { mask });
    const row = (t: number, b: number) =>
      Array.from(run.outputs.subarray((t * B + b) * 6, (t * B + b + 1) * 6));
    for (const t of [2, 3]) expect(row(t, 1)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const t of [0, 1]) expect(row(t, 1).every((v) => v !== 0)).toBe(true);
    for (const t of [0, 1, 2, 3]) expect(row(t, 0).every((v) => v !== 0)).toBe(true);
    layer.dispose();
  });

  it('a hand-built layer without seeds starts with different directions', () => {
    const layer = new Bidirectional(
      new Rnn(new LstmCell({ inputSize: 2, units: 3 })),
      new Rnn(new LstmCell({ inputSize: 2, units: 3 })),
    );
    const [fk, , , bk] = layer.variables;
    expect(Array.from(fk.dataSync())).not.toEqual(Array.from(bk.dataSync()));
    layer.dispose();
  });
});
