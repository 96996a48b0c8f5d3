// The embeddings kernel module: every export here is one WebAssembly export (see src/simd/simd-module.ts).
export { dot, dot2, dot3 } from './dot';
export { adagrad } from './glove-adagrad';
export { gloveEpoch } from './glove-epoch';
export { axpy, update, update0, update1, update2, update3 } from './sgns-update';
export { trainSentences } from './word2vec-train';
