import * as tf from '@tensorflow/tfjs-core';
import {
  LanguageModel,
  type LanguageModelConfig,
  SequenceClassifier,
  type SequenceClassifierConfig,
} from '@wordloom/rnn';
import type { WebData } from './web-data-client.js';

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

/** The part of `@wordloom/rnn/node`'s checkpoint manifest the page needs (format version 2, or 1). */
interface CheckpointManifest {
  format: string;
  version: number;
  /** Version 2: the generation's files; the weights file is named per generation. */
  wordloomGeneration?: { files: { weights: { path: string } } };
  kind: 'sequence-classifier' | 'language-model';
  config: SequenceClassifierConfig | LanguageModelConfig;
  weights: TensorEntry[];
}

/**
 * Loads a checkpoint written by `saveCheckpoint` (`checkpoint.json` + the weights file it names) over HTTP — the
 * browser counterpart of `loadCheckpoint`, weights only. Every weight must be present with its shape.
 */
export async function loadCheckpoint<K extends CheckpointManifest['kind']>(
  data: WebData,
  folder: string,
  kind: K,
): Promise<K extends 'language-model' ? LanguageModel : SequenceClassifier> {
  const manifest = await data.json<CheckpointManifest>(`${folder}/checkpoint.json`);
  const version = manifest.version;
  if (
    manifest.format !== 'wordloom-rnn-checkpoint' ||
    (version !== 1 && version !== 2) ||
    manifest.kind !== kind
  )
    throw new Error(`${folder} is not a wordloom ${kind} checkpoint (version 1 or 2)`);
  const weights = version === 2 ? manifest.wordloomGeneration?.files.weights.path : 'weights.bin';
  if (!weights || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(weights))
    throw new Error(`${folder}/checkpoint.json names no valid weights file`);
  const bytes = await data.bytes(`${folder}/${weights}`);
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  const model =
    kind === 'language-model'
      ? new LanguageModel(manifest.config as LanguageModelConfig)
      : new SequenceClassifier(manifest.config as SequenceClassifierConfig);
  try {
    const byName = new Map(manifest.weights.map((e) => [e.name, e]));
    model.variableNames.forEach((name, i) => {
      const v = model.variables[i];
      const e = byName.get(name);
      if (!e || e.shape.join() !== v.shape.join() || e.offset + v.size > floats.length)
        throw new Error(`${folder} has no weight '${name}' of shape [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(floats.subarray(e.offset, e.offset + v.size), v.shape)));
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model as K extends 'language-model' ? LanguageModel : SequenceClassifier;
}
