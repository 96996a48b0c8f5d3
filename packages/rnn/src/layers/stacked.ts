import { InvalidArgumentError } from '@wordloom/core';
import type { Floats, MatmulProvider } from '../bptt/matmul-provider.js';
import type { SequenceInput } from '../bptt/sequence-input.js';
import type {
  SequenceBackward,
  SequenceForward,
  SequenceForwardOptions,
  SequenceLayer,
  SequenceUpstream,
} from './sequence-layer.js';
import { subSeed } from './sequence-layer.js';

interface StackTape {
  tapes: unknown[];
}

/**
 * Layers run one on top of the other (Listing 4-4's `MultiRNNCell` of two LSTMs): layer l reads the
 * output sequence of layer l−1. States are the layers' states in order; `last` is the top layer's.
 */
export class Stacked implements SequenceLayer {
  constructor(readonly layers: SequenceLayer[]) {
    if (!Array.isArray(layers) || layers.length === 0)
      throw new InvalidArgumentError('layers', 'Stacked', 'a non-empty array of sequence layers', layers);
    for (let l = 1; l < layers.length; l++)
      if (layers[l].inputSize !== layers[l - 1].outputSize)
        throw new InvalidArgumentError(
          `layers[${l}]`,
          'Stacked',
          `a layer with inputSize ${layers[l - 1].outputSize} (the output size of layers[${l - 1}])`,
          layers[l].inputSize,
        );
  }

  get inputSize(): number {
    return this.layers[0].inputSize;
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1].outputSize;
  }

  get stateSizes(): number[] {
    return this.layers.flatMap((l) => l.stateSizes);
  }

  get variables() {
    return this.layers.flatMap((l) => l.variables);
  }

  get variableNames(): string[] {
    return this.layers.flatMap((l, i) => l.variableNames.map((n) => `layer${i}/${n}`));
  }

  forwardRaw(
    p: MatmulProvider,
    input: SequenceInput,
    steps: number,
    batch: number,
    options: SequenceForwardOptions = {},
  ): SequenceForward {
    const tapes: unknown[] = [];
    const final: Floats[] = [];
    let x = input;
    let run: SequenceForward | null = null;
    let offset = 0;
    for (const [l, layer] of this.layers.entries()) {
      const n = layer.stateSizes.length;
      run = layer.forwardRaw(p, x, steps, batch, {
        ...options,
        initialState: options.initialState?.slice(offset, offset + n) ?? null,
        training: options.training ? { seed: subSeed(options.training.seed, l) } : null,
      });
      offset += n;
      tapes.push(run.tape);
      final.push(...run.final);
      x = { kind: 'dense', data: run.outputs, features: layer.outputSize };
    }
    const top = run as SequenceForward;
    return {
      outputs: top.outputs,
      last: top.last,
      final,
      tape: options.keep ? ({ tapes } satisfies StackTape) : null,
    };
  }

  backwardRaw(
    p: MatmulProvider,
    tape: unknown,
    upstream: SequenceUpstream,
    options: { inputGradient?: boolean } = {},
  ): SequenceBackward {
    const { tapes } = tape as StackTape;
    const grads: Floats[][] = [];
    const dInitial: Floats[][] = [];
    const offsets: number[] = [];
    let offset = 0;
    for (const layer of this.layers) {
      offsets.push(offset);
      offset += layer.stateSizes.length;
    }
    let dOutputs = upstream.dOutputs ?? null;
    let dLast = upstream.dLast ?? null;
    let dInput: Floats | null = null;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const g = layer.backwardRaw(
        p,
        tapes[l],
        { dOutputs, dLast, dFinal: upstream.dFinal?.slice(offsets[l], offsets[l] + layer.stateSizes.length) },
        { inputGradient: l > 0 || options.inputGradient },
      );
      grads[l] = g.grads;
      dInitial[l] = g.dInitial;
      dOutputs = g.dInput;
      dLast = null;
      dInput = g.dInput;
    }
    return { dInput: options.inputGradient ? dInput : null, dInitial: dInitial.flat(), grads: grads.flat() };
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
