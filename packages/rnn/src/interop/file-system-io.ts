import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptArtifactError, InvalidArgumentError, UnavailableError, WordloomError } from '@wordloom/core';
import { type GenerationReader, readGeneration, writeGeneration } from '@wordloom/core/node';
import { checkLayersTopology } from './from-layers-model.js';

const MODEL_JSON = 'model.json';
/** tfjs-node's single weights file, removed once a generation replaces it. */
const LEGACY_WEIGHTS = 'weights.bin';

/** Options of {@link fileSystemIO}. */
export interface FileSystemIOOptions {
  /** Generations kept after a save, the new one included. @default 2 */
  keep?: number;
  /** Largest total weights accepted by `load`, in bytes (checked before reading). @default 2 ** 31 */
  maxBytes?: number;
}

/** Bytes per element of each weight dtype, and of each quantization dtype. */
const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * A tfjs `io.IOHandler` for a directory in Node, in the TF.js Layers format: `model.json`
 * (`modelTopology`, `weightsManifest`, `format`, `generatedBy`, `convertedBy`, training config,
 * signature, user metadata) and the weights concatenated in manifest order. Use it with
 * `layersModel.save(fileSystemIO(dir))` and `tf.loadLayersModel(fileSystemIO(dir))`; the directory is
 * also what `tensorflowjs_converter --input_format tfjs_layers_model` reads (the paths are relative).
 *
 * Saves are generations, as checkpoints are: the weights go to a new `model.<N>.weights.<rand>.bin`,
 * then `model.json` (naming it, with its size and SHA-256 and the manifest's own SHA-256 under
 * `wordloomGeneration`) is renamed over the old one; older generations beyond `keep` are pruned after
 * the switch, and a second writer gets a `LockedError`. A kill or a full disk mid-save leaves the
 * previous model loadable.
 *
 * `load` verifies those hashes, refuses `weightsManifest.paths` that leave the folder (absolute
 * paths, `..`, symbolic links pointing out), checks the weight sizes against the files before reading
 * and the topology's layer sizes against the weights before tfjs-layers allocates anything; folders
 * written by tfjs-node (`model.json` + `weights.bin`, no hashes) load with the same structural checks.
 * Every failure is a `WordloomError` naming the file.
 */
