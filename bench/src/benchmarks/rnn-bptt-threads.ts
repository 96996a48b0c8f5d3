import { selectBackend } from '@wordloom/backend';
import { availableThreads, Random } from '@wordloom/core';
import { GruCell, LstmCell, Rnn, SimdProvider } from '@wordloom/rnn';
import { record, time } from '../harness.js';

/**
 * One BPTT step (forward with the tape, then backward with the input gradient) of an MNIST row LSTM and
 * GRU — 28 steps of 28 features, batch 128 (and 32), 128 units — in `SimdProvider` on all available
 * threads against the same provider on 1 thread (the peer). The split is by rows of each product and gate
 * step (issue 15: the data-parallel split of the batch with a reduction is not implemented, so it is not
 * measured). `BENCH_TINY=1` runs one repeat of a small shape, to prove the code works.
 */
export default async function rnnBpttThreads(command: string): Promise<void> {
  const tiny = process.env.BENCH_TINY === '1';
  await selectBackend({ backend: 'wasm' });
  const threads = availableThreads();
  const one = SimdProvider.create({ threads: 1 });
  const many = SimdProvider.create({ threads });
  if (!one || !many) throw new Error('rnn-bptt-threads needs WebAssembly SIMD');
  await many.whenReady();
  const shapes = tiny ? [[4, 32, 64]] : [28, 100].flatMap((t) => [32, 128].map((b) => [t, b, 128]));
  try {
    for (const [kind, make] of [
      ['LSTM', (units: number) => new LstmCell({ inputSize: 28, units, seed: 1 })],
      ['GRU', (units: number) => new GruCell({ inputSize: 28, units, seed: 1 })],
    ] as const)
      for (const [T, B, H] of shapes) {
        const layer = new Rnn(make(H));
        const random = new Random(1);
        const data = Float32Array.from({ length: T * B * 28 }, () => random.normal());
        const dOutputs = Float32Array.from({ length: T * B * H }, () => random.normal());
        const input = { kind: 'dense', data, features: 28 } as const;
        const step = (p: SimdProvider) => () => {
          const fwd = layer.forwardRaw(p, input, T, B, { keep: true });
          layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true });
        };
        const repeats = tiny ? 1 : 10;
        const single = await time(step(one), { repeats, warmup: 1 });
        const threaded = await time(step(many), { repeats, warmup: 1 });
        layer.dispose();
        record(
          {
            benchmark: 'rnn-bptt-threads',
            workload: `${kind} forward+BPTT, T ${T}, batch ${B}, ${H} units, 28 features, median`,
            seconds: threaded,
            peer: 'the same kernels on 1 thread',
            peerSeconds: single,
            backend: `SimdProvider, ${many.threads} threads (rows split)`,
          },
          command,
        );
      }
  } finally {
    many.dispose();
  }
}
