import { createRequire } from 'node:module';

type CliProgress = typeof import('cli-progress');
let cliProgress: CliProgress | undefined;

/** Bars not yet stopped: {@link stopAllProgress} ends them so no timer keeps the process alive. */
const live = new Set<{ stop(): void }>();

/** Stops every bar still running (main.ts calls it in `finally`, after success or an error). */
export function stopAllProgress(): void {
  for (const bar of [...live]) bar.stop();
}

/** A progress bar for long work; always on stderr so stdout stays machine-readable. */
export interface Progress {
  /** Moves the bar to `value` (absolute), optionally with a status text such as the current loss. */
  update(value: number, status?: string): void;
  /** Completes and removes the bar. */
  stop(): void;
}

/**
 * A `cli-progress` bar on stderr. Off a terminal (CI, pipes) it prints a plain line at most every few
 * seconds instead of redrawing.
 */
export function createProgress(label: string, total: number): Progress {
  // cli-progress is loaded here, not at start-up, so `wordloom --help` stays fast.
  cliProgress ??= createRequire(import.meta.url)('cli-progress') as CliProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {status}`,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { status: '' });
  let stopped = false;
  const progress: Progress = {
    update(value, status = '') {
      if (!stopped) bar.update(value, { status });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      live.delete(progress);
      bar.stop();
    },
  };
  live.add(progress);
  return progress;
}
