export { ModelFileError } from './errors/model-file-error.js';
export { TextDecodeError } from './errors/text-decode-error.js';
export { TrainingDivergedError } from './errors/training-diverged-error.js';
export { VectorFileError } from './errors/vector-file-error.js';
export { WordNotInVocabularyError } from './errors/word-not-in-vocabulary-error.js';
export { averageRanks, pearson, spearman } from './evaluate/correlation.js';
export {
  type AnalogyEvaluation,
  type AnalogyScore,
  evaluateWordAnalogies,
  type WordAnalogyOptions,
} from './evaluate/word-analogies.js';
export { evaluateWordPairs, type WordPairEvaluation, type WordPairOptions } from './evaluate/word-pairs.js';
export { decodeText, type TextEncoding, type UnicodeErrors } from './io/decode-text.js';
export {
  type ProjectorTsv,
  type ReadProjectorTsvOptions,
  readProjectorTsv,
} from './io/read-projector-tsv.js';
export { type ReadVectorsOptions, readVectors, type VectorFormat } from './io/read-vectors.js';
export { assertWritable, encodeVectors, formatFloat32 } from './io/write-vectors.js';
export {
  KeyedVectors,
  type MostSimilarOptions,
  type SimilarWord,
  type WordOrVector,
} from './keyed-vectors.js';
export { type BuildVocabOptions, Word2Vec, type Word2VecTrainOptions } from './model/word2vec-model.js';
export {
  type BookTrainingData,
  type BookTrainingDataOptions,
  createTrainingData,
} from './train/book/create-training-data.js';
export {
  type BookTrainerOptions,
  type BookTrainerResult,
  trainBookCbow,
  trainBookSkipGram,
} from './train/book/train-book.js';
export { buildCooccurrence, type CooccurrenceOptions } from './train/cooccurrence/build-cooccurrence.js';
export { CooccurrenceMatrix } from './train/cooccurrence/cooccurrence-matrix.js';
export { gloveWeight } from './train/glove/glove-kernel.js';
export { type GloveOptions, type GloveResult, gloveCost, trainGlove } from './train/glove/train-glove.js';
export { type GloveCorpusOptions, trainGloveOnCorpus } from './train/glove/train-glove-corpus.js';
export { type SvdEmbeddingOptions, svdEmbeddings } from './train/svd/svd-embeddings.js';
export {
  denseOperator,
  type LinearOperator,
  type TruncatedSvd,
  type TruncatedSvdOptions,
  truncatedSvd,
} from './train/svd/truncated-svd.js';
export { assertCorpus, type SentenceSource } from './train/word2vec-engine/corpus-scan.js';
export type { EngineMemory } from './train/word2vec-engine/engine-memory.js';
export { buildHuffmanTree, type HuffmanTree } from './train/word2vec-engine/huffman.js';
export { type EngineState, type KernelResult, trainSentences } from './train/word2vec-engine/kernel.js';
export {
  type EpochReport,
  MAX_NEGATIVE,
  trainWord2Vec,
  type Word2VecOptions,
  type Word2VecResult,
} from './train/word2vec-engine/train-word2vec.js';
export { buildUnigramTable } from './train/word2vec-engine/unigram-table.js';
