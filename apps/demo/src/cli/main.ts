#!/usr/bin/env node
import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { stopAllProgress } from './progress.js';
import { errorReport, sanitizeForTerminal } from './report-error.js';

const program = createProgram();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed help or its message.
    process.exitCode = error.exitCode;
  } else {
    stopAllProgress();
    // One line for the user; the stack only with --verbose; one JSON object on stdout under --json.
    const report = errorReport(error);
    process.stderr.write(`wordloom: ${sanitizeForTerminal(report.message)}\n`);
    if (process.argv.includes('--verbose') && error instanceof Error && error.stack)
      process.stderr.write(`${sanitizeForTerminal(error.stack)}\n`);
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: report })}\n`);
    process.exitCode = 1;
    // A timer or worker left running by the failed work must not keep the process (and a CI job) alive.
    setTimeout(() => process.exit(1), 1000).unref();
  }
} finally {
  stopAllProgress();
}
