import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.training-diverged');

/** Training produced a non-finite loss or gradient norm; nothing was applied. */
export class TrainingDivergedError extends WordloomError {
  readonly [marker] = true;

  constructor(what: string, value: number) {
    super(`${what} is ${value}: training diverged (try clipNorm or a lower learning rate)`);
    this.name = 'TrainingDivergedError';
  }

  static override isInstance(error: unknown): error is TrainingDivergedError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
