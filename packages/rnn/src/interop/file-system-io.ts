import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, WordloomError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs `io.IOHandler` for a directory in Node: the TF.js Layers format exactly as tfjs-node's
 * `file://` handler writes it — `model.json` (`modelTopology`, `weightsManifest` naming one
 * `weights.bin` group, `format`, `generatedBy`, `convertedBy`, training config, signature, user
 * metadata) and `weights.bin` (the weights concatenated in manifest order). Use it with
 * `layersModel.save(fileSystemIO(dir))` and `tf.loadLayersModel(fileSystemIO(dir))`; the directory is
 * also what `tensorflowjs_converter --input_format tfjs_layers_model` reads. Both files are written
 * atomically, weights first, so an interrupted save leaves the previous model loadable.
 */
export function fileSystemIO(dir: string): tf.io.IOHandler {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new InvalidArgumentError('dir', 'fileSystemIO', 'a directory path', dir);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new InvalidArgumentError(
          'artifacts.modelTopology',
          'fileSystemIO.save',
          'a JSON model topology (Layers or graph model)',
          'binary (protobuf) topology',
        );
      await mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData
        ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : new Uint8Array(0);
      await writeFileAtomic(join(dir, WEIGHTS_BIN), async (append) => append(weightData));
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata != null)
        modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.modelInitializer != null) modelJSON.modelInitializer = artifacts.modelInitializer;
      if (artifacts.initializerSignature != null)
        modelJSON.initializerSignature = artifacts.initializerSignature;
      if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
      const json = JSON.stringify(modelJSON);
      await writeFileAtomic(join(dir, MODEL_JSON), async (append) => append(json));
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
      const path = join(dir, MODEL_JSON);
      let modelJSON: tf.io.ModelJSON;
      try {
        modelJSON = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new WordloomError(`cannot read a TF.js model from ${path}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const file of group.paths) {
            const bytes = await readFile(join(dir, file));
            buffers.push(
              bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
            );
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}
