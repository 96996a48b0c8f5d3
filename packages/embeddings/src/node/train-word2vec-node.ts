import { availableThreads } from '@wordloom/core';
import type { SentenceSource } from '../train/word2vec-engine/corpus-scan.js';
import {
  resolveWord2VecOptions,
  trainWord2Vec as trainWord2VecInMemory,
  type Word2VecOptions,
  type Word2VecResult,
} from '../train/word2vec-engine/train-word2vec.js';
import { type FileSentencesOptions, fileSentences } from './file-sentences.js';

/** A corpus file path (one sentence per line, whitespace tokens) or sentences. */
export type NodeWord2VecCorpus = string | SentenceSource;

/**
 * Options of the Node trainer: those of the browser-safe one plus, for a file corpus, `lowercase`,
 * `encoding` and `unicodeErrors` (see `fileSentences`).
 */
export interface NodeWord2VecOptions extends Word2VecOptions {
  /** Lower-case a file corpus while reading it. @default false */
  lowercase?: boolean;
  /** Encoding of a file corpus. @default 'utf-8' */
  encoding?: FileSentencesOptions['encoding'];
  /** Invalid bytes in a file corpus: refused naming their offset, replaced or dropped. @default 'strict' */
  unicodeErrors?: FileSentencesOptions['unicodeErrors'];
}

const FILE_OPTIONS = ['lowercase', 'encoding', 'unicodeErrors'];

/**
 * word2vec on Node: the browser-safe `trainWord2Vec` (the compiled kernel on `threads` worker threads of
 * `KernelPool`, Hogwild over one shared WebAssembly memory), plus file corpora streamed line by line.
 * `threads: 1` runs on the calling thread and is fully deterministic; more threads are not (update
 * order races), as in gensim.
 */
export async function trainWord2Vec(
  corpus: NodeWord2VecCorpus,
  options: NodeWord2VecOptions = {},
): Promise<Word2VecResult> {
  resolveWord2VecOptions(options, 'trainWord2Vec', FILE_OPTIONS, availableThreads());
  const { lowercase, encoding, unicodeErrors, ...rest } = options;
  const source =
    typeof corpus === 'string'
      ? fileSentences(corpus, {
          ...(lowercase === undefined ? {} : { lowercase }),
          ...(encoding === undefined ? {} : { encoding }),
          ...(unicodeErrors === undefined ? {} : { unicodeErrors }),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : corpus;
  return trainWord2VecInMemory(source, rest);
}
