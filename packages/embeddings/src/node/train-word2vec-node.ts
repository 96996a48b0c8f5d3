import { Random } from '@wordloom/core';
import type { SentenceSource } from '../train/word2vec-engine/corpus-scan.js';
import {
  checkDivergence,
  prepareWord2Vec,
  resolveWord2VecOptions,
  trainWord2Vec as trainWord2VecSingle,
  type Word2VecOptions,
  type Word2VecResult,
  word2vecResult,
} from '../train/word2vec-engine/train-word2vec.js';
import { type FileSentencesOptions, fileSentences } from './file-sentences.js';
import { WorkerPool } from './run-workers.js';

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
 * word2vec on Node: like the browser-safe `trainWord2Vec`, plus file corpora (streamed line by line)
 * and `threads > 1` — worker_threads updating weights in SharedArrayBuffers without locks (Hogwild,
 * Recht et al. 2011), each on a contiguous share of the sentences. `threads: 1` runs on the calling
 * thread and is fully deterministic; more threads are not (update order races), as in gensim.
 */
export async function trainWord2Vec(
  corpus: NodeWord2VecCorpus,
  options: NodeWord2VecOptions = {},
): Promise<Word2VecResult> {
  const o = resolveWord2VecOptions(options, 'trainWord2Vec', FILE_OPTIONS);
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
  if (o.threads === 1) return trainWord2VecSingle(source, rest);
  o.signal?.throwIfAborted();
  const start = performance.now();
  const prepared = await prepareWord2Vec(source, o, (bytes) => new SharedArrayBuffer(bytes), true);
  const { state } = prepared;
  const sentences = state.starts.length - 1;
  const total = state.starts[sentences];
  const seeds = new Random(o.seed ^ 0x5bd1e995);
  const bounds = [0];
  for (let t = 1; t < o.threads; t++) {
    let s = bounds[t - 1];
    while (s < sentences && state.starts[s] < (total * t) / o.threads) s++;
    bounds.push(s);
  }
  bounds.push(sentences);
  const pool = new WorkerPool(
    bounds.slice(0, -1).map((from, t) => ({
      kind: 'word2vec' as const,
      state,
      thread: t,
      from,
      to: bounds[t + 1],
      seed: seeds.nextUint32(),
      alpha: o.alpha,
      minAlpha: o.minAlpha,
      epochs: o.epochs,
    })),
  );
  const lossPerEpoch: number[] = [];
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const t0 = performance.now();
      const r = await pool.epoch(epoch, (f) => o.onProgress?.((epoch + f) / o.epochs), o.signal);
      const mean = r.pairs > 0 ? r.loss / r.pairs : 0;
      checkDivergence(state, epoch, mean, true);
      lossPerEpoch.push(mean);
      o.onEpoch?.({
        epoch: epoch + 1,
        epochs: o.epochs,
        loss: mean,
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    await pool.close();
  }
  return word2vecResult(prepared, lossPerEpoch, (performance.now() - start) / 1000, o.epochs);
}
