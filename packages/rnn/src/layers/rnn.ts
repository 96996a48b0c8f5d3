import { assertInteger } from '@wordloom/core';
import type { MatmulProvider } from '../bptt/matmul-provider.js';
import { backpropCell, type CellTape, runCell } from '../bptt/run-cell.js';
import type { SequenceInput } from '../bptt/sequence-input.js';
import type { RecurrentCell } from '../cells/cell.js';
import type {
  SequenceBackward,
  SequenceForward,
  SequenceForwardOptions,
  SequenceLayer,
  SequenceUpstream,
} from './sequence-layer.js';

/** Options of {@link Rnn}. */
export interface RnnOptions {
  /**
   * Truncated BPTT: gradients flow back at most within consecutive windows of this many steps
   * (0 = full BPTT). States still flow across windows in the forward pass.
   * @default 0
   */
  truncate?: number;
}

/**
 * One recurrent cell run over a sequence `[batch, time, features]` (the chapter's unrolled RNN,
 * Figure 4-11), with explicit BPTT. Use {@link sequenceApply} / {@link sequenceCall} for tensors.
 */
export class Rnn implements SequenceLayer {
  readonly truncate: number;

  constructor(
    readonly cell: RecurrentCell,
    options: RnnOptions = {},
  ) {
    this.truncate = assertInteger(options.truncate ?? 0, 'truncate', 'Rnn', 0);
  }

  get inputSize(): number {
    return this.cell.inputSize;
  }

  get outputSize(): number {
    return this.cell.units;
  }

  get stateSizes(): number[] {
    return Array.from({ length: this.cell.stateCount }, () => this.cell.units);
  }

  get variables() {
    return this.cell.variables;
  }

  get variableNames(): string[] {
    return this.cell.variableNames;
  }

  forwardRaw(
    p: MatmulProvider,
    input: SequenceInput,
    steps: number,
    batch: number,
    options: SequenceForwardOptions = {},
  ): SequenceForward {
    const run = runCell(p, this.cell, input, steps, batch, options);
    return { outputs: run.outputs, last: run.final[0], final: run.final, tape: run.tape };
  }

  backwardRaw(
    p: MatmulProvider,
    tape: unknown,
    upstream: SequenceUpstream,
    options: { inputGradient?: boolean } = {},
  ): SequenceBackward {
    const dFinal = [...(upstream.dFinal ?? [])];
    if (upstream.dLast) {
      // The last output is the final h: their gradients add.
      const dh = upstream.dLast.slice();
      const extra = dFinal[0];
      if (extra) for (let i = 0; i < dh.length; i++) dh[i] += extra[i];
      dFinal[0] = dh;
    }
    return backpropCell(p, tape as CellTape, upstream.dOutputs ?? null, dFinal, {
      inputGradient: options.inputGradient,
      window: this.truncate,
    });
  }

  dispose(): void {
    this.cell.dispose();
  }
}
