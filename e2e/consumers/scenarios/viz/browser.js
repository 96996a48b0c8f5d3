// @wordloom/viz in a browser bundle: PCA, exact t-SNE of three clusters on the page's cpu backend, SVG.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { knnAccuracy, pca, renderSvg, scatterPlot, tsne } from '@wordloom/viz';
import { report } from './page.js';

report(async () => {
  await tf.setBackend('cpu');
  const fitted = pca(
    [
      [3, 3],
      [-3, -3],
      [1, -1],
      [-1, 1],
    ],
    { components: 2 },
  );
  const ratios = [...fitted.explainedVarianceRatio].map((r) => r.toFixed(2)).join(' ');
  fitted.dispose();
  const points = [];
  const classes = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 20; i++) {
      points.push([0, 1, 2, 3, 4].map((d) => (d === c ? 10 : 0) + Math.sin(7 * i + d)));
      classes.push(c);
    }
  }
  const result = await tsne(points, { perplexity: 10, iterations: 500, seed: 1 });
  const svg = renderSvg(scatterPlot({ points: result.embedding, classes, title: 'three clusters' }));
  return [
    ratios,
    `${result.method} ${result.embedding.rows} ${result.embedding.cols} ${await knnAccuracy(result.embedding, classes)}`,
    `${svg.startsWith('<svg')} ${svg.includes('>three clusters</text>')}`,
  ];
});
