export { type PngOptions, renderPng } from './render-png.js';
export { writeFigure } from './write-figure.js';
