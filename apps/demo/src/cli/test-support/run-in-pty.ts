import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/cli/main.js');

/** Options of {@link runInPty}. */
export interface PtyOptions {
  /** Type Ctrl-C (0x03) on the terminal as soon as the output matches this. @default never */
  interruptOn?: RegExp;
  /** Record when the output first matches this (e.g. an error line). @default none */
  watch?: RegExp;
  /** Environment additions (`undefined` removes a variable). @default {} */
  env?: Record<string, string | undefined>;
  /** The process is killed (SIGKILL) after this long; `timedOut` is then true. @default 60000 */
  timeoutMs?: number;
}

/** What {@link runInPty} saw. */
export interface PtyRun {
  /** Exit status, or null when killed by a signal. */
  code: number | null;
  signal: number | null;
  /** Everything written to the terminal (stdout and stderr interleaved, as a user sees them). */
  output: string;
  /** Seconds from the start to when Ctrl-C was typed (null if never). */
  interruptedAt: number | null;
  /** Seconds from the start to the first match of `watch` (null if none). */
  watchedAt: number | null;
  /** Seconds from the start to the exit. */
  exitedAt: number;
  timedOut: boolean;
}

// pty.fork gives the child a new session whose controlling terminal is the pty, so 0x03 typed on the
// master makes the line discipline send SIGINT to it — exactly what a user's Ctrl-C does.
const SCRIPT = `
import json, os, pty, re, select, sys, time
cfg = json.loads(sys.argv[1])
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.execve(cfg["argv"][0], cfg["argv"], cfg["env"])
interrupt = re.compile(cfg["interruptOn"]) if cfg["interruptOn"] else None
watch = re.compile(cfg["watch"]) if cfg["watch"] else None
out = b""
interrupted_at = watched_at = None
status = None
timed_out = False
while True:
    now = time.monotonic()
    if now - start > cfg["timeout"]:
        os.kill(pid, 9)
        timed_out = True
    ready, _, _ = select.select([fd], [], [], 0.02)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        out += data
        text = out.decode("utf-8", "replace")
        if interrupt and interrupted_at is None and interrupt.search(text):
            os.write(fd, b"\\x03")
            interrupted_at = time.monotonic() - start
        if watch and watched_at is None and watch.search(text):
            watched_at = time.monotonic() - start
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == pid:
        exited_at = time.monotonic() - start
        break
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
text = out.decode("utf-8", "replace")
if watch and watched_at is None and watch.search(text):
    watched_at = exited_at
print(json.dumps({
    "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
    "output": text,
    "interruptedAt": interrupted_at,
    "watchedAt": watched_at,
    "exitedAt": exited_at,
    "timedOut": timed_out,
}))
`;

/**
 * Runs the built `wordloom` CLI on a pseudo-terminal (Python's `pty` module through /usr/bin/python3),
 * as a user at a terminal would, optionally typing Ctrl-C when the output shows a pattern.
 */
export function runInPty(args: string[], options: PtyOptions = {}): PtyRun {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, WORDLOOM_BACKEND: undefined, ...options.env }))
    if (v !== undefined) env[k] = v;
  env.TERM ??= 'xterm';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const config = {
    argv: [process.execPath, main, ...args],
    env,
    interruptOn: options.interruptOn?.source ?? null,
    watch: options.watch?.source ?? null,
    timeout: timeoutMs / 1000,
  };
  const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT, JSON.stringify(config)], {
    encoding: 'utf8',
    timeout: timeoutMs + 10_000,
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0)
    throw new Error(`the pty runner failed (${result.status}): ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as PtyRun;
}
