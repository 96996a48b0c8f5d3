import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers trains through tfjs autodiff, which needs tfjs-core's gradient registrations.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeEachBackend } from '@wordloom/backend/testing';
import { describe, expect, it } from 'vitest';
import { WordNotInVocabularyError } from '../errors/word-not-in-vocabulary-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { toEmbeddingLayer } from './to-embedding-layer.js';

const kv = () => new KeyedVectors(['king', 'queen', 'apple'], new Float32Array([1, 2, 3, 4, 5, 6]), 2);

describeEachBackend('toEmbeddingLayer', (backend) => {
  it('looks up the pretrained vectors by the returned word ids inside a tfjs model', () => {
    const { layer, vocabulary, encode, words } = toEmbeddingLayer(kv());
    expect([...vocabulary]).toEqual([
      ['king', 0],
      ['queen', 1],
      ['apple', 2],
    ]);
    expect(words).toEqual(['king', 'queen', 'apple']);
    const model = tfl.sequential({ layers: [layer] });
    const ids = tf.tensor2d(encode(['apple', 'king', 'queen', 'apple']), [2, 2], 'int32');
    const out = model.predict(ids) as tf.Tensor;
    expect(out.arraySync()).toEqual([
      [
        [5, 6],
        [1, 2],
      ],
      [
        [3, 4],
        [5, 6],
      ],
    ]);
    expect(() => encode(['pear'])).toThrow(WordNotInVocabularyError);
    tf.dispose([ids, out]);
    model.dispose();
  });

  it('frozen by default: fitting the model leaves the vectors unchanged; trainable: true moves them', async () => {
    // tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, the gradient of a gather: tfjs-layers
    // cannot fine-tune any embedding there (frozen ones train fine).
    for (const trainable of backend === 'wasm' ? [false] : [false, true]) {
      const { layer, encode } = toEmbeddingLayer(kv(), { trainable, inputLength: 2 });
      const model = tfl.sequential({
        layers: [layer, tfl.layers.flatten(), tfl.layers.dense({ units: 1, kernelInitializer: 'ones' })],
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = tf.tensor2d(encode(['king', 'apple']), [1, 2], 'int32');
      const y = tf.tensor2d([[0]]);
      expect(model.trainableWeights).toHaveLength(trainable ? 3 : 2);
      await model.trainOnBatch(x, y);
      const table = Array.from(layer.getWeights()[0].dataSync());
      if (trainable) expect(table).not.toEqual([1, 2, 3, 4, 5, 6]);
      else expect(table).toEqual([1, 2, 3, 4, 5, 6]);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('unknownRow reserves a zero row 0 for words outside the vocabulary', () => {
    const { layer, vocabulary, encode, words } = toEmbeddingLayer(kv(), { unknownRow: true });
    expect(vocabulary.get('king')).toBe(1);
    expect(words[0]).toBe('');
    expect(Array.from(encode(['queen', 'pear']))).toEqual([2, 0]);
    expect(Array.from(layer.getWeights()[0].dataSync())).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('toEmbeddingLayer arguments', () => {
  it('rejects what is not KeyedVectors, naming the argument', () => {
    expect(() => toEmbeddingLayer({} as KeyedVectors)).toThrow(
      /Argument 'keyedVectors' passed to 'toEmbeddingLayer' must be a KeyedVectors/,
    );
    expect(() => toEmbeddingLayer(kv(), { inputLength: 0 })).toThrow(/options.inputLength/);
  });

  it('the main entry never imports tfjs-layers (an optional peer); ./layers does', () => {
    const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');
    const seen = new Set<string>();
    const layers: string[] = [];
    const stack = [join(dist, 'index.js'), join(dist, 'node/index.js')];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      if (/['"]@tensorflow\/tfjs-layers['"]/.test(code)) layers.push(file);
      for (const m of code.matchAll(/(?:from\s*|import\s*\(?\s*)['"](\.[^'"]+)['"]/g))
        stack.push(resolve(dirname(file), m[1]));
    }
    expect(seen.size).toBeGreaterThan(5);
    expect(layers).toEqual([]);
    expect(readFileSync(join(dist, 'interop/to-embedding-layer.js'), 'utf8')).toMatch(
      /@tensorflow\/tfjs-layers/,
    );
  });
});
