import { WordloomError } from './wordloom-error.js';

const marker = Symbol.for('wordloom.error.invalid-argument');

/** An argument failed validation: names the argument, the function and what was expected. */
export class InvalidArgumentError extends WordloomError {
  readonly [marker] = true;
  /** Name of the offending argument, e.g. `'topN'`. */
  readonly argument: string;
  /** Function or command that received it. */
  readonly functionName: string;

  constructor(argument: string, functionName: string, expected: string, ...got: [unknown?]) {
    // `got` is a rest parameter so that an explicit `undefined` is still reported as received.
    super(
      `Argument '${argument}' passed to '${functionName}' must be ${expected}` +
        (got.length > 0 ? `, got ${describe(got[0])}` : ''),
    );
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.functionName = functionName;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a ${typeof value}`;
}