export function fileSystemIO(dir: string, options: FileSystemIOOptions = {}): tf.io.IOHandler {
  const fn = 'fileSystemIO';
  if (typeof dir !== 'string' || dir.length === 0)
    throw new InvalidArgumentError('dir', fn, 'a directory path', dir);
  for (const k of Object.keys(options))
    if (k !== 'keep' && k !== 'maxBytes')
      throw new InvalidArgumentError(k, fn, 'a known option (keep, maxBytes)');
  const keep = options.keep ?? 2;
  if (!Number.isSafeInteger(keep) || keep < 1)
    throw new InvalidArgumentError('keep', fn, 'an integer >= 1', keep);
  const maxBytes = options.maxBytes ?? 2 ** 31;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new InvalidArgumentError('maxBytes', fn, 'an integer >= 0', maxBytes);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new InvalidArgumentError(
          'artifacts.modelTopology',
          'fileSystemIO.save',
          'a JSON model topology (Layers or graph model)',
          'binary (protobuf) topology',
        );
      const weightData = artifacts.weightData
        ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : new Uint8Array(0);
      await writeGeneration(
        dir,
        MODEL_JSON,
        { weights: weightData },
        (names) => {
          const modelJSON: tf.io.ModelJSON = {
            modelTopology: artifacts.modelTopology ?? {},
            format: artifacts.format,
            generatedBy: artifacts.generatedBy,
            convertedBy: artifacts.convertedBy,
            weightsManifest: [{ paths: [`./${names.weights}`], weights: artifacts.weightSpecs ?? [] }],
          };
          if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
          if (artifacts.userDefinedMetadata != null)
            modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
          if (artifacts.modelInitializer != null) modelJSON.modelInitializer = artifacts.modelInitializer;
          if (artifacts.initializerSignature != null)
            modelJSON.initializerSignature = artifacts.initializerSignature;
          if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
          return modelJSON as unknown as Record<string, unknown>;
        },
        { keep, legacyFiles: [LEGACY_WEIGHTS] },
      );
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weightData.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      try {
        return await readGeneration(dir, MODEL_JSON, (g) => loadFrom(dir, g, maxBytes));
      } catch (error) {
        if (UnavailableError.isInstance(error))
          throw new UnavailableError(
            join(dir, MODEL_JSON),
            `cannot read a TF.js model from ${join(dir, MODEL_JSON)}: ${error.message}`,
            { cause: error },
          );
        if (WordloomError.isInstance(error)) throw error;
        throw new CorruptArtifactError(
          join(dir, MODEL_JSON),
          `cannot be loaded: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}

async function loadFrom(dir: string, g: GenerationReader, maxBytes: number): Promise<tf.io.ModelArtifacts> {
  const where = g.manifestPath;
  const modelJSON = g.body as unknown as tf.io.ModelJSON;
  const groups = modelJSON.weightsManifest;
  if (!Array.isArray(groups)) throw new CorruptArtifactError(where, 'weightsManifest is not a list');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const paths: string[] = [];
  for (const group of groups) {
    if (
      group === null ||
      typeof group !== 'object' ||
      !Array.isArray(group.paths) ||
      !Array.isArray(group.weights)
    )
      throw new CorruptArtifactError(where, 'a weightsManifest group lacks paths or weights lists');
    for (const p of group.paths) paths.push(await insideFolder(dir, where, p));
    specs.push(...group.weights);
  }
  const needed = specBytes(where, specs);
  if (modelJSON.modelTopology != null) checkLayersTopology(where, modelJSON.modelTopology, needed / 4);
  let data: Uint8Array;
  if (g.generation !== null) {
    const file = g.files.weights;
    if (!file || paths.length !== 1 || resolve(dir, paths[0]) !== resolve(dir, file.path))
      throw new CorruptArtifactError(
        where,
        'weightsManifest.paths do not name the generation’s weights file',
      );
    if (file.bytes !== needed)
      throw new CorruptArtifactError(
        where,
        `weights need ${needed} bytes, the weights file holds ${file.bytes}`,
      );
    if (needed > maxBytes)
      throw new CorruptArtifactError(where, `weights of ${needed} bytes exceed the budget of ${maxBytes}`);
    data = await g.read('weights');
  } else {
    let total = 0;
    for (const p of paths) {
      const size = (await stat(p).catch(() => null))?.size;
      if (size === undefined) throw new CorruptArtifactError(p, `is missing (named by ${where})`);
      total += size;
    }
    if (total !== needed)
      throw new CorruptArtifactError(where, `weights need ${needed} bytes, the files hold ${total}`);
    if (needed > maxBytes)
      throw new CorruptArtifactError(where, `weights of ${needed} bytes exceed the budget of ${maxBytes}`);
    const parts = await Promise.all(paths.map((p) => readFile(p)));
    data = new Uint8Array(needed);
    let offset = 0;
    for (const part of parts) {
      data.set(part, offset);
      offset += part.byteLength;
    }
    if (offset !== needed) throw new CorruptArtifactError(where, 'a weights file changed while being read');
  }
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tf.io.getModelArtifactsForJSON(modelJSON, async () => [specs, weightData]);
}

/** The real path of a manifest path, refused unless it stays inside the model's folder. */
async function insideFolder(dir: string, where: string, p: unknown): Promise<string> {
  if (typeof p !== 'string' || p.length === 0 || p.includes('\0') || isAbsolute(p) || /^[A-Za-z]:/.test(p))
    throw new CorruptArtifactError(
      where,
      `weightsManifest path ${JSON.stringify(p)} is not a relative file name`,
    );
  const root = resolve(dir);
  const full = resolve(root, p);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    throw new CorruptArtifactError(
      where,
      `weightsManifest path ${JSON.stringify(p)} leaves the model's folder`,
    );
  // A symbolic link inside the folder may still point out of it.
  const [realRoot, real] = await Promise.all([realpath(root), realpath(full).catch(() => full)]);
  const realRel = relative(realRoot, real);
  if (realRel.startsWith(`..${sep}`) || realRel === '..' || isAbsolute(realRel))
    throw new CorruptArtifactError(
      where,
      `weightsManifest path ${JSON.stringify(p)} links out of the model's folder`,
    );
  return full;
}

/** Bytes the weight specs need, each spec checked (name, shape, dtype, quantization). */
function specBytes(where: string, specs: unknown[]): number {
  let total = 0;
  for (const s of specs as tf.io.WeightsManifestEntry[]) {
    const ok =
      s !== null &&
      typeof s === 'object' &&
      typeof s.name === 'string' &&
      Array.isArray(s.shape) &&
      s.shape.length <= 8 &&
      s.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
      ['float32', 'int32', 'bool'].includes(s.dtype);
    if (!ok)
      throw new CorruptArtifactError(where, `weight spec ${JSON.stringify(s)?.slice(0, 120)} is malformed`);
    if (s.group !== undefined || (s as { groupOffset?: unknown }).groupOffset !== undefined)
      throw new CorruptArtifactError(
        where,
        `weight '${s.name}' uses grouped weights, which this reader does not support`,
      );
    let perElement = DTYPE_BYTES[s.dtype];
    if (s.quantization != null) {
      const q = s.quantization;
      if (typeof q !== 'object' || !['uint8', 'uint16', 'float16'].includes(q.dtype as string))
        throw new CorruptArtifactError(where, `weight '${s.name}' has a malformed quantization`);
      perElement = DTYPE_BYTES[q.dtype as string];
    }
    const elements = s.shape.reduce((a, b) => a * b, 1);
    total += elements * perElement;
    if (!Number.isSafeInteger(total))
      throw new CorruptArtifactError(where, `weight '${s.name}' has an impossible shape [${s.shape}]`);
  }
  return total;
}
