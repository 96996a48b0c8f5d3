import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSizes, runTour } from './run-tour.js';
import { DEFAULT_SIZES, TINY_SIZES } from './tour-sizes.js';

describe('runTour', () => {
  it('fills sizes from the defaults and names a bad one', () => {
    expect(resolveSizes({ mnistTrain: 100 })).toEqual({ ...DEFAULT_SIZES, mnistTrain: 100 });
    expect(() => resolveSizes({ gloveEpochs: 0 })).toThrow(
      /Argument 'sizes\.gloveEpochs' passed to 'runTour' must be/,
    );
    expect(() => resolveSizes({ mapWords: 2.5 })).toThrow(/'sizes\.mapWords'/);
    expect(() => resolveSizes({ mapDigits: 3 })).toThrow(
      /'sizes\.mapDigits' passed to 'runTour' must be at least 5/,
    );
  });

  it('stops before any work when its signal is already aborted, and writes no report', async () => {
    const out = await mkdtemp(join(tmpdir(), 'wordloom-tour-abort-'));
    try {
      const controller = new AbortController();
      controller.abort(new Error('stop now'));
      await expect(runTour({ out, sizes: TINY_SIZES, signal: controller.signal })).rejects.toThrow(
        'stop now',
      );
      expect(await readdir(out)).not.toContain('report.html');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
