import { WordloomError } from './wordloom-error.js';

const marker = Symbol.for('wordloom.error.unavailable');

/** Something optional (a backend, a peer package, a data file) is not installed or cannot run here. */
export class UnavailableError extends WordloomError {
  readonly [marker] = true;
  /** What is missing, e.g. `'@tensorflow/tfjs-node'`. */
  readonly missing: string;

  constructor(missing: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnavailableError';
    this.missing = missing;
  }

  static override isInstance(error: unknown): error is UnavailableError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
