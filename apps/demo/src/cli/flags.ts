import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.flag');

/**
 * A command-line flag (or a file named by one) is unusable. The message starts with the flag, says what
 * was wrong and what is accepted; `argument` is the flag, e.g. `'--top'`, for `--json` error output.
 */
export class FlagError extends WordloomError {
  readonly [marker] = true;
  /** The flag, e.g. `'--top'`. */
  readonly argument: string;

  constructor(flag: string, problem: string, options?: { cause?: unknown }) {
    super(`${flag}: ${problem}`, options);
    this.name = 'FlagError';
    this.argument = flag;
  }

  static override isInstance(error: unknown): error is FlagError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Bounds of a numeric flag. */
export interface FlagRange {
  /** Smallest accepted value. @default -Infinity (integers: Number.MIN_SAFE_INTEGER) */
  min?: number;
  /** Largest accepted value. @default Infinity (integers: Number.MAX_SAFE_INTEGER) */
  max?: number;
  /** The lower bound itself is refused (a learning rate must be > 0). @default false */
  exclusiveMin?: boolean;
}

const DECIMAL_INTEGER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function quote(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 37)}...` : raw);
}

function rangeText(kind: string, { min, max, exclusiveMin }: FlagRange): string {
  const low = min === undefined || min === -Infinity ? '' : exclusiveMin ? `> ${min}` : `>= ${min}`;
  const high = max === undefined || max === Infinity ? '' : `<= ${max}`;
  return [kind, [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

/**
 * Parses an integer flag written in decimal (`0x10`, `1e3`, `''` and `12abc` are refused, unlike
 * `Number()`), within `range`. Returns `undefined` for an absent flag.
 */
export function integerFlag(
  raw: string | undefined,
  flag: string,
  range: FlagRange = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const expected = rangeText('an integer', range);
  if (!DECIMAL_INTEGER.test(text)) {
    const problem = DECIMAL_NUMBER.test(text)
      ? `not an integer: ${quote(raw)}`
      : `not a number: ${quote(raw)}`;
    throw new FlagError(flag, `${problem} (expected ${expected})`);
  }
  const value = Number(text);
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < min || value > max || (range.exclusiveMin && value === min))
    throw new FlagError(flag, `${text} is out of range (expected ${expected})`);
  return value;
}

/** {@link integerFlag} for a flag that always has a value (a default in commander). */
export function requiredIntegerFlag(raw: string | undefined, flag: string, range: FlagRange = {}): number {
  const value = integerFlag(raw, flag, range);
  if (value === undefined) throw new FlagError(flag, `missing (expected ${rangeText('an integer', range)})`);
  return value;
}

/** Parses a finite decimal number flag (`1e-3` is fine; `NaN`, `Infinity`, `0x1` and `''` are not). */
export function numberFlag(raw: string | undefined, flag: string, range: FlagRange = {}): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const expected = rangeText('a number', range);
  if (!DECIMAL_NUMBER.test(text))
    throw new FlagError(flag, `not a number: ${quote(raw)} (expected ${expected})`);
  const value = Number(text);
  const min = range.min ?? -Infinity;
  const max = range.max ?? Infinity;
  const low = range.exclusiveMin ? value > min : value >= min;
  if (!Number.isFinite(value) || !low || value > max)
    throw new FlagError(flag, `${text} is out of range (expected ${expected})`);
  return value;
}

/** {@link numberFlag} for a flag that always has a value. */
export function requiredNumberFlag(raw: string | undefined, flag: string, range: FlagRange = {}): number {
  const value = numberFlag(raw, flag, range);
  if (value === undefined) throw new FlagError(flag, `missing (expected ${rangeText('a number', range)})`);
  return value;
}

/** Checks that `raw` is one of `choices`; returns it typed as the union. */
export function choiceFlag<T extends string>(raw: string, flag: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw))
    throw new FlagError(flag, `unknown value ${quote(raw)} (expected one of ${choices.join(', ')})`);
  return raw as T;
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'not writable';
  if (code === 'ENOTDIR') return 'a path component is not a directory';
  return code ?? String(error);
}

/**
 * Checks BEFORE any work that `path` can be written as a file: its folder exists and is writable, and
 * the path is not a folder. Returns the absolute path. Errors name the flag.
 */
export async function outputFileFlag(path: string, flag: string): Promise<string> {
  const absolute = resolve(path);
  const existing = await stat(absolute).catch(() => undefined);
  if (existing?.isDirectory()) throw new FlagError(flag, `${path} is a directory (expected a file path)`);
  const folder = dirname(absolute);
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    await access(folder, constants.W_OK);
    if (existing) await access(absolute, constants.W_OK);
  } catch (error) {
    throw new FlagError(flag, `cannot write ${path}: folder ${folder}: ${errnoText(error)}`, {
      cause: error,
    });
  }
  return absolute;
}

/**
 * `mkdir -p` one level at a time: Node's `mkdir(path, {recursive: true})` spins forever on some
 * pseudo file systems (a path under `/proc` loops at 100% CPU), so each missing folder is made on its own
 * and the first failure is reported.
 */
async function makeFolders(absolute: string): Promise<void> {
  const missing: string[] = [];
  let at = absolute;
  while ((await stat(at).catch(() => undefined)) === undefined) {
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) await mkdir(folder);
}

/**
 * Checks BEFORE any work that `path` can hold output files: creates it (and its parents) if missing and
 * checks it is a writable folder. Returns the absolute path. Errors name the flag.
 */
export async function outputDirFlag(path: string, flag: string): Promise<string> {
  const absolute = resolve(path);
  try {
    await makeFolders(absolute);
    const info = await stat(absolute);
    if (!info.isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    await access(absolute, constants.W_OK);
  } catch (error) {
    throw new FlagError(flag, `cannot write into ${path}: ${errnoText(error)}`, { cause: error });
  }
  return absolute;
}

/**
 * A training run's error as the user can act on it: a `TrainingDivergedError` (a non-finite loss or
 * gradient norm; pass `@wordloom/rnn`'s class as `diverged`) becomes a {@link FlagError} of `--lr`, the
 * flag to change, quoting the rate `lr` that diverged; any other error is returned unchanged.
 */
export function divergedAsLrError(
  error: unknown,
  lr: string | number,
  diverged: { isInstance(error: unknown): boolean },
): unknown {
  if (!diverged.isInstance(error)) return error;
  // The library's own hint, "(try clipNorm or a lower learning rate)", names an option the CLI lacks.
  const what = (error as Error).message.replace(/ \(try .*\)$/, '');
  return new FlagError('--lr', `${lr}: ${what}; try a lower --lr`, { cause: error });
}
