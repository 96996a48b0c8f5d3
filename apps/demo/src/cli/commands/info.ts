import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { action } from '../context.js';

// Not named `require`: the CLI bundle defines that one at its top (apps/demo/scripts/bundle-cli.mjs).
const requireHere = createRequire(import.meta.url);

const PACKAGES = [
  '@wordloom/core',
  '@wordloom/backend',
  '@wordloom/datasets',
  '@wordloom/text-vsm',
  '@wordloom/embeddings',
  '@wordloom/rnn',
  '@wordloom/viz',
] as const;

/** `wordloom info`: versions of wordloom, tfjs and Node, and the backend that runs. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print the versions of wordloom, TensorFlow.js and Node, and the backend in use')
    .action(
      action(async (ctx) => {
        const backend = await ctx.useBackend();
        const tf = await import('@tensorflow/tfjs-core');
        const versions: Record<string, string> = {};
        for (const name of PACKAGES) versions[name] = requireHere(`${name}/package.json`).version;
        const info = {
          wordloom: versions,
          tfjsCore: tf.version_core,
          node: process.versions.node,
          platform: `${process.platform}-${process.arch}`,
          backend,
        };
        ctx.print(
          [
            `wordloom packages: ${Object.entries(versions)
              .map(([k, v]) => `${k.replace('@wordloom/', '')} ${v}`)
              .join(', ')}`,
            `@tensorflow/tfjs-core ${info.tfjsCore} on Node ${info.node} (${info.platform})`,
            `backend: ${backend.name} (threads ${backend.threads}, simd ${backend.simd}, chosen by ${backend.source})`,
          ],
          info,
        );
      }),
    );
}
