import type * as tf from '@tensorflow/tfjs-core';
import { Random } from '@wordloom/core';
import { Float64Provider, type Floats } from '../bptt/matmul-provider.js';
import type { SequenceInput } from '../bptt/sequence-input.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';

/** A fixed random linear loss on every output, the last output and the final states. */
interface Probe {
  outputs: Float64Array;
  last: Float64Array;
  final: Float64Array[];
}

function dot(a: Floats, b: Floats): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Checks a layer's explicit BPTT against central differences in float64: returns the worst relative
 * error over sampled weight entries of every variable and sampled input entries.
 */
export function gradientCheck(
  layer: SequenceLayer,
  options: {
    steps: number;
    batch: number;
    mask?: Uint8Array;
    ids?: boolean;
    samples?: number;
    seed?: number;
    /** Dropout masks fixed by this seed in every pass. */
    training?: { seed: number };
  },
): { worst: number; checked: number } {
  const { steps: T, batch: B } = options;
  const random = new Random(options.seed ?? 7);
  const D = layer.inputSize;
  const overrides = new Map<tf.Variable, Float64Array>();
  for (const v of layer.variables)
    overrides.set(
      v,
      Float64Array.from(v.dataSync() as Float32Array, (x) => x + 0.1 * random.normal()),
    );
  const p = new Float64Provider(overrides);
  const dense = Float64Array.from({ length: T * B * D }, () => random.normal());
  const ids = Int32Array.from({ length: T * B }, () => random.int(D));
  const input = (data: Float64Array): SequenceInput =>
    options.ids ? { kind: 'ids', ids, vocab: D } : { kind: 'dense', data, features: D };
  const init = layer.stateSizes.map((s) => Float64Array.from({ length: B * s }, () => 0.5 * random.normal()));
  const probe: Probe = {
    outputs: Float64Array.from({ length: T * B * layer.outputSize }, () => random.normal()),
    last: Float64Array.from({ length: B * layer.outputSize }, () => random.normal()),
    final: layer.stateSizes.map((s) => Float64Array.from({ length: B * s }, () => random.normal())),
  };
  const loss = (data: Float64Array) => {
    const run = layer.forwardRaw(p, input(data), T, B, {
      mask: options.mask,
      initialState: init,
      training: options.training,
    });
    return (
      dot(run.outputs, probe.outputs) +
      dot(run.last, probe.last) +
      run.final.reduce((s, f, i) => s + dot(f, probe.final[i]), 0)
    );
  };
  const run = layer.forwardRaw(p, input(dense), T, B, {
    mask: options.mask,
    initialState: init,
    keep: true,
    training: options.training,
  });
  const g = layer.backwardRaw(
    p,
    run.tape,
    { dOutputs: probe.outputs, dLast: probe.last, dFinal: probe.final },
    { inputGradient: true },
  );
  const eps = 1e-6;
  let worst = 0;
  let checked = 0;
  const compare = (analytic: number, plus: number, minus: number) => {
    const numeric = (plus - minus) / (2 * eps);
    const err = Math.abs(analytic - numeric) / Math.max(1e-4, Math.abs(analytic) + Math.abs(numeric));
    worst = Math.max(worst, err);
    checked++;
  };
  const samples = options.samples ?? 6;
  layer.variables.forEach((v, vi) => {
    const w = overrides.get(v) as Float64Array;
    for (let s = 0; s < samples; s++) {
      const i = random.int(w.length);
      const keep = w[i];
      w[i] = keep + eps;
      const plus = loss(dense);
      w[i] = keep - eps;
      const minus = loss(dense);
      w[i] = keep;
      compare(g.grads[vi][i], plus, minus);
    }
  });
  if (!options.ids) {
    for (let s = 0; s < samples; s++) {
      const i = random.int(dense.length);
      const keep = dense[i];
      dense[i] = keep + eps;
      const plus = loss(dense);
      dense[i] = keep - eps;
      const minus = loss(dense);
      dense[i] = keep;
      compare((g.dInput as Floats)[i], plus, minus);
    }
  }
  // Initial states.
  init.forEach((s, si) => {
    const i = random.int(s.length);
    const keep = s[i];
    s[i] = keep + eps;
    const plus = loss(dense);
    s[i] = keep - eps;
    const minus = loss(dense);
    s[i] = keep;
    compare(g.dInitial[si][i], plus, minus);
  });
  return { worst, checked };
}
