/** A progress bar the tour drives. */
export interface TourProgress {
  update(value: number, status?: string): void;
  stop(): void;
}

/** Where the tour reports progress (the CLI passes its stderr bar and log). */
export interface TourReporter {
  /** One line of progress. */
  log(message: string): void;
  /** A progress bar for `total` steps. */
  progress(label: string, total: number): TourProgress;
}

/** A reporter that says nothing (tests, the web fixture). */
export const SILENT_REPORTER: TourReporter = {
  log() {},
  progress: () => ({ update() {}, stop() {} }),
};
