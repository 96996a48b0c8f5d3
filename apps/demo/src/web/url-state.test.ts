import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatState, parseState } from './url-state.js';

describe('the URL state', () => {
  it('round-trips a view through the fragment, keeping only what differs from the defaults', () => {
    const state = {
      ...DEFAULT_STATE,
      projection: 'tsne3' as const,
      word: 'café au lait',
      k: 25,
      isolate: true,
      lr: 120,
      color: 'pos',
    };
    const hash = formatState(state);
    expect(hash).toBe('#projection=tsne3&word=caf%C3%A9+au+lait&k=25&isolate=1&color=pos&lr=120');
    expect(parseState(hash)).toEqual(state);
    expect(formatState(DEFAULT_STATE)).toBe('');
  });

  it('ignores unknown projections, out-of-range numbers and unknown backends', () => {
    expect(parseState('#projection=lda&k=0&perplexity=1e9&iterations=abc&lr=-3&backend=cuda')).toEqual(
      DEFAULT_STATE,
    );
    expect(parseState('#k=100&points=10000&backend=webgl')).toMatchObject({
      k: 100,
      points: 10000,
      backend: 'webgl',
    });
  });
});
