import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(readdirSync(save).sort()).toEqual(['checkpoint.json', 'optimizer.bin', 'weights.bin']);
  });

  it('rejects a bad flag with one line naming it', () => {
    const { code, stderr } = runCli(['mnist', '--cell', 'tcn']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /Argument '--cell' passed to 'wordloom mnist' must be one of 'lstm', 'gru', 'rnn'/,
    );
  });
});
