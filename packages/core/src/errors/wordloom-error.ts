const marker = Symbol.for('wordloom.error');

/**
 * Base class of every error wordloom throws.
 *
 * Use {@link WordloomError.isInstance} rather than `instanceof`: it also recognises errors thrown by a
 * second copy of a wordloom package (two versions installed side by side), where `instanceof` fails.
 */
export class WordloomError extends Error {
  readonly [marker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WordloomError';
  }

  /** True when `error` is a wordloom error from any copy of the package. */
  static isInstance(error: unknown): error is WordloomError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
