import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@wordloom/backend';
import { availableThreads, Random } from '@wordloom/core';
import { GruCell, LstmCell, Rnn, SimdProvider } from '@wordloom/rnn';
import { record, time } from '../harness.js';

/** [cell, units H, steps T, batch B]: every H of the goal with both T and both B across the set. */
type Shape = ['LSTM' | 'GRU', number, number, number];

/**
 * The goal's shapes (h 64–512, T 28 and 100, batch 32 and 128) cost ~ 6·T·B·(28 + H)·G flops a step, up
 * to 85 GFLOP at h 512, T 100, B 128: all 32 would take far more than the bench's ~8 minutes. This subset
 * pairs each H with each T and each B once (8 shapes per cell).
 */
const SHAPES: Array<[number, number, number]> = [
  [64, 28, 32],
  [64, 100, 128],
  [128, 28, 128],
  [128, 100, 32],
  [256, 28, 32],
  [256, 100, 128],
  [512, 28, 128],
  [512, 100, 32],
];
const FEATURES = 28;

/** Median seconds of one forward + backward step per shape, from PyTorch with `threads` threads. */
function torchTimes(shapes: Shape[], threads: number, repeats: number): number[] | string {
  const dir = mkdtempSync(join(tmpdir(), 'wl-bptt-torch-'));
  const script = join(dir, 'bptt.py');
  writeFileSync(
    script,
    `
import json, sys, time
import torch
torch.set_num_threads(${threads})
torch.manual_seed(1)
shapes = json.loads(sys.argv[1])
out = []
for kind, h, t, b in shapes:
    rnn = (torch.nn.LSTM if kind == 'LSTM' else torch.nn.GRU)(${FEATURES}, h)
    x = torch.randn(t, b, ${FEATURES}, requires_grad=True)
    d = torch.randn(t, b, h)
    def step():
        rnn.zero_grad()
        x.grad = None
        y, _ = rnn(x)
        y.backward(d)
    step()
    secs = []
    for _ in range(${repeats}):
        t0 = time.perf_counter()
        step()
        secs.append(time.perf_counter() - t0)
    secs.sort()
    out.append(secs[len(secs) // 2])
print(json.dumps({"version": torch.__version__, "seconds": out}))
`,
  );
  try {
    const r = spawnSync('/usr/bin/python3', [script, JSON.stringify(shapes)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      // Spinning OpenMP threads run up to 7× slower on a shared machine; PASSIVE makes them sleep.
      env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(threads) },
    });
    if (r.status !== 0) return `PyTorch not run (${(r.stderr || String(r.error)).trim().split('\n').pop()})`;
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { seconds: number[] };
    return parsed.seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One BPTT step (forward with the tape, then backward with the input gradient, no optimiser) of an LSTM
 * and a GRU layer on 28 features, in `SimdProvider` on all available threads with both ways of splitting
 * the work (issue 15): `'rows'` (each product and gate step in bands of output rows) and `'batch'` (the
 * weight-gradient products split over the T·B samples, partial sums reduced) — against PyTorch's
 * `nn.LSTM` / `nn.GRU` forward + backward, best of 1 and 2 threads with OMP_WAIT_POLICY=PASSIVE. Median
 * of 3 steps after one warm-up. `RNN_BENCH_SKIP_TORCH=1` skips the peer; `BENCH_TINY=1` runs one small
 * shape once, to prove the code works.
 */
export default async function rnnBpttThreads(command: string): Promise<void> {
  const tiny = process.env.BENCH_TINY === '1';
  await selectBackend({ backend: 'wasm' });
  const threads = availableThreads();
  const repeats = tiny ? 1 : 3;
  const shapes: Shape[] = (['LSTM', 'GRU'] as const).flatMap((kind) =>
    (tiny ? [[64, 4, 32] as [number, number, number]] : SHAPES).map(([h, t, b]): Shape => [kind, h, t, b]),
  );

  // PyTorch first, alone on the machine: best of 1 and 2 threads per shape.
  let torch: number[] | null = null;
  let torchNote = 'PyTorch skipped (RNN_BENCH_SKIP_TORCH=1)';
  let torchNotes: string[] = [];
  if (process.env.RNN_BENCH_SKIP_TORCH !== '1') {
    const one = torchTimes(shapes, 1, repeats);
    const two = torchTimes(shapes, 2, repeats);
    if (typeof one === 'string') torchNote = one;
    else if (typeof two === 'string') torchNote = two;
    else {
      torch = one.map((s, i) => Math.min(s, two[i]));
      torchNotes = one.map((s, i) => `PyTorch ${s.toFixed(4)} s on 1 thread, ${two[i].toFixed(4)} s on 2`);
    }
  }

  const rows = SimdProvider.create({ threads, split: 'rows' });
  const batch = SimdProvider.create({ threads, split: 'batch' });
  if (!rows || !batch) throw new Error('rnn-bptt-threads needs WebAssembly SIMD');
  const providers = { rows, batch };
  await providers.rows.whenReady();
  await providers.batch.whenReady();
  try {
    for (const [index, [kind, H, T, B]] of shapes.entries()) {
      const cell =
        kind === 'LSTM'
          ? new LstmCell({ inputSize: FEATURES, units: H, seed: 1 })
          : new GruCell({ inputSize: FEATURES, units: H, seed: 1 });
      const layer = new Rnn(cell);
      const random = new Random(1);
      const data = Float32Array.from({ length: T * B * FEATURES }, () => random.normal());
      const dOutputs = Float32Array.from({ length: T * B * H }, () => random.normal());
      const input = { kind: 'dense', data, features: FEATURES } as const;
      const step = (p: SimdProvider) => () => {
        const fwd = layer.forwardRaw(p, input, T, B, { keep: true });
        layer.backwardRaw(p, fwd.tape, { dOutputs }, { inputGradient: true });
      };
      const seconds = {
        rows: await time(step(providers.rows), { repeats, warmup: 1 }),
        batch: await time(step(providers.batch), { repeats, warmup: 1 }),
      };
      layer.dispose();
      const gflop = (6 * T * B * (FEATURES + H) * (kind === 'LSTM' ? 4 : 3) * H) / 1e9;
      for (const split of ['rows', 'batch'] as const)
        record(
          {
            benchmark: 'rnn-bptt-threads',
            workload: `${kind} forward+BPTT, h ${H}, T ${T}, batch ${B}, 28 features, split ${split}, median`,
            seconds: seconds[split],
            peer: torch
              ? `PyTorch nn.${kind} forward+backward, best of 1 and 2 threads (OMP_WAIT_POLICY=PASSIVE)`
              : 'PyTorch (not run)',
            peerSeconds: torch ? torch[index] : null,
            backend: `SimdProvider, ${providers[split].threads} threads (split ${split})`,
            note: [
              `≈ ${gflop.toFixed(2)} GFLOP per step: ${(gflop / seconds[split]).toFixed(1)} GFLOP/s`,
              `other split ${seconds[split === 'rows' ? 'batch' : 'rows'].toFixed(4)} s`,
              `goal ≥ 0.8× PyTorch`,
              torchNotes[index] ?? torchNote,
              ...(tiny ? ['BENCH_TINY'] : []),
            ].join('; '),
          },
          command,
        );
    }
  } finally {
    providers.rows.dispose();
    providers.batch.dispose();
  }
}
