import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptArtifactError } from '../errors/corrupt-artifact-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { UnavailableError } from '../errors/unavailable-error.js';
import { syncDirectory, writeFileAtomic } from './atomic-write.js';
import { acquireLock } from './lock.js';

/** One data file of a generation, as its manifest records it. */
export interface GenerationFile {
  /** File name inside the artifact's folder. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of the contents, lower-case hex. */
  sha256: string;
}

/** The field a generation's manifest carries beside the caller's own fields. */
export const GENERATION_FIELD = 'wordloomGeneration';

/** Options of {@link writeGeneration}. */
export interface WriteGenerationOptions {
  /** Generations kept after the switch, the new one included (older ones are deleted). @default 2 */
  keep?: number;
  /** Files of an older single-generation layout to delete once the new manifest is in place. @default [] */
  legacyFiles?: readonly string[];
}

/** What {@link writeGeneration} wrote. */
export interface WrittenGeneration {
  generation: number;
  files: Record<string, GenerationFile>;
}

/** Options of {@link readGeneration}. */
export interface ReadGenerationOptions {
  /** Read this kept generation instead of the current one. @default the current one */
  generation?: number;
  /** Largest data file read, in bytes; larger ones throw before any allocation. @default 2 ** 31 */
  maxBytes?: number;
}

/** What the `use` callback of {@link readGeneration} receives. */
export interface GenerationReader {
  /** Generation number, or null for a manifest of an older layout without one. */
  generation: number | null;
  /** The manifest without its generation field. */
  body: Record<string, unknown>;
  /** The manifest's data files by role (empty for an older layout). */
  files: Record<string, GenerationFile>;
  /** The manifest file read. */
  manifestPath: string;
  /** Reads one data file, checking its size (before reading) and its SHA-256. */
  read(role: string): Promise<Uint8Array>;
}

const ROLE = /^[a-z][a-z0-9-]{0,31}$/;

function stemOf(pointer: string): string {
  return pointer.endsWith('.json') ? pointer.slice(0, -5) : pointer;
}

