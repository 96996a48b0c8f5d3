// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20).
import type { Tensor } from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, Rnn, SimpleRnnCell, sequenceCall } from '@wordloom/rnn';

declare const x: Tensor;
const cell: SimpleRnnCell = new SimpleRnnCell({ inputSize: 1, units: 1 });
const { output } = sequenceCall(new Rnn(cell), x, { returnSequences: true });
const out: Tensor = output;
const clipped: { grads: Tensor[]; globalNorm: number } = clipByGlobalNorm([x], 6.5);

// @ts-expect-error units is a number
new SimpleRnnCell({ inputSize: 1, units: '1' });

export { clipped, out };
