/**
 * Ctrl-C for long work: the first SIGINT (or SIGTERM) aborts the returned signal so the work stops at
 * its next safe point (after the current batch), saves what it can and exits; a second one exits at once
 * with status 130, as shells expect.
 */
export interface Interrupt {
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Removes the handlers (call in `finally`); Ctrl-C then kills the process as usual. */
  dispose(): void;
}

/** Installs the Ctrl-C handlers; `notice` is printed (on stderr) when the first one arrives. */
export function onInterrupt(
  notice = 'stopping after the current step (Ctrl-C again to quit at once)',
): Interrupt {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write('\nwordloom: interrupted\n');
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
    process.stderr.write(`\nwordloom: ${notice}\n`);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