function pad(generation: number): string {
  return String(generation).padStart(6, '0');
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patterns(stem: string) {
  const s = escapeRegExp(stem);
  return {
    manifest: new RegExp(`^${s}\\.(\\d{6,})\\.json$`),
    data: new RegExp(`^${s}\\.(\\d{6,})\\.([a-z][a-z0-9-]{0,31})\\.([0-9a-f]{8})\\.bin$`),
  };
}

/**
 * Writes one generation of a multi-file artifact (TensorFlow's `CheckpointManager`, Lucene's
 * `segments_N`): under a writer lock (`.<stem>.lock`, see {@link acquireLock}), every data file goes to
 * a new name `<stem>.<generation>.<role>.<random>.bin` (atomically, fsynced), then the manifest — the
 * caller's JSON plus {@link GENERATION_FIELD} with each file's size and SHA-256 and the SHA-256 of the
 * manifest itself — is written as `<stem>.<generation>.json` and, last, over `pointer`: that rename is
 * the switch. A kill at any moment leaves the previous pointer naming complete previous files. After
 * the switch, generations beyond `keep` and files no kept manifest names (a killed writer's) are
 * deleted, and the folder is fsynced.
 *
 * @param pointer the manifest's stable name, e.g. `'checkpoint.json'`.
 * @param body builds the caller's manifest from the data files' names by role.
 */
export async function writeGeneration(
  dir: string,
  pointer: string,
  files: Record<string, Uint8Array>,
  body: (names: Record<string, string>) => Record<string, unknown>,
  options: WriteGenerationOptions = {},
): Promise<WrittenGeneration> {
  const fn = 'writeGeneration';
  const known = new Set(['keep', 'legacyFiles']);
  for (const k of Object.keys(options))
    if (!known.has(k)) throw new InvalidArgumentError(k, fn, `one of the options ${[...known].join(', ')}`);
  const keep = options.keep ?? 2;
  if (!Number.isSafeInteger(keep) || keep < 1)
    throw new InvalidArgumentError('keep', fn, 'an integer >= 1', keep);
  for (const role of Object.keys(files))
    if (!ROLE.test(role)) throw new InvalidArgumentError('files', fn, 'roles of lower-case letters', role);
  const stem = stemOf(pointer);
  const { manifest: manifestName, data: dataName } = patterns(stem);
  await mkdir(dir, { recursive: true });
  const release = await acquireLock(join(dir, `.${stem}.lock`));
  try {
    // Never reuse a number, even one a killed writer got halfway through.
    let last = 0;
    for (const name of await readdir(dir)) {
      const m = manifestName.exec(name) ?? dataName.exec(name);
      if (m) last = Math.max(last, Number(m[1]));
    }
    const generation = last + 1;
    const recorded: Record<string, GenerationFile> = {};
    const names: Record<string, string> = {};
    for (const [role, bytes] of Object.entries(files)) {
      const name = `${stem}.${pad(generation)}.${role}.${randomBytes(4).toString('hex')}.bin`;
      await writeFileAtomic(join(dir, name), (append) => append(bytes));
      names[role] = name;
      recorded[role] = { path: name, bytes: bytes.byteLength, sha256: sha256(bytes) };
    }
    const unsigned = { ...body(names), [GENERATION_FIELD]: { generation, files: recorded } };
    const signed = {
      ...unsigned,
      [GENERATION_FIELD]: { generation, files: recorded, sha256: sha256(JSON.stringify(unsigned)) },
    };
    const json = `${JSON.stringify(signed, null, 1)}\n`;
    await writeFileAtomic(join(dir, `${stem}.${pad(generation)}.json`), (append) => append(json));
    await writeFileAtomic(join(dir, pointer), (append) => append(json));
    await prune(dir, stem, generation, keep, options.legacyFiles ?? []);
    return { generation, files: recorded };
  } finally {
    await release();
  }
}

async function prune(
  dir: string,
  stem: string,
  current: number,
  keep: number,
  legacy: readonly string[],
): Promise<void> {
  const { manifest: manifestName, data: dataName } = patterns(stem);
  const names = await readdir(dir);
  const generations = names
    .map((n) => manifestName.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((g) => g <= current)
    .sort((a, b) => b - a);
  const kept = new Set(generations.slice(0, keep));
  kept.add(current);
  const referenced = new Set<string>();
  const unreadable = new Set<number>();
  for (const g of kept) {
    try {
      const m = JSON.parse(await readFile(join(dir, `${stem}.${pad(g)}.json`), 'utf8'));
      for (const f of Object.values(m[GENERATION_FIELD].files as Record<string, GenerationFile>))
        referenced.add(f.path);
    } catch {
      unreadable.add(g); // keep its files rather than guess
    }
  }
  const doomed: string[] = [...legacy];
  for (const name of names) {
    const m = manifestName.exec(name);
    if (m && !kept.has(Number(m[1]))) doomed.push(name);
    const d = dataName.exec(name);
    if (d && !referenced.has(name) && !unreadable.has(Number(d[1]))) doomed.push(name);
  }
  for (const name of doomed) await rm(join(dir, name), { force: true });
  if (doomed.length > 0) await syncDirectory(dir);
}

/**
 * Reads what {@link writeGeneration} wrote: parses the manifest, checks its own SHA-256, and calls
 * `use` with a reader whose `read(role)` checks each data file's size against the manifest (before
 * allocating) and its SHA-256 after. A manifest of an older layout (no {@link GENERATION_FIELD}) is
 * passed with `generation: null` for the caller to handle.
 *
 * A data file that vanished because a concurrent writer pruned it after switching the pointer makes the
 * whole `use` run again on the new pointer (a few times), so a reader sees either generation whole.
 *
 * @throws UnavailableError when the manifest is missing; CorruptArtifactError when anything fails
 * verification.
 */
export async function readGeneration<T>(
  dir: string,
  pointer: string,
  use: (reader: GenerationReader) => Promise<T>,
  options: ReadGenerationOptions = {},
): Promise<T> {
  const fn = 'readGeneration';
  const known = new Set(['generation', 'maxBytes']);
  for (const k of Object.keys(options))
    if (!known.has(k)) throw new InvalidArgumentError(k, fn, `one of the options ${[...known].join(', ')}`);
  if (
    options.generation !== undefined &&
    (!Number.isSafeInteger(options.generation) || options.generation < 1)
  )
    throw new InvalidArgumentError('generation', fn, 'an integer >= 1', options.generation);
  const maxBytes = options.maxBytes ?? 2 ** 31;
  const stem = stemOf(pointer);
  const manifestPath = join(
    dir,
    options.generation === undefined ? pointer : `${stem}.${pad(options.generation)}.json`,
  );
  for (let attempt = 0; ; attempt++) {
    const manifest = await readManifest(manifestPath);
    const envelope = manifest[GENERATION_FIELD] as
      | { generation: number; files: Record<string, GenerationFile> }
      | undefined;
    const { [GENERATION_FIELD]: _, ...body } = manifest;
    let vanished = false;
    const reader: GenerationReader = {
      generation: envelope ? envelope.generation : null,
      body,
      files: envelope ? envelope.files : {},
      manifestPath,
      async read(role) {
        const file = envelope?.files[role];
        if (!file) throw new CorruptArtifactError(manifestPath, `names no '${role}' file`);
        const path = join(dir, file.path);
        let size: number;
        try {
          size = (await stat(path)).size;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') vanished = true;
          throw new CorruptArtifactError(path, `is missing or unreadable (named by ${manifestPath})`, {
            cause: error,
          });
        }
        if (size !== file.bytes)
          throw new CorruptArtifactError(path, `holds ${size} bytes, its manifest says ${file.bytes}`);
        if (size > maxBytes)
          throw new CorruptArtifactError(path, `holds ${size} bytes, above the budget of ${maxBytes}`);
        const bytes = await readFile(path);
        if (bytes.byteLength !== file.bytes)
          throw new CorruptArtifactError(path, `changed size while being read`);
        if (sha256(bytes) !== file.sha256)
          throw new CorruptArtifactError(path, `SHA-256 differs from its manifest: the file is damaged`);
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
    };
    try {
      return await use(reader);
    } catch (error) {
      if (!vanished || options.generation !== undefined || attempt >= 4) throw error;
      const now = await readManifest(manifestPath).catch(() => null);
      const g = (now?.[GENERATION_FIELD] as { generation?: number } | undefined)?.generation;
      if (g === undefined || g === reader.generation) throw error;
      // The pointer moved on: read the new generation whole.
    }
  }
}

async function readManifest(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > 64 * 1024 * 1024)
      throw new CorruptArtifactError(path, `is ${info.size} bytes: too large for a manifest`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (CorruptArtifactError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnavailableError(path, `${path} is missing`, { cause: error });
    throw new UnavailableError(path, `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new CorruptArtifactError(path, `is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest))
    throw new CorruptArtifactError(path, 'is not a JSON object');
  const m = manifest as Record<string, unknown>;
  if (!Object.hasOwn(m, GENERATION_FIELD)) return m;
  const envelope = m[GENERATION_FIELD] as Record<string, unknown> | null;
  if (envelope === null || typeof envelope !== 'object' || typeof envelope.sha256 !== 'string')
    throw new CorruptArtifactError(path, `has a malformed '${GENERATION_FIELD}' field`);
  const { sha256: claimed, ...rest } = envelope;
  if (sha256(JSON.stringify({ ...m, [GENERATION_FIELD]: rest })) !== claimed)
    throw new CorruptArtifactError(path, 'SHA-256 differs from the one it records: the manifest is damaged');
  checkEnvelope(path, rest);
  return m;
}

function checkEnvelope(path: string, e: Record<string, unknown>): void {
  const bad = (what: string) => new CorruptArtifactError(path, `'${GENERATION_FIELD}': ${what}`);
  if (!Number.isSafeInteger(e.generation) || (e.generation as number) < 1)
    throw bad('generation is not an integer >= 1');
  const files = e.files as Record<string, unknown> | null;
  if (files === null || typeof files !== 'object' || Array.isArray(files))
    throw bad('files is not an object');
  for (const [role, f] of Object.entries(files)) {
    const file = f as Record<string, unknown> | null;
    if (
      !ROLE.test(role) ||
      file === null ||
      typeof file !== 'object' ||
      typeof file.path !== 'string' ||
      // A plain name inside the folder: never a path that leaves it.
      !/^[A-Za-z0-9._-]+$/.test(file.path) ||
      file.path.startsWith('.') ||
      !Number.isSafeInteger(file.bytes) ||
      (file.bytes as number) < 0 ||
      typeof file.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(file.sha256)
    )
      throw bad(`file '${role}' is malformed`);
  }
}

/** Generation numbers whose manifest is kept in `dir`, oldest first. */
export async function listGenerations(dir: string, pointer: string): Promise<number[]> {
  const { manifest } = patterns(stemOf(pointer));
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((n) => manifest.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}
