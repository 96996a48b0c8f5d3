import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertInteger, UnavailableError } from '@wordloom/core';
import type { Command } from 'commander';
import { startStaticServer } from '../../server/static-server.js';
import { action } from '../context.js';

interface ServeFlags {
  port: string;
  dir: string;
  host: string;
}

/** The built page (`dist/web`, written by `vite build`), next to the compiled CLI. */
export function webDir(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

/**
 * `wordloom serve`: the web page (embedding projector, BM25 search, sentence completion, digit pad) on
 * http://127.0.0.1:5173/ with the tour's output folder under `/data/`.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the web page (projector, search, completion, digit pad) over the tour output')
    .option('--port <n>', 'TCP port (0 picks a free one)', '5173')
    .option('--dir <folder>', 'the output folder of `wordloom tour`', 'out')
    .option('--host <address>', 'interface to bind (keep 127.0.0.1 unless you mean to share it)', '127.0.0.1')
    .action(
      action(async (ctx, flags: ServeFlags) => {
        const fn = 'wordloom serve';
        const port = assertInteger(Number(flags.port), '--port', fn, 0, 65535);
        const dataDir = resolve(flags.dir);
        if (!existsSync(resolve(dataDir, 'web-data.json')))
          throw new UnavailableError(
            dataDir,
            `'${flags.dir}' holds no tour output (web-data.json is missing): run \`wordloom tour --out ${flags.dir}\` first`,
          );
        const page = webDir();
        if (!existsSync(resolve(page, 'index.html')) || !statSync(page).isDirectory())
          throw new UnavailableError(
            page,
            `the web page is not built (${page}): run \`pnpm --filter @wordloom/demo build\``,
          );
        const server = await startStaticServer({
          mounts: [
            { prefix: '/', dir: page },
            { prefix: '/data/', dir: dataDir },
          ],
          host: flags.host,
          port,
        });
        ctx.print(`serving ${dataDir} on ${server.url} (Ctrl-C stops)`, { url: server.url, dir: dataDir });
        await new Promise<void>((done) => {
          const stop = () => {
            process.removeListener('SIGINT', stop);
            process.removeListener('SIGTERM', stop);
            server.close().then(done, done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}
