import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.unsupported-layers-option');

/**
 * A model cannot be converted between wordloom and tfjs-layers because one option has no counterpart
 * on the other side (e.g. a GRU with `resetAfter: true`, which tfjs-layers 4.22 refuses). `option`
 * names it, `layer` says where it was found.
 */
export class UnsupportedLayersOptionError extends WordloomError {
  readonly [marker] = true;

  constructor(
    /** The option that cannot be represented (`resetAfter`, `mergeMode`, `recurrentActivation`, …). */
    readonly option: string,
    /** The layer or model it belongs to. */
    readonly layer: string,
    /** Why, and what would be accepted. */
    reason: string,
  ) {
    super(`Option '${option}' of ${layer} cannot be converted: ${reason}`);
    this.name = 'UnsupportedLayersOptionError';
  }

  static override isInstance(error: unknown): error is UnsupportedLayersOptionError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
