// @wordloom/viz via `import` and `require`: PCA of four points (explained variance 0.9 / 0.1), exact t-SNE of three
// 5-D clusters on the app's own tfjs-core, and an SVG scatter plot.
/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  await load('@tensorflow/tfjs-backend-cpu');
  const tf = await load('@tensorflow/tfjs-core');
  const { knnAccuracy, pca, renderSvg, scatterPlot, tsne } = await load('@wordloom/viz');

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
  console.log([...fitted.explainedVarianceRatio].map((r) => r.toFixed(2)).join(' '));
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
  console.log(
    result.method,
    result.embedding.rows,
    result.embedding.cols,
    await knnAccuracy(result.embedding, classes),
  );
  const svg = renderSvg(scatterPlot({ points: result.embedding, classes, title: 'three clusters' }));
  console.log(svg.startsWith('<svg'), svg.includes('>three clusters</text>'));
}
