import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainingDivergedError } from '@wordloom/rnn';
import { afterAll, describe, expect, it } from 'vitest';
import {
  choiceFlag,
  divergedAsLrError,
  FlagError,
  integerFlag,
  numberFlag,
  outputDirFlag,
  outputFileFlag,
  requiredIntegerFlag,
} from './flags.js';

describe('integerFlag', () => {
  it('accepts decimal integers in range', () => {
    expect(integerFlag('10', '--top', { min: 1 })).toBe(10);
    expect(integerFlag(' 7 ', '--top')).toBe(7);
    expect(integerFlag(undefined, '--top')).toBeUndefined();
  });

  it.each([
    ['abc', '--top: not a number: "abc" (expected an integer >= 1)'],
    ['', '--top: not a number: "" (expected an integer >= 1)'],
    ['0x10', '--top: not a number: "0x10" (expected an integer >= 1)'],
    ['2.5', '--top: not an integer: "2.5" (expected an integer >= 1)'],
    ['1e3', '--top: not an integer: "1e3" (expected an integer >= 1)'],
    ['0', '--top: 0 is out of range (expected an integer >= 1)'],
    ['99999999999999999999', '--top: 99999999999999999999 is out of range (expected an integer >= 1)'],
  ])('refuses %j naming the flag', (raw, message) => {
    let caught: unknown;
    try {
      integerFlag(raw, '--top', { min: 1 });
    } catch (error) {
      caught = error;
    }
    expect(FlagError.isInstance(caught)).toBe(true);
    expect((caught as FlagError).message).toBe(message);
    expect((caught as FlagError).argument).toBe('--top');
  });

  it('says the upper bound', () => {
    expect(() => requiredIntegerFlag('5000', '--units', { min: 1, max: 4096 })).toThrow(
      '--units: 5000 is out of range (expected an integer >= 1 and <= 4096)',
    );
  });
});

describe('numberFlag', () => {
  it('accepts decimals and exponents, refuses the rest', () => {
    expect(numberFlag('1e-3', '--lr', { min: 0, exclusiveMin: true })).toBe(0.001);
    expect(numberFlag('.5', '--dropout', { min: 0, max: 1 })).toBe(0.5);
    expect(() => numberFlag('NaN', '--lr')).toThrow('--lr: not a number: "NaN"');
    expect(() => numberFlag('Infinity', '--lr')).toThrow('--lr: not a number: "Infinity"');
    expect(() => numberFlag('1e400', '--lr')).toThrow('--lr: 1e400 is out of range');
    expect(() => numberFlag('0', '--lr', { min: 0, exclusiveMin: true })).toThrow(
      '--lr: 0 is out of range (expected a number > 0)',
    );
  });
});

describe('choiceFlag', () => {
  it('lists what is accepted', () => {
    expect(choiceFlag('cbow', '--model', ['cbow', 'skipgram'])).toBe('cbow');
    expect(() => choiceFlag('glov', '--model', ['cbow', 'glove'])).toThrow(
      '--model: unknown value "glov" (expected one of cbow, glove)',
    );
  });
});

describe('output paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wordloom-flags-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts a new file in an existing folder and refuses a missing folder or a folder', async () => {
    await expect(outputFileFlag(join(dir, 'v.bin'), '--out')).resolves.toBe(join(dir, 'v.bin'));
    await expect(outputFileFlag(join(dir, 'missing', 'v.bin'), '--out')).rejects.toThrow(
      /^--out: cannot write .*v\.bin: folder .*missing: no such file or directory$/,
    );
    await expect(outputFileFlag(dir, '--out')).rejects.toThrow(/is a directory/);
    await writeFile(join(dir, 'plain'), 'x');
    await expect(outputFileFlag(join(dir, 'plain', 'v.bin'), '--out')).rejects.toThrow(/not a directory/);
  });

  it('creates an output folder and refuses an unwritable one', async () => {
    await expect(outputDirFlag(join(dir, 'a', 'b'), '--save')).resolves.toBe(join(dir, 'a', 'b'));
    await expect(outputDirFlag(join(dir, 'plain'), '--save')).rejects.toThrow(/^--save: cannot write into/);
    // Node's recursive mkdir spins forever here; ours fails at once.
    if (process.platform === 'linux')
      await expect(outputDirFlag('/proc/wordloom/x', '--save')).rejects.toThrow(/^--save: cannot write into/);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o500);
      await expect(outputDirFlag(locked, '--save')).rejects.toThrow(/not writable/);
    }
  });
});

describe('divergedAsLrError', () => {
  it('turns a diverged training run into an error of --lr quoting the rate', () => {
    const diverged = new TrainingDivergedError('the loss', Number.NaN);
    const error = divergedAsLrError(diverged, '1e308', TrainingDivergedError);
    expect(FlagError.isInstance(error)).toBe(true);
    expect((error as FlagError).argument).toBe('--lr');
    expect((error as FlagError).message).toBe(
      '--lr: 1e308: the loss is NaN: training diverged; try a lower --lr',
    );
    expect((error as FlagError).cause).toBe(diverged);
    // The default rate when --lr was not given.
    expect(
      (
        divergedAsLrError(
          new TrainingDivergedError('the gradient norm', Infinity),
          0.001,
          TrainingDivergedError,
        ) as Error
      ).message,
    ).toBe('--lr: 0.001: the gradient norm is Infinity: training diverged; try a lower --lr');
  });

  it('returns any other error unchanged', () => {
    const other = new Error('disk full');
    expect(divergedAsLrError(other, '0.1', TrainingDivergedError)).toBe(other);
    const flag = new FlagError('--epochs', 'missing');
    expect(divergedAsLrError(flag, '0.1', TrainingDivergedError)).toBe(flag);
  });
});
