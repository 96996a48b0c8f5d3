import { selectBackend } from '@wordloom/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { Bidirectional } from '../layers/bidirectional.js';
import { Rnn } from '../layers/rnn.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { Stacked } from '../layers/stacked.js';
import { gradientCheck } from '../test-support/gradient-check.js';
import { Float64Provider } from './matmul-provider.js';

// Time-major T × B: sequence 1 is padded after step 3, sequence 2 after step 1 (post-padding).
const T = 5;
const B = 3;
const mask = new Uint8Array(T * B);
const lengths = [5, 3, 1];
for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) mask[t * B + b] = t < lengths[b] ? 1 : 0;

const cells = {
  'simple RNN tanh': (seed: number) => new SimpleRnnCell({ inputSize: 3, units: 4, seed }),
  'simple RNN relu + identity': (seed: number) =>
    new SimpleRnnCell({ inputSize: 3, units: 4, seed, activation: 'relu', recurrentInitializer: 'identity' }),
  'simple RNN sigmoid': (seed: number) =>
    new SimpleRnnCell({ inputSize: 3, units: 4, seed, activation: 'sigmoid' }),
  LSTM: (seed: number) => new LstmCell({ inputSize: 3, units: 4, seed }),
  'GRU (reset after, eq. 4.4.1)': (seed: number) => new GruCell({ inputSize: 3, units: 4, seed }),
  'GRU (reset before)': (seed: number) => new GruCell({ inputSize: 3, units: 4, seed, resetAfter: false }),
};

function check(
  layer: SequenceLayer,
  options: { mask?: Uint8Array; ids?: boolean; training?: { seed: number } } = {},
) {
  const { worst, checked } = gradientCheck(layer, { steps: T, batch: B, ...options });
  layer.dispose();
  expect(checked).toBeGreaterThan(10);
  // Float64 central differences with ε = 1e-6: agreement to ~1e-8 (1e-5 relative at the 1e-4 floor) when the backward pass is right.
  expect(worst).toBeLessThan(1e-5);
}

describe('explicit BPTT against float64 central differences', () => {
  // Variables live on a tfjs backend; the arithmetic here is all float64 JavaScript.
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  for (const [name, make] of Object.entries(cells)) {
    it(`${name}: weights, inputs, initial states`, () => check(new Rnn(make(1))));
    it(`${name}: with a padding mask`, () => check(new Rnn(make(2)), { mask }));
  }

  for (const mergeMode of ['concat', 'sum', 'average'] as const) {
    it(`bidirectional LSTM (${mergeMode}), masked`, () =>
      check(new Bidirectional(new Rnn(cells.LSTM(3)), new Rnn(cells.LSTM(4)), { mergeMode }), { mask }));
  }

  it('bidirectional GRU, unmasked', () =>
    check(
      new Bidirectional(
        new Rnn(cells['GRU (reset after, eq. 4.4.1)'](5)),
        new Rnn(cells['GRU (reset after, eq. 4.4.1)'](6)),
      ),
    ));

  it('stacked LSTM over GRU, with and without a mask', () => {
    const make = () =>
      new Stacked([
        new Rnn(new GruCell({ inputSize: 3, units: 4, seed: 7 })),
        new Rnn(new LstmCell({ inputSize: 4, units: 2, seed: 8 })),
      ]);
    check(make());
    check(make(), { mask });
  });

  it('stacked bidirectional layers (Listing 4-4 shape, small)', () =>
    check(
      new Stacked([
        new Bidirectional(
          new Rnn(new LstmCell({ inputSize: 3, units: 2, seed: 9 })),
          new Rnn(new LstmCell({ inputSize: 3, units: 2, seed: 10 })),
        ),
        new Rnn(new LstmCell({ inputSize: 4, units: 3, seed: 11 })),
      ]),
      { mask },
    ));

  // Dropout masks fixed by the training seed: the loss is then a smooth function of the weights.
  for (const [name, make] of Object.entries(cells)) {
    const dropped = (seed: number, dropout: number, recurrentDropout: number) =>
      new Rnn(make(seed), { dropout, recurrentDropout });
    it(`${name}: input dropout`, () => check(dropped(20, 0.4, 0), { training: { seed: 3 } }));
    it(`${name}: variational recurrent dropout`, () => check(dropped(21, 0, 0.4), { training: { seed: 4 } }));
    it(`${name}: both, masked, and on one-hot input`, () => {
      check(dropped(22, 0.3, 0.3), { training: { seed: 5 }, mask });
      check(dropped(23, 0.3, 0.3), { training: { seed: 6 }, ids: true });
    });
  }

  it('dropout in stacked bidirectional layers (each direction and layer its own masks)', () =>
    check(
      new Stacked([
        new Bidirectional(
          new Rnn(new GruCell({ inputSize: 3, units: 2, seed: 30 }), { dropout: 0.3, recurrentDropout: 0.3 }),
          new Rnn(new GruCell({ inputSize: 3, units: 2, seed: 31 }), { dropout: 0.3, recurrentDropout: 0.3 }),
        ),
        new Rnn(new LstmCell({ inputSize: 4, units: 3, seed: 32 }), { dropout: 0.3, recurrentDropout: 0.3 }),
      ]),
      { training: { seed: 7 }, mask },
    ));

  it('dropout is active in training only: masks change the output, inference is deterministic', () => {
    const layer = new Rnn(new LstmCell({ inputSize: 3, units: 4, seed: 40 }), {
      dropout: 0.5,
      recurrentDropout: 0.5,
    });
    const p = new Float64Provider();
    const data = Float64Array.from({ length: T * B * 3 }, (_, i) => Math.sin(i));
    const input = { kind: 'dense', data, features: 3 } as const;
    const plain = Array.from(layer.forwardRaw(p, input, T, B).outputs);
    expect(Array.from(layer.forwardRaw(p, input, T, B).outputs)).toEqual(plain);
    const a = Array.from(layer.forwardRaw(p, input, T, B, { training: { seed: 1 } }).outputs);
    expect(a).not.toEqual(plain);
    expect(Array.from(layer.forwardRaw(p, input, T, B, { training: { seed: 1 } }).outputs)).toEqual(a);
    expect(Array.from(layer.forwardRaw(p, input, T, B, { training: { seed: 2 } }).outputs)).not.toEqual(a);
    expect(() => new Rnn(new LstmCell({ inputSize: 1, units: 1 }), { dropout: 1 })).toThrow(/'dropout'/);
    layer.dispose();
  });

  it('one-hot (token id) input: the kernel gradient scatters to word rows', () =>
    check(new Rnn(new LstmCell({ inputSize: 6, units: 3, seed: 12 })), { ids: true }));
});
