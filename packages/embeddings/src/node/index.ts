export { type FileSentencesOptions, fileSentences } from './file-sentences.js';
export type { NodeGloveOptions } from './train-glove-node.js';
export { trainGlove } from './train-glove-node.js';
export type { NodeWord2VecCorpus, NodeWord2VecOptions } from './train-word2vec-node.js';
export { trainWord2Vec } from './train-word2vec-node.js';
export type { LoadVectorsOptions, LoadWord2VecOptions } from './vector-files.js';
export {
  loadVectors,
  loadWord2VecFormat,
  readTextFile,
  saveVectors,
  saveWord2VecFormat,
} from './vector-files.js';
export { type LoadWord2VecModelOptions, loadWord2Vec, saveWord2Vec } from './word2vec-model-files.js';
