// Browser-safe entry: everything here runs in Node, the browser and Web Workers.
// PNG output lives in '@wordloom/viz/node'; the worker protocol in '@wordloom/viz/worker'.
export { type DenseMatrix, type MatrixInput, matrixRows, toDenseMatrix } from './matrix/dense-matrix.js';
export { type KnnAccuracyOptions, knnAccuracy } from './metrics/knn-accuracy.js';
export { type TrustworthinessOptions, trustworthiness } from './metrics/trustworthiness.js';
export { type PcaOptions, type PcaResult, pca } from './pca.js';
export {
  type AxesOptions,
  LEGEND_POSITIONS,
  type LegendEntry,
  type LegendPosition,
  MAX_FIGURE_SIDE,
} from './plots/axes.js';
export {
  ANALOGY_WORDS,
  CHAPTER_FIGURES,
  type ChapterFigureId,
  type ChapterFigureOptions,
  chapterFigure,
  DATA_FIGURES,
  gloveAnalogyFigure,
  gloveWeightingFigure,
  termFrequencyFigure,
  type WordMapData,
  wordMapFigure,
} from './plots/chapter-figures.js';
export type {
  CircleShape,
  ClipShape,
  Figure,
  LineShape,
  PolylineShape,
  RectShape,
  Shape,
  TextShape,
} from './plots/figure.js';
export { type LinePlotOptions, type LineSeries, linePlot } from './plots/line-plot.js';
export { CATEGORY_COLORS, categoryColor } from './plots/palette.js';
export { type ScatterPlotOptions, scatterPlot } from './plots/scatter-plot.js';
export { type Box, boxesIntersect, textBox, textWidth } from './plots/text-metrics.js';
export { formatTick, niceDomain, niceTicks } from './plots/ticks.js';
export { type Canvas2DLike, type CanvasOptions, renderCanvas } from './render/canvas.js';
export { escapeXml, renderSvg, type SvgOptions } from './render/svg.js';
export { type ApproximateNeighboursOptions, approximateNeighbours } from './tsne/approximate-knn.js';
export { barnesHutGradient } from './tsne/barnes-hut.js';
export { ExactGradient } from './tsne/exact.js';
export {
  type FftOptions,
  FftRepulsion,
  fftGradient,
  type GridGeometry,
  interpolatePotentials,
  type PotentialGrid,
  potentialsAt,
  repulsivePotentials,
} from './tsne/fft-gradient.js';
export { denseJointProbabilities, sparseJointProbabilities } from './tsne/joint-probabilities.js';
export { type Neighbours, nearestNeighbours, squaredDistanceMatrix } from './tsne/knn.js';
export {
  type CalibratedRows,
  type CalibrateOptions,
  calibratePerplexity,
  rowEntropies,
} from './tsne/perplexity.js';
export { SpaceTree } from './tsne/space-tree.js';
export type { CsrMatrix } from './tsne/sparse-matrix.js';
export { type FittedMap, type TsneTransformOptions, tsneTransform } from './tsne/transform.js';
export {
  APPROXIMATE_NEIGHBORS_AUTO_LIMIT,
  APPROXIMATE_NEIGHBORS_AUTO_LIMIT_CPU,
  APPROXIMATE_NEIGHBORS_AUTO_LIMIT_KERNELS,
  EXACT_AUTO_LIMIT,
  EXACT_BYTES_PER_PAIR,
  EXACT_MAX_BYTES,
  EXACT_MAX_POINTS,
  FFT_AUTO_LIMIT,
  type TsneMetric,
  type TsneOptions,
  type TsneProgress,
  type TsneResult,
  type TsneStopReason,
  tsne,
} from './tsne/tsne.js';
