export {
  BUNDLED_FONT_FILES,
  MAX_PNG_PIXELS,
  type PngOptions,
  pngDimensions,
  renderPng,
} from './render-png.js';
export { writeFigure } from './write-figure.js';
