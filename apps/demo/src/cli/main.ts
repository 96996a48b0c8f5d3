#!/usr/bin/env node
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

const program = createProgram();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed help or its message.
    process.exitCode = error.exitCode;
  } else {
    // One line for the user; the stack only with --verbose.
    const verbose = process.argv.includes('--verbose');
    process.stderr.write(`wordloom: ${error instanceof Error ? error.message : String(error)}\n`);
    if (verbose && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = 1;
  }
}
