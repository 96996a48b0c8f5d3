import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-lm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wordloom lm', () => {
  const model = join(dir, 'alice');

  it('train: learns the chapter’s Alice passage and compares with the n-gram baseline', () => {
    const { code, stdout } = runCli(
      [
        'lm',
        'train',
        '--corpus',
        'alice',
        '--hidden',
        '48',
        '--steps',
        '250',
        '--lr',
        '0.01',
        '--save',
        model,
        '--json',
      ],
      {
        WORDLOOM_BACKEND: 'wasm',
      },
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      corpus: 'alice',
      layers: 2,
      window: 3,
      hidden: 48,
      steps: 250,
      mode: 'window',
    });
    expect(out.trainAccuracy).toBeGreaterThan(0.9);
    expect(out.ngram.order).toBe(4);
    expect(out.ngram.accuracy).toBeGreaterThan(0);
  });

  it('complete: continues "had made her" as the passage does, repeatably', () => {
    const { code, stdout } = runCli([
      'lm',
      'complete',
      '--model',
      model,
      '--prompt',
      'had made her',
      '--words',
      '5',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.text).toBe('had made her so savage when they met');
    const sampled = runCli([
      'lm',
      'complete',
      '--model',
      model,
      '--prompt',
      'had made her',
      '--temperature',
      '1',
      '--top-k',
      '3',
      '--seed',
      '5',
      '--json',
    ]);
    expect(JSON.parse(sampled.stdout).words).toHaveLength(28);
    const again = runCli([
      'lm',
      'complete',
      '--model',
      model,
      '--prompt',
      'had made her',
      '--temperature',
      '1',
      '--top-k',
      '3',
      '--seed',
      '5',
      '--json',
    ]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(sampled.stdout);
  });

  it('complete: an unknown prompt word or a missing model fails with one line', () => {
    const unknown = runCli(['lm', 'complete', '--model', model, '--prompt', 'had made zebra']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /Argument '--prompt' passed to 'wordloom lm complete' must be words of the model vocabulary, got "unknown word \\"zebra\\""/,
    );
    const missing = runCli(['lm', 'complete', '--model', join(dir, 'none'), '--prompt', 'a b c']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No checkpoint in/);
  });
});
