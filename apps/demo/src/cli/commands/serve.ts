import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnavailableError } from '@wordloom/core';
import type { Command } from 'commander';
import { action } from '../context.js';
import { FlagError, requiredIntegerFlag } from '../flags.js';

interface ServeFlags {
  port: string;
  dir: string;
  host: string;
  allowedHost: string[];
}

/**
 * The built page (`dist/web`, written by `vite build`) of this package. Found from the package root, the
 * nearest folder above this code with a package.json: the code runs from the CLI bundle
 * (`dist/cli/main.js`) as well as from its own module.
 */
export function webDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web') + sep;
}

/**
 * `wordloom serve`: the web page (embedding projector, BM25 search, sentence completion, digit pad) on
 * http://127.0.0.1:5173/ with the tour's output folder under `/data/`. Requests whose `Host` is not a
 * localhost name, an IP address or an `--allowed-host` get 403 (DNS rebinding, as Vite's
 * `server.allowedHosts`); binding to a non-loopback address (`--host 0.0.0.0`) prints a warning.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the web page (projector, search, completion, digit pad) over the tour output')
    .option('--port <n>', 'TCP port (0 picks a free one)', '5173')
    .option('--dir <folder>', 'the output folder of `wordloom tour`', 'out')
    .option('--host <address>', 'interface to bind (keep 127.0.0.1 unless you mean to share it)', '127.0.0.1')
    .option(
      '--allowed-host <name>',
      'also answer requests for this Host name (repeatable; .example.com covers its subdomains); ' +
        'localhost names and IP addresses are always answered, any other name gets 403',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .action(
      action(async (ctx, flags: ServeFlags) => {
        const port = requiredIntegerFlag(flags.port, '--port', { min: 0, max: 65535 });
        const allowedHosts = flags.allowedHost.map((name) => {
          if (!/^\.?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(name))
            throw new FlagError(
              '--allowed-host',
              `not a host name: ${JSON.stringify(name.slice(0, 60))} (expected e.g. example.com or .example.com)`,
            );
          return name;
        });
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
        // Loaded here: node:http and the server are not needed to start the CLI or for --help.
        const { isLoopback, startStaticServer } = await import('../../server/static-server.js');
        const server = await startStaticServer({
          mounts: [
            { prefix: '/', dir: page },
            { prefix: '/data/', dir: dataDir },
          ],
          host: flags.host,
          port,
          allowedHosts,
        });
        if (!isLoopback(server.host))
          ctx.log(
            `wordloom: warning: serving on ${server.host}, reachable from other machines: anyone on the network can read ${dataDir}`,
          );
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
