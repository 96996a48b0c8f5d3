import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@wordloom/backend';
import { record, time } from '../harness.js';

/**
 * tfjs matMul 512×512 on the wasm backend (what `selectBackend()` picks here) against the cpu backend in
 * the same run: the reason wordloom prefers wasm.
 */
export default async function matmul(command: string): Promise<void> {
  const n = 512;
  const timings: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu']) {
    await selectBackend({ backend });
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    timings[backend] = await time(
      async () => {
        const c = tf.matMul(a, b);
        await c.data();
        c.dispose();
      },
      { repeats: backend === 'cpu' ? 3 : 15, warmup: 2 },
    );
    tf.dispose([a, b]);
  }
  const gflops = (2 * n ** 3) / timings.wasm / 1e9;
  record(
    {
      benchmark: 'matmul',
      workload: `matMul ${n}×${n} float32, median`,
      seconds: timings.wasm,
      peer: 'tfjs cpu backend',
      peerSeconds: timings.cpu,
      backend: 'wasm (1 thread, SIMD)',
      note: `${gflops.toFixed(1)} GFLOP/s on wasm`,
    },
    command,
  );
}
