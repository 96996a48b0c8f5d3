import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const saver = fileURLToPath(new URL('./saver.mjs', import.meta.url));

/** A seeded generator (mulberry32): the same seed, the same kill schedule. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A running saver child: `saved` is the last k it reported complete. */
export interface Saver {
  child: ChildProcess;
  ready: Promise<void>;
  /** Resolves with the milliseconds from ready to the first completed save. */
  firstSave: Promise<number>;
  saved: number;
  locked: number;
  /** Starts the saves at generation `k` (after `ready`). */
  go(k: number): void;
  exited: Promise<void>;
  stderr: string;
}

/** Starts `node saver.mjs kind dir step`; it saves once told {@link Saver.go}. */
export function startSaver(kind: string, dir: string, step = 1): Saver {
  const child = spawn(process.execPath, [saver, kind, dir, String(step)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let readyAt = 0; // when `go` was sent
  const s: Saver = {
    child,
    saved: Number.NaN,
    locked: 0,
    stderr: '',
    ready: Promise.resolve(),
    go(k) {
      readyAt = performance.now();
      child.stdin?.write(`go ${k}\n`);
    },
    firstSave: Promise.resolve(0),
    // 'close', not 'exit': by then the child's stdout is drained, so `saved` is final.
    exited: new Promise((r) => child.once('close', () => r())),
  };
  let onFirstSave: (ms: number) => void = () => {};
  s.firstSave = new Promise((r) => {
    onFirstSave = r;
  });
  s.ready = new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve();
        else if (line.startsWith('saved ')) {
          if (Number.isNaN(s.saved)) onFirstSave(performance.now() - readyAt);
          s.saved = Number(line.slice(6));
        } else if (line.startsWith('locked ')) s.locked++;
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      s.stderr += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`saver exited (${code ?? signal}): ${s.stderr}`));
    });
  });
  running.add(s);
  s.exited.then(() => running.delete(s));
  return s;
}

const running = new Set<Saver>();

/** Kills every saver still running (for afterAll: a failed test must not leave writers behind). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map(kill));
}

/** SIGKILLs a saver and waits for it to be gone. */
export async function kill(s: Saver): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

/**
 * True when a kill left evidence of an interrupted save: a temp of ours, or files of a generation newer
 * than the one the manifest names (written before the switch that never came).
 */
export function interrupted(dir: string): boolean {
  const names = readdirSync(dir);
  if (names.some((n) => n.endsWith('.tmp'))) return true;
  const pointer = names.find((n) => n === 'checkpoint.json' || n === 'model.json');
  if (!pointer) return false;
  const current = JSON.parse(readFileSync(join(dir, pointer), 'utf8')).wordloomGeneration?.generation ?? 0;
  return names.some((n) => Number(/^[a-z]+\.(\d{6,})\./.exec(n)?.[1] ?? 0) > current);
}
