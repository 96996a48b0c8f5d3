import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@wordloom/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT_REPORTER } from '../tour-reporter.js';
import { DEFAULT_SIZES } from '../tour-sizes.js';
import { runLanguageModelStage } from './language-model-stage.js';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-lm-stage-'));
mkdirSync(join(dir, 'figures'));
beforeAll(() => selectBackend({ backend: 'wasm' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the tour’s language-model stage', () => {
  it('reproduces Listing 4-4’s completion and reports held-out perplexity for the LSTM and the 5-gram', async () => {
    const result = await runLanguageModelStage(
      dir,
      { ...DEFAULT_SIZES, lmHeldOutEpochs: 1 },
      1,
      SILENT_REPORTER,
    );
    // The passage's own continuation of "i only wish" (Listing 4-5), as the chapter's model gives it.
    expect(result.completion).toMatch(
      /^i only wish people knew that : then they wouldn't be so stingy about it, you know/,
    );
    const h = result.heldOut;
    expect(h).toMatchObject({
      corpus: 'carroll-alice',
      epochs: 1,
      ngram: { order: 5, smoothing: 'kneser-ney' },
    });
    expect(h.validationTokens).toBe(Math.round((h.trainTokens + h.validationTokens) * 0.1));
    // Held out means unseen: both models are far from the ~1 perplexity they reach on text they trained on.
    expect(h.perplexity).toBeGreaterThan(20);
    expect(h.ngram.perplexity).toBeGreaterThan(20);
    expect(h.perplexity).toBeLessThan(h.vocabulary);
    expect(result.perplexity).toBeLessThan(2);
  }, 240_000);
});
