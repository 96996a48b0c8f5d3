import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** `wordloom serve --port 0 --dir <dir>` from the built CLI; resolves with its URL once it listens. */
export function startServe(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WORDLOOM_BACKEND: undefined },
  });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`wordloom serve did not start: ${out}${err}`)), 20_000);
    child.stderr?.on('data', (chunk) => (err += chunk));
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) {
        clearTimeout(timer);
        ok({ url: match[1], process: child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`wordloom serve exited with ${code}: ${out}${err}`));
    });
  });
}
