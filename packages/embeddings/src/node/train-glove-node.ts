import type { GloveOptions } from '../train/glove/train-glove.js';

/** Options of the Node GloVe trainer: the same as the browser-safe one (both run on `threads` threads). */
export type NodeGloveOptions = GloveOptions;

export { trainGlove } from '../train/glove/train-glove.js';
