// @wordloom/datasets for Node: the portable API of `browser.ts` plus the loaders that read files
// (embedded MNIST, Gutenberg books, streaming readers). Browsers resolve the package root to `browser.ts`.

export * from './browser.js';
export { gutenbergDir, loadCorpus, loadCorpusSentences } from './corpora/load-corpus.js';
export {
  type ReadLinesOptions,
  type ReadTextOptions,
  readLines,
  readSentences,
} from './corpora/read-lines.js';
export type { FilePath } from './idx/node-files.js';
// Shadows the portable readIdx of browser.ts with one that also takes file paths.
export { type ReadIdxFileOptions, readIdx, readIdxFile } from './idx/read-idx-file.js';
export { type WriteIdxOptions, writeIdx } from './idx/write-idx-file.js';
export { embeddedMnistDir, MNIST_FILES, MNIST_SHA256 } from './mnist/embedded-mnist.js';
export { type LoadMnistOptions, loadMnist } from './mnist/load-mnist.js';
