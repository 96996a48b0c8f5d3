import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '@wordloom/backend';
import { loadMnist } from '@wordloom/datasets';
import { installChainedOps } from '@wordloom/rnn/layers';
import { fileSystemIO } from '@wordloom/rnn/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameWeights, weightsOf } from '../test-support/checkpoint-weights.js';
import { runCli } from '../test-support/run-cli.js';
import { runInPty } from '../test-support/run-in-pty.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-mnist-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => selectBackend({ backend: 'wasm' }));
// A --save below a file: a mistyped output path that fails before any training.
const notAFolder = join(dir, 'file.txt');
writeFileSync(notAFolder, '');

describe('wordloom mnist', () => {
  it('prints each epoch’s time, training loss and accuracy on the full test set, with the backend', async () => {
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
    expect(out.validationImages).toBe(0);
    expect(out.epochs[0].validationAccuracy).toBeNull();
    expect((await weightsOf(save)).length).toBe(3 + 2);
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
  }, 180_000);

  it('--validation holds out the last fraction of the training images and reports their accuracy per epoch', async () => {
    const { code, stdout } = runCli(
      [
        'mnist',
        '--train-limit',
        '640',
        '--validation',
        '0.1',
        '--epochs',
        '2',
        '--units',
        '8',
        '--batch',
        '64',
        '--lr',
        '0.01',
        '--json',
      ],
      { WORDLOOM_BACKEND: 'wasm' },
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ trainImages: 576, validationImages: 64, testImages: 10_000 });
    // Accuracies over 64 images are multiples of 1/64.
    for (const e of out.epochs) {
      expect(Number.isInteger(Math.round(e.validationAccuracy * 64 * 1e3) / 1e3)).toBe(true);
      expect(e.validationLoss).toBeGreaterThan(0);
    }
  });

  it('rejects a bad flag with one line naming it, before loading anything', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--cell', 'tcn'], /^wordloom: --cell: unknown value "tcn" \(expected one of lstm, gru, rnn\)$/],
      [
        ['--format', 'onnx'],
        /^wordloom: --format: unknown value "onnx" \(expected one of checkpoint, layers\)$/,
      ],
      [['--validation', '1'], /^wordloom: --validation: 1 is out of range/],
      [['--epochs', '2.5'], /^wordloom: --epochs: not an integer: "2.5"/],
      [['--units', '4', '--hidden', '4'], /^wordloom: --hidden: is an alias of --units/],
      [
        ['--save', join(notAFolder, 'x')],
        /^wordloom: --save: cannot write into .*: a path component is not a directory/,
      ],
      [['--resume', join(dir, 'none')], /^wordloom: No checkpoint in/],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr } = runCli(['mnist', ...flags]);
      expect(code, flags.join(' ')).toBe(1);
      expect(stderr.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(stderr.trim(), flags.join(' ')).toMatch(message);
    }
  });
});

describe('wordloom mnist on a terminal', () => {
  const args = [
    'mnist',
    '--train-limit',
    '1280',
    '--epochs',
    '2',
    '--units',
    '8',
    '--batch',
    '64',
    '--validation',
    '0.1',
    '--backend',
    'wasm',
  ];

  it('Ctrl-C stops after the current batch within 2 s with a checkpoint that --resume continues bit-exactly', async () => {
    const reference = join(dir, 'reference');
    expect(runCli([...args, '--save', reference]).code).toBe(0);
    const saved = join(dir, 'interrupted');
    const run = runInPty([...args, '--save', saved], { interruptOn: /loss \d/ });
    expect(run.interruptedAt).not.toBeNull();
    expect(run.code).toBe(130);
    expect(run.exitedAt - (run.interruptedAt as number)).toBeLessThan(2);
    expect(run.output).toMatch(/interrupted at epoch \d+, batch \d+; checkpoint saved in .*interrupted/);
    const resumed = runCli(['mnist', '--resume', saved, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameWeights(await weightsOf(saved), await weightsOf(reference));
    const full = runCli([...args, '--json']);
    const strip = (stdout: string) =>
      JSON.parse(stdout).epochs.map(({ seconds: _s, ...e }: Record<string, unknown>) => e);
    expect(strip(resumed.stdout)).toEqual(strip(full.stdout));
  });

  it('--resume refuses a flag that would change the training', () => {
    const { code, stderr } = runCli(['mnist', '--resume', join(dir, 'interrupted'), '--batch', '32']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^wordloom: --batch: 32 differs from the checkpoint being resumed \(64\)/);
  });

  // --lr 1e30 no longer diverges (the loss is a stable log-softmax, finite as in PyTorch); 1e308 does.
  it('exits within 2 s of the error when training diverges (--lr 1e308)', () => {
    const run = runInPty(
      ['mnist', '--train-limit', '6400', '--units', '8', '--lr', '1e308', '--backend', 'wasm'],
      {
        watch: /wordloom: --lr: /,
      },
    );
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/wordloom: --lr: 1e308: .*diverged; try a lower --lr/);
    expect(run.exitedAt - (run.watchedAt as number)).toBeLessThan(2);
  });
});
