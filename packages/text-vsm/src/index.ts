export { Bm25 } from './bm25/bm25.js';
export {
  BM25_VARIANTS,
  type Bm25Options,
  type Bm25Parameters,
  type Bm25Variant,
  bm25IdfTable,
  bm25Parameters,
  bm25RawIdf,
  bm25TermScore,
} from './bm25/bm25-formula.js';
export {
  binaryVectors,
  type CountVectorOptions,
  countVectors,
  oneHotVectors,
  wordByDocumentVectors,
} from './count-vectorizer.js';
export {
  type NextWord,
  type NgramFitOptions,
  NgramLanguageModel,
  type NgramSmoothing,
  SENTENCE_END,
  SENTENCE_START,
  UNKNOWN_WORD,
} from './ngram/ngram-language-model.js';
export {
  type AddDocumentsOptions,
  SEARCH_SCORINGS,
  SearchIndex,
  type SearchIndexOptions,
  type SearchOptions,
  type SearchScoring,
} from './search/search-index.js';
export type { SearchHit } from './search/top-k-heap.js';
export {
  cosineDistance,
  cosineDistances,
  cosineSimilarities,
  cosineSimilarity,
  cosineSimilarityTensor,
  dotProduct,
  dotProducts,
  dotProductTensor,
  type VectorLike,
} from './similarity.js';
export { SparseMatrix, type SparseVector } from './sparse/sparse-matrix.js';
export {
  type IdfKind,
  inverseDocumentFrequency,
  type NormKind,
  TfIdf,
  type TfTransform,
  transformTf,
  type WeightingOptions,
} from './tf-idf.js';
export { ENGLISH_STOP_WORDS } from './tokenize/stop-words.js';
export {
  createTokenizer,
  foldCase,
  type ResolvedTokenizerOptions,
  SKLEARN_TOKEN_PATTERN,
  type Tokenizer,
  type TokenizerOptions,
  tokenize,
} from './tokenize/tokenizer.js';
export { compareCodePoints, Vocabulary, type VocabularyJson, type VocabularyOptions } from './vocabulary.js';
