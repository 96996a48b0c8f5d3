import { Command } from 'commander';
import { registrars } from './commands/index.js';

/** Builds the `wordloom` command line with its global flags and every sub-command. */
export function createProgram(): Command {
  const program = new Command('wordloom')
    .description('NLP with recurrent neural networks on TensorFlow.js: vectors, embeddings, RNNs, t-SNE')
    // selectBackend itself reads WORDLOOM_BACKEND, so it can report whether the flag or the env chose.
    .option(
      '--backend <name>',
      'tfjs backend: tensorflow, wasm or cpu (default: $WORDLOOM_BACKEND, else fastest)',
    )
    .option('--seed <n>', 'seed for every random choice', '1')
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)', false)
    .option('--verbose', 'print stack traces of errors', false)
    .showHelpAfterError('(run with --help for usage)')
    // Throw instead of exiting so main.ts owns the exit code; inherited by sub-commands added below.
    .exitOverride();
  for (const register of registrars) register(program);
  return program;
}
