import cliProgress from 'cli-progress';

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
  return {
    update(value, status = '') {
      bar.update(value, { status });
    },
    stop() {
      bar.stop();
    },
  };
}
