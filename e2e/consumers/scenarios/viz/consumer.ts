// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20).
import { type PcaResult, pca, renderSvg, scatterPlot, type TsneResult, tsne } from '@wordloom/viz';

const fitted: PcaResult = pca(
  [
    [1, 2],
    [3, 4],
    [5, 7],
  ],
  { components: 1 },
);
const ratios: ArrayLike<number> = fitted.explainedVarianceRatio;
const pending: Promise<TsneResult> = tsne(
  [
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  { perplexity: 1, iterations: 10, seed: 1 },
);
pending.then((result) => renderSvg(scatterPlot({ points: result.embedding, title: 'points' })));

// @ts-expect-error perplexity is a number
tsne([[0, 1]], { perplexity: 'high' });

export { ratios };
