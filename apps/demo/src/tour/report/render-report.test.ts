import { describe, expect, it } from 'vitest';
import type { HeldOutResult } from '../stages/language-model-stage.js';
import { heldOutSection } from './render-report.js';

const held: HeldOutResult = {
  corpus: 'carroll-alice',
  trainTokens: 24_300,
  validationTokens: 2_700,
  vocabulary: 2_401,
  unknownRate: 0.0412,
  layers: 2,
  units: 64,
  embeddingSize: 64,
  sequenceLength: 32,
  epochs: 3,
  seconds: 41.27,
  perplexityPerEpoch: [180.456, 151.2, 153.04],
  perplexity: 151.2,
  ngram: { order: 5, smoothing: 'kneser-ney', perplexity: 142.618 },
};

describe('the report’s held-out section', () => {
  const html = heldOutSection(held);

  it('shows the held-out perplexity of the LSTM and of the n-gram, side by side', () => {
    expect(html).toContain(
      '<tr><td>2-layer LSTM (best of 3 epochs)</td><td>151.20</td></tr>\n<tr><td>5-gram (kneser-ney)</td><td>142.62</td></tr>',
    );
    expect(html).toContain('LSTM held-out perplexity after each epoch: 180.46 → 151.20 → 153.04.');
  });

  it('says which split both were scored on, and how much of it was outside the vocabulary', () => {
    expect(html).toContain(
      'the first 24,300 tokens\ntrain both models, the last 2,700 tokens (the final 10% of the book)',
    );
    expect(html).toContain('the 2,400 words of the training part plus &lt;unk&gt;, which 4.12% of the');
    expect(html).toContain('<span class="mono">carroll-alice</span>');
  });

  it('escapes the corpus name', () => {
    expect(heldOutSection({ ...held, corpus: '<b>x</b>' })).toContain('&#60;b&#62;x&#60;/b&#62;');
  });
});
