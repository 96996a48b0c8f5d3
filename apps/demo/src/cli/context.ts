import type { BackendInfo } from '@wordloom/backend';
import type { Command } from 'commander';
import { requiredIntegerFlag } from './flags.js';
import { onInterrupt } from './interrupt.js';
import { createProgress, type Progress } from './progress.js';

/** Global flags every command understands. */
export interface GlobalOptions {
  backend?: string;
  seed: number;
  json: boolean;
  verbose: boolean;
}

/** What a command's action receives: parsed global flags and the ways to talk to the user. */
export interface CliContext extends GlobalOptions {
  /** Selects the backend (from `--backend`, `WORDLOOM_BACKEND`, or automatically) and reports it. */
  useBackend(): Promise<BackendInfo>;
  /**
   * Prints the command's result: `json` as one JSON document on stdout under `--json`, otherwise
   * `human` (a string or lines).
   */
  print(human: string | string[], json: unknown): void;
  /** A progress bar on stderr (silent under `--json` when stderr is not a terminal). */
  progress(label: string, total: number): Progress;
  /** A line of progress on stderr, never on stdout. */
  log(message: string): void;
  /**
   * Aborted on the first Ctrl-C (installs the handlers on first use; they are removed when the command
   * ends). Pass it to `fit`/training so long work stops after the current step and saves what it can.
   */
  readonly signal: AbortSignal;
}

export function createContext(command: Command): CliContext {
  const opts = command.optsWithGlobals() as Record<string, unknown>;
  const seed = requiredIntegerFlag(opts.seed === undefined ? '1' : String(opts.seed), '--seed', {
    min: 0,
    max: 2 ** 32 - 1,
  });
  const json = opts.json === true;
  let backendInfo: BackendInfo | undefined;
  let interrupt: ReturnType<typeof onInterrupt> | undefined;
  disposeInterrupt = () => interrupt?.dispose();
  return {
    get signal() {
      interrupt ??= onInterrupt();
      return interrupt.signal;
    },
    backend: opts.backend as string | undefined,
    seed,
    json,
    verbose: opts.verbose === true,
    async useBackend() {
      // Loaded on first use so that `--help` and commands without tensors start fast.
      const { selectBackend } = await import('@wordloom/backend');
      backendInfo ??= await selectBackend({ backend: opts.backend as string | undefined });
      return backendInfo;
    },
    print(human, value) {
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
      else process.stdout.write(`${Array.isArray(human) ? human.join('\n') : human}\n`);
    },
    progress(label, total) {
      return createProgress(label, total);
    },
    log(message) {
      process.stderr.write(`${message}\n`);
    },
  };
}

let disposeInterrupt: () => void = () => {};

/** Wraps a command action so it receives a {@link CliContext}; Ctrl-C handlers end with the action. */
export function action<A extends unknown[]>(
  run: (context: CliContext, ...args: A) => Promise<void> | void,
): (...args: [...A, Command]) => Promise<void> {
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    try {
      await run(createContext(command), ...(args.slice(0, -1) as A));
    } finally {
      disposeInterrupt();
    }
  };
}
