// The embeddings kernel module: every export here is one WebAssembly export (see src/simd/simd-module.ts).
export { dot } from './dot';
export { adagrad } from './glove-adagrad';
export { gloveEpoch } from './glove-epoch';
export { axpy, update, update0 } from './sgns-update';
export { trainSentences } from './word2vec-train';
