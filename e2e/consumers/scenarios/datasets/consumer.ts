// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20). Only the
// portable API: bundler resolution picks the browser entry, which has no file loaders.
import type { Tensor } from '@tensorflow/tfjs-core';
import {
  type CorpusInfo,
  encodeIdx,
  type IdxArray,
  listCorpora,
  type MnistSet,
  mnistFromIdx,
  mnistToTensors,
  parseIdx,
  shuffle,
  tokenizeSentences,
} from '@wordloom/datasets';

const corpora: CorpusInfo[] = listCorpora();
const source: 'gutenberg' | 'chapter' = corpora[0].source;
const bytes: Uint8Array = encodeIdx({ shape: [2, 2], data: new Uint8Array([0, 255, 255, 0]) });
const parsed: IdxArray = parseIdx(bytes);
const set: MnistSet = mnistFromIdx(
  parseIdx(encodeIdx({ shape: [1, 2, 2], data: new Uint8Array(4) })),
  parseIdx(encodeIdx({ shape: [1], data: new Uint8Array([3]) })),
);
const tensors: { xs: Tensor; ys: Tensor } = mnistToTensors(set, { oneHot: true, shape: 'flat' });
const sentences: string[][] = tokenizeSentences('I like TensorFlow. I prefer Python.');
const shuffled = shuffle([1, 2, 3], { seed: 1 });

// @ts-expect-error `shape` is 'flat', 'image' or 'sequence'
mnistToTensors(set, { shape: 'cube' });

export { parsed, sentences, shuffled, source, tensors };
