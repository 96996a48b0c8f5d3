// The viz kernel module: every export here is one WebAssembly export (typed in src/kernels/viz-kernels.ts).
// One line per kernel file.
export { tsneAttractive } from './tsne-attractive';
export { tsneRepulsive2, tsneRepulsive3 } from './tsne-repulsive';
export { knnRows } from './knn';
export { tsneTree } from './tsne-tree';
export { fftLines } from './fft';
