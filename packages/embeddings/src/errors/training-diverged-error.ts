import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.training-diverged');

/**
 * Training produced a non-finite loss (or non-finite weights): it stopped there instead of returning
 * NaN vectors. `trainer` names the trainer, `epoch` is the 1-based epoch it happened in.
 */
export class TrainingDivergedError extends WordloomError {
  readonly [marker] = true;
  /** The trainer, e.g. `'trainGlove'`. */
  readonly trainer: string;
  /** 1-based epoch in which the first non-finite value appeared. */
  readonly epoch: number;

  constructor(trainer: string, epoch: number, what: string, advice = 'try a lower learning rate') {
    super(`${trainer}: ${what} in epoch ${epoch}: training diverged (${advice})`);
    this.name = 'TrainingDivergedError';
    this.trainer = trainer;
    this.epoch = epoch;
  }

  static override isInstance(error: unknown): error is TrainingDivergedError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
