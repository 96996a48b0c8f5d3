/**
 * How much work each stage of the tour does. The defaults fit the whole tour in well under 10 minutes on
 * a 2-core machine (each stage's budget is noted); {@link TINY_SIZES} makes a complete, small `out/` in
 * seconds (the web page's end-to-end test uses it).
 */
export interface TourSizes {
  /** Corpus of the search, skip-gram and GloVe stages (a `@wordloom/datasets` name). @default 'gutenberg' */
  corpus: string;
  /** Search hits shown per query. @default 5 */
  searchTop: number;
  /** Skip-gram vector size. @default 100 */
  skipGramDim: number;
  /** Skip-gram passes over the corpus (~7 s each on Gutenberg with 2 threads). @default 5 */
  skipGramEpochs: number;
  /** Words seen fewer times are dropped before skip-gram and GloVe. @default 5 */
  minCount: number;
  /** GloVe vector size. @default 100 */
  gloveDim: number;
  /** GloVe passes over the co-occurrences (~3.5 s each at dim 100 on Gutenberg with 2 threads). @default 10 */
  gloveEpochs: number;
  /** Words drawn in the t-SNE map of the skip-gram vectors (most frequent first). @default 500 */
  mapWords: number;
  /** MNIST test digits drawn in the t-SNE map of raw pixels. @default 2000 */
  mapDigits: number;
  /** t-SNE gradient steps of both maps. @default 1000 */
  tsneIterations: number;
  /** Most frequent words whose vectors the web page loads (neighbours, analogies). @default 20000 */
  projectorWords: number;
  /** MNIST training images for the LSTM (Listing 4-3 uses all 60,000; ~0.08 s per batch of 128 with the SIMD kernels). @default 60000 */
  mnistTrain: number;
  /** MNIST test images the accuracy is measured on. @default 10000 */
  mnistTest: number;
  /** LSTM hidden units of the MNIST classifier (Listing 4-3: 128). @default 128 */
  mnistUnits: number;
  /** Passes over the MNIST training subset (Listing 4-3 trains 2 epochs; ≈ 96% test accuracy). @default 2 */
  mnistEpochs: number;
  /** Units per layer of the 2-layer Alice language model (Listing 4-4 uses 512; 128 learns the passage as well, 10× faster). @default 128 */
  lmUnits: number;
  /** Passes over the Alice passage's 343 windows (batches of 32, Adam 0.01). @default 40 */
  lmEpochs: number;
  /** Epochs of the 2-layer LSTM (lmUnits units) fit on the first 90% of Alice in Wonderland and scored on the last 10% (~10 s each at 128 units). @default 5 */
  lmHeldOutEpochs: number;
  /** Words the language model appends to the prompt (Listing 4-4: 28). @default 28 */
  completionWords: number;
  /** Worker threads of skip-gram and GloVe. @default 2 */
  threads: number;
}

/** The tour's defaults (see {@link TourSizes}). */
export const DEFAULT_SIZES: Readonly<TourSizes> = Object.freeze({
  corpus: 'gutenberg',
  searchTop: 5,
  skipGramDim: 100,
  skipGramEpochs: 5,
  minCount: 5,
  gloveDim: 100,
  gloveEpochs: 10,
  mapWords: 500,
  mapDigits: 2000,
  tsneIterations: 1000,
  projectorWords: 20000,
  mnistTrain: 60000,
  mnistTest: 10000,
  mnistUnits: 128,
  mnistEpochs: 2,
  lmUnits: 128,
  lmEpochs: 40,
  lmHeldOutEpochs: 5,
  completionWords: 28,
  threads: 2,
});

/** A complete but tiny tour (one book, small models): seconds instead of minutes. */
export const TINY_SIZES: Readonly<TourSizes> = Object.freeze({
  corpus: 'carroll-alice',
  searchTop: 3,
  skipGramDim: 32,
  skipGramEpochs: 20,
  minCount: 3,
  gloveDim: 8,
  gloveEpochs: 2,
  mapWords: 150,
  mapDigits: 120,
  tsneIterations: 600,
  projectorWords: 1500,
  mnistTrain: 256,
  mnistTest: 200,
  mnistUnits: 16,
  mnistEpochs: 1,
  lmUnits: 16,
  lmEpochs: 2,
  lmHeldOutEpochs: 1,
  completionWords: 28,
  threads: 1,
});

/** `wordloom tour --help` text of each size flag, and its largest accepted value. */
export const SIZE_FLAGS: Readonly<Record<Exclude<keyof TourSizes, 'corpus'>, { help: string; max: number }>> =
  Object.freeze({
    searchTop: { help: 'search hits shown per query', max: 1000 },
    skipGramDim: { help: 'skip-gram vector size', max: 1000 },
    skipGramEpochs: { help: 'skip-gram passes over the corpus', max: 1000 },
    minCount: { help: 'drop words seen fewer times before skip-gram and GloVe', max: 1_000_000 },
    gloveDim: { help: 'GloVe vector size', max: 1000 },
    gloveEpochs: { help: 'GloVe passes over the co-occurrences', max: 1000 },
    mapWords: { help: 'words drawn in the t-SNE word map', max: 20_000 },
    mapDigits: { help: 'MNIST test digits drawn in the t-SNE digit map', max: 10_000 },
    tsneIterations: { help: 't-SNE gradient steps of both maps', max: 100_000 },
    projectorWords: { help: 'most frequent words the web page loads', max: 1_000_000 },
    mnistTrain: { help: 'MNIST training images for the LSTM', max: 60_000 },
    mnistTest: { help: 'MNIST test images the accuracy is measured on', max: 10_000 },
    mnistUnits: { help: 'LSTM units of the MNIST classifier', max: 4096 },
    mnistEpochs: { help: 'epochs of the MNIST classifier', max: 1000 },
    lmUnits: { help: 'units per layer of the Alice language model', max: 4096 },
    lmEpochs: { help: 'epochs of the Alice language model', max: 100_000 },
    lmHeldOutEpochs: {
      help: 'epochs of the held-out Alice LSTM (last 10% of the book held out)',
      max: 10_000,
    },
    completionWords: { help: 'words the language model appends to the prompt', max: 10_000 },
    threads: { help: 'worker threads of skip-gram and GloVe', max: 256 },
  });
