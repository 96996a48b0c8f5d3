import { record } from '../harness.js';
import { measurePeaks } from '../peak.js';

/**
 * The machine's peak for wordloom's kernels on one core (issue 15, item 3): f32x4 mul+add, and FMA via
 * relaxed SIMD where the runtime offers it (run Node with `--experimental-wasm-relaxed-simd` to include
 * it). `BENCH_TINY=1` runs a few milliseconds only, to prove the code works.
 */
export default async function kernelsPeak(command: string): Promise<void> {
  const tiny = process.env.BENCH_TINY === '1';
  const { mulAdd, fma } = measurePeaks(tiny ? 1e5 : 5e7, tiny ? 1 : 5);
  for (const p of [mulAdd, fma]) {
    if (!p) continue;
    record(
      {
        benchmark: 'kernels-peak',
        workload: `${p.kind}, 12 independent f32x4 chains, 1 thread, time per 10⁹ flops`,
        seconds: 1 / p.gflops,
        peer: '–',
        peerSeconds: null,
        backend: 'WebAssembly SIMD (1 core)',
        note: `${p.gflops.toFixed(1)} GFLOP/s per core`,
      },
      command,
    );
  }
  if (!fma) console.log('kernels-peak: relaxed SIMD not offered by this runtime (FMA row skipped)');
}
