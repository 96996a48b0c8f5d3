import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '@wordloom/backend';
import { loadMnist } from '@wordloom/datasets';
import { installChainedOps } from '@wordloom/rnn/layers';
import { fileSystemIO } from '@wordloom/rnn/node';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-mnist-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wordloom mnist', () => {
  it('prints each epoch’s time, training loss and accuracy on the full test set, with the backend', () => {
    const save = join(dir, 'ckpt');
    const { code, stdout } = runCli(
      [
        'mnist',
        '--train-limit',
        '512',
        '--epochs',
        '2',
        '--hidden',
        '16',
        '--batch',
        '64',
        '--lr',
        '0.01',
        '--save',
        save,
        '--json',
      ],
      {
        WORDLOOM_BACKEND: 'wasm',
      },
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.backend.name).toBe('wasm');
    expect(out.testImages).toBe(10_000);
    expect(out.epochs).toHaveLength(2);
    for (const [i, e] of out.epochs.entries()) {
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining(['epoch', 'seconds', 'trainLoss', 'testAccuracy']),
      );
      expect(e.epoch).toBe(i + 1);
      expect(e.testAccuracy).toBeGreaterThan(0.1); // better than chance after 16 small batches
    }
    expect(out.epochs[1].trainLoss).toBeLessThan(out.epochs[0].trainLoss);
    expect(readdirSync(save).filter((n) => !/^checkpoint\.\d{6}\./.test(n))).toEqual(['checkpoint.json']);
  });

  it('--format layers writes a TF.js Layers model that tf.loadLayersModel reads and that scores the same', async () => {
    const save = join(dir, 'layers');
    const run = runCli(
      [
        'mnist',
        '--cell',
        'gru',
        '--train-limit',
        '256',
        '--epochs',
        '1',
        '--hidden',
        '8',
        '--batch',
        '64',
        '--save',
        save,
        '--format',
        'layers',
        '--json',
      ],
      { WORDLOOM_BACKEND: 'wasm' },
    );
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.layersModel).toBe(save);
    expect(readdirSync(save).filter((n) => !/^model\.\d{6}\./.test(n))).toEqual(['model.json']);
    await selectBackend({ backend: 'wasm' });
    installChainedOps();
    const model = await tfl.loadLayersModel(fileSystemIO(save));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['GRU', 'Dense']);
    // The reloaded model classifies the 10,000 test images exactly as the CLI reported.
    const test = await loadMnist({ split: 'test', dtype: 'uint8' });
    const x = tf.tidy(() => tf.div(tf.tensor3d(test.images, [test.count, 28, 28], 'float32'), 255));
    const predicted = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1));
    const classes = predicted.dataSync();
    let correct = 0;
    for (let i = 0; i < test.count; i++) if (classes[i] === test.labels[i]) correct++;
    expect(correct / test.count).toBeCloseTo(out.epochs[0].testAccuracy, 3);
    tf.dispose([x, predicted]);
    model.dispose();
  });

  it('rejects a bad flag with one line naming it', () => {
    const { code, stderr } = runCli(['mnist', '--cell', 'tcn']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /Argument '--cell' passed to 'wordloom mnist' must be one of 'lstm', 'gru', 'rnn'/,
    );
    const format = runCli(['mnist', '--format', 'onnx']);
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(
      /Argument '--format' passed to 'wordloom mnist' must be one of 'checkpoint', 'layers'/,
    );
  });
});
