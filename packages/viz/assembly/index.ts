// The viz kernel module: every export here is one WebAssembly export (typed in src/kernels/viz-kernels.ts).
// One line per kernel file.
export { tsneAttractive } from './tsne-attractive';
export { fftLines } from './fft';
