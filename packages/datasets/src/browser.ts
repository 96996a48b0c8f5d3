// @wordloom/datasets for browsers and other non-Node runtimes: everything that needs no file system.
// Node resolves the package root to `index.ts`, which re-exports all of this plus the file loaders.

export { type BatchesOptions, batchCount, batches } from './batching/batches.js';
export { type BatchesAsyncOptions, batchesAsync } from './batching/batches-async.js';
export type { Batchable, Subset } from './batching/select.js';
export { type SeedOptions, shuffle, shuffledIndices } from './batching/shuffle.js';
export { type TrainValidationSplitOptions, trainValidationSplit } from './batching/train-validation-split.js';
export {
  CHAPTER_ALICE,
  CHAPTER_DEEP_LEARNING,
  CHAPTER_DEEP_LEARNING_SKIP_GRAM,
  CHAPTER_THREE_SENTENCES,
} from './corpora/chapter-corpora.js';
export { type CorpusInfo, type CorpusSource, GUTENBERG_BOOKS, listCorpora } from './corpora/list-corpora.js';
export {
  type SentenceOptions,
  SentenceSplitter,
  tokenizeSentences,
  tokenizeWords,
} from './corpora/sentences.js';
export { stripGutenbergHeader } from './corpora/strip-gutenberg.js';
export {
  type ByteChunks,
  type LinesOptions,
  linesOf,
  sentencesOf,
  type TextStreamOptions,
} from './corpora/text-stream.js';
export { CorruptFileError } from './errors/corrupt-file-error.js';
export { isGzip } from './idx/gzip-web.js';
export type { IdxArray, IdxDtype, IdxTypedArray, IdxTypedArrays } from './idx/idx-dtype.js';
export {
  type IdxBytesSource,
  type IdxHeader,
  type ParseIdxOptions,
  parseIdx,
  parseIdxHeader,
  readIdx,
} from './idx/read-idx.js';
export { encodeIdx, type IdxInput } from './idx/write-idx.js';
export {
  isMnistSet,
  type MnistDtype,
  type MnistFromIdxOptions,
  type MnistSet,
  mnistFromIdx,
  selectMnist,
} from './mnist/mnist-set.js';
export { type MnistToTensorsOptions, mnistToTensors } from './mnist/mnist-to-tensors.js';
