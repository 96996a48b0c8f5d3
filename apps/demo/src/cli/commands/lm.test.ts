import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@wordloom/backend';
import { loadCorpus } from '@wordloom/datasets';
import { tokenizeWords } from '@wordloom/rnn';
import { NgramLanguageModel } from '@wordloom/text-vsm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameWeights, weightsOf } from '../test-support/checkpoint-weights.js';
import { runCli } from '../test-support/run-cli.js';
import { runInPty } from '../test-support/run-in-pty.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-lm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A --save below a file: a mistyped output path that fails before any training.
const notAFolder = join(dir, 'file.txt');
writeFileSync(notAFolder, '');
beforeAll(() => selectBackend({ backend: 'cpu' }));

/** Lines of stdout that are JSON objects. */
function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

// Small, fast settings on the chapter's passage (346 words).
const TINY = [
  'lm',
  'train',
  '--corpus',
  'chapter-alice',
  '--tokenizer',
  'chapter',
  '--layers',
  '1',
  '--units',
  '16',
  '--embedding-size',
  '8',
  '--batch',
  '4',
  '--sequence-length',
  '8',
  '--lr',
  '0.01',
  '--backend',
  'wasm',
];

describe('wordloom lm train', () => {
  const model = join(dir, 'alice');

  it('learns the chapter’s Alice passage (Listing 4-4, old flag names) and completes it', () => {
    const { code, stdout } = runCli([
      'lm',
      'train',
      '--corpus',
      'chapter-alice',
      '--tokenizer',
      'chapter',
      '--mode',
      'window',
      '--embedding-size',
      '0',
      '--validation',
      '0',
      '--hidden',
      '48',
      '--window',
      '3',
      '--steps',
      '250',
      '--lr',
      '0.01',
      '--save',
      model,
      '--json',
      '--backend',
      'wasm',
    ]);
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    const out = lines[lines.length - 1];
    expect(out).toMatchObject({
      corpus: 'chapter-alice',
      layers: 2,
      units: 48,
      sequenceLength: 3,
      mode: 'window',
      validationTokens: 0,
      validationPerplexity: null,
      ngramOrder: 5,
    });
    // 250 steps of 11 batches: 23 epochs, the last one partial.
    expect(lines.slice(0, -1).map((l) => l.epoch)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(out.trainPerplexity).toBeLessThan(1.5);
    const complete = runCli([
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
    expect(complete.code).toBe(0);
    expect(JSON.parse(complete.stdout).text).toBe('had made her so savage when they met');
    // A word the model never saw is read as <unk>, and says so; a missing model is one line.
    const unseen = runCli(['lm', 'complete', '--model', model, '--prompt', 'had made zebra', '--words', '3']);
    expect(unseen.code).toBe(0);
    expect(unseen.stderr).toBe('prompt tokens outside the vocabulary, read as <unk>: zebra\n');
    expect(unseen.stdout).toMatch(/^had made zebra( \S+){3}\n$/);
    const missing = runCli(['lm', 'complete', '--model', join(dir, 'none'), '--prompt', 'a b c']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('holds out the last 10%, builds the vocabulary from the rest plus <unk>, and scores the 5-gram on the same split', async () => {
    const { code, stdout } = runCli([...TINY, '--validation', '0.1', '--epochs', '3', '--json']);
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    const epochs = lines.slice(0, -1);
    const out = lines[lines.length - 1];
    expect(epochs).toHaveLength(3);
    for (const [i, e] of epochs.entries()) {
      expect(Object.keys(e)).toEqual(['epoch', 'seconds', 'trainLoss', 'validationPerplexity']);
      expect(e.epoch).toBe(i + 1);
    }
    expect(out.validationPerplexity).toBe(Math.min(...epochs.map((e) => e.validationPerplexity as number)));
    expect(out.bestEpoch).toBe(
      epochs.findIndex((e) => e.validationPerplexity === out.validationPerplexity) + 1,
    );

    // The same split, vocabulary and Kneser–Ney model computed here from the libraries.
    const tokens = tokenizeWords(await loadCorpus('chapter-alice'));
    const cut = tokens.length - Math.round(tokens.length * 0.1);
    const seen = new Set(tokens.slice(0, cut));
    const asVocabulary = (t: string) => (seen.has(t) ? t : '<unk>');
    const unknown = tokens.slice(cut).filter((t) => !seen.has(t)).length;
    expect(out).toMatchObject({
      tokens: 346,
      trainTokens: cut,
      validationTokens: tokens.length - cut,
      vocabulary: seen.size + 1,
      unknownValidationRate: Math.round((unknown / (tokens.length - cut)) * 1e5) / 1e5,
    });
    expect(unknown).toBeGreaterThan(0);
    const ngram = NgramLanguageModel.fit([tokens.slice(0, cut)], { order: 5 });
    expect(out.ngramValidationPerplexity).toBeCloseTo(
      ngram.perplexity([tokens.slice(cut).map(asVocabulary)]),
      3,
    );
  });

  it('--min-count keeps only words seen that often in the training part', async () => {
    const { code, stdout } = runCli([...TINY, '--min-count', '3', '--epochs', '1', '--json']);
    expect(code).toBe(0);
    const out = jsonLines(stdout).pop() as Record<string, unknown>;
    const tokens = tokenizeWords(await loadCorpus('chapter-alice'));
    const counts = new Map<string, number>();
    for (const t of tokens.slice(0, tokens.length - 35)) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect(out.vocabulary).toBe([...counts.values()].filter((c) => c >= 3).length + 1);
  });

  it('--patience stops when the held-out perplexity stops improving and keeps the best epoch', () => {
    // A learning rate this high overfits the tiny passage at once: held-out perplexity rises after the best.
    const { code, stdout } = runCli([
      ...TINY.slice(0, -4),
      '--lr',
      '0.05',
      '--backend',
      'wasm',
      '--epochs',
      '40',
      '--patience',
      '2',
      '--json',
    ]);
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    const out = lines[lines.length - 1];
    const epochs = lines.slice(0, -1);
    expect(out.stoppedEarly).toBe(true);
    expect(epochs.length).toBeLessThan(40);
    expect(epochs.length).toBe((out.bestEpoch as number) + 2);
  });

  it('--dropout and --recurrent-dropout change training, repeatably for a seed', () => {
    const run = (extra: string[]) => {
      const r = runCli([...TINY, '--epochs', '1', '--json', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return jsonLines(r.stdout).pop() as Record<string, unknown>;
    };
    const plain = run([]);
    const dropped = run(['--dropout', '0.3', '--recurrent-dropout', '0.2']);
    const again = run(['--dropout', '0.3', '--recurrent-dropout', '0.2']);
    const loss = (o: Record<string, unknown>) => (o.epochs as Array<{ trainLoss: number }>)[0].trainLoss;
    expect(loss(dropped)).not.toBe(loss(plain));
    expect(loss(again)).toBe(loss(dropped));
    expect(again.validationPerplexity).toBe(dropped.validationPerplexity);
  });

  it('reads characters with --level char and a text file as the corpus', () => {
    const file = join(dir, 'abc.txt');
    writeFileSync(file, 'abc abd abe '.repeat(40));
    const { code, stdout } = runCli([
      'lm',
      'train',
      '--corpus',
      file,
      '--level',
      'char',
      '--units',
      '8',
      '--embedding-size',
      '4',
      '--epochs',
      '1',
      '--batch',
      '4',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = jsonLines(stdout).pop() as Record<string, unknown>;
    // a b c d e and the space, plus <unk>.
    expect(out).toMatchObject({ level: 'char', tokenizer: null, tokens: 479, vocabulary: 7 });
  });

  it('refuses what it cannot do and bad flags with one line naming the flag, before any work', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--dropout', '1'], /^wordloom: --dropout: 1 is out of range \(expected a number >= 0 and <= 0.95\)/],
      [['--recurrent-dropout', '-0.1'], /^wordloom: --recurrent-dropout: -0.1 is out of range/],
      [
        ['--validation', '0.9'],
        /^wordloom: --validation: 0.9 is out of range \(expected a number >= 0 and <= 0.5\)/,
      ],
      [['--level', 'char', '--tokenizer', 'words'], /^wordloom: --tokenizer: applies to --level word only/],
      [['--validation', '0', '--patience', '2'], /^wordloom: --patience: .* needs --validation > 0/],
      [['--units', '8', '--hidden', '8'], /^wordloom: --hidden: is an alias of --units/],
      [['--epochs', '2', '--steps', '5'], /^wordloom: --steps: /],
      [['--mode', 'tree'], /^wordloom: --mode: unknown value "tree" \(expected one of window, full\)/],
      [['--layers', 'x'], /^wordloom: --layers: not a number: "x"/],
      [
        ['--save', join(notAFolder, 'x')],
        /^wordloom: --save: cannot write into .*: a path component is not a directory/,
      ],
      [['--corpus', join(dir, 'missing.txt')], /^wordloom: --corpus: .* neither 'alice'/],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr } = runCli(['lm', 'train', ...flags]);
      expect(code, flags.join(' ')).toBe(1);
      expect(stderr, flags.join(' ')).toMatch(message);
      expect(stderr, flags.join(' ')).not.toMatch(/held-out tokens|epoch \d/);
    }
  });
});

describe('wordloom lm train on a terminal', () => {
  it('Ctrl-C stops after the current batch within 2 s with a checkpoint that --resume continues bit-exactly', async () => {
    // Batches of 2 streams: 19 short batches per epoch, so the Ctrl-C most likely lands mid-epoch,
    // where resuming needs the carried hidden states.
    const args = [
      ...TINY.map((a, i) => (TINY[i - 1] === '--batch' ? '2' : a)),
      '--validation',
      '0.1',
      '--epochs',
      '4',
    ];
    const reference = join(dir, 'reference');
    expect(runCli([...args, '--save', reference]).code).toBe(0);
    const saved = join(dir, 'interrupted');
    // Ctrl-C as soon as the bar shows a batch's loss.
    const run = runInPty([...args, '--save', saved], { interruptOn: /loss \d/ });
    expect(run.interruptedAt).not.toBeNull();
    expect(run.code).toBe(130);
    expect(run.exitedAt - (run.interruptedAt as number)).toBeLessThan(2);
    expect(run.output).toContain('stopping after the current step');
    expect(run.output).toMatch(/interrupted at epoch \d+, batch \d+; checkpoint saved in .*interrupted/);
    const resumed = runCli(['lm', 'train', '--resume', saved, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameWeights(await weightsOf(saved), await weightsOf(reference));
    // The resumed run reports the same epochs as the uninterrupted one (times aside).
    const strip = (out: string) =>
      jsonLines(out).map(({ seconds: _s, checkpoint: _c, backend: _b, epochs, ...rest }) => ({
        ...rest,
        epochs: (epochs as Array<Record<string, unknown>> | undefined)?.map(({ seconds: _t, ...e }) => e),
      }));
    const full = runCli([...args, '--json', '--save', join(dir, 'again')]);
    expect(strip(resumed.stdout).pop()).toEqual(strip(full.stdout).pop());
  });

  it('--resume refuses a flag that would change the training', () => {
    const saved = join(dir, 'interrupted');
    const { code, stderr } = runCli(['lm', 'train', '--resume', saved, '--units', '32']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^wordloom: --units: 32 differs from the checkpoint being resumed \(16\)/);
  });

  it('exits within 2 s of the error when training diverges (--lr 1e308)', () => {
    const run = runInPty([...TINY.slice(0, -4), '--lr', '1e308', '--backend', 'wasm', '--epochs', '50'], {
      watch: /wordloom: --lr: /,
    });
    expect(run.code).toBe(1);
    expect(run.watchedAt).not.toBeNull();
    expect(run.output).toMatch(/wordloom: --lr: 1e308: .*diverged; try a lower --lr/);
    expect(run.exitedAt - (run.watchedAt as number)).toBeLessThan(2);
  });
});
