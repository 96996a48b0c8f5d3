import { InvalidArgumentError } from './errors/invalid-argument-error.js';

/** Throws unless `value` is an integer in `[min, max]`; returns it. */
export function assertInteger(
  value: unknown,
  argument: string,
  functionName: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, functionName, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/**
 * Throws unless `value` is a finite number in the given range; returns it.
 * `exclusiveMin` makes the lower bound strict (e.g. a learning rate must be > 0).
 */
export function assertNumber(
  value: unknown,
  argument: string,
  functionName: string,
  {
    min = -Infinity,
    max = Infinity,
    exclusiveMin = false,
  }: { min?: number; max?: number; exclusiveMin?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (exclusiveMin ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const low = exclusiveMin ? `> ${min}` : `>= ${min}`;
    const range = max === Infinity ? low : `${low} and <= ${max}`;
    throw new InvalidArgumentError(argument, functionName, `a finite number ${range}`, value);
  }
  return value;
}

/** Throws unless `value` is a non-empty string; returns it. */
export function assertNonEmptyString(value: unknown, argument: string, functionName: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(argument, functionName, 'a non-empty string', value);
  }
  return value;
}

/** Throws unless `value` is one of `choices`; returns it typed as the union. */
export function assertOneOf<T extends string>(
  value: unknown,
  choices: readonly T[],
  argument: string,
  functionName: string,
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `one of ${choices.map((c) => `'${c}'`).join(', ')}`,
      value,
    );
  }
  return value as T;
}
