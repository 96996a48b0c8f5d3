import { assertInteger, assertOneOf } from '@wordloom/core';

/** Options of {@link createTrainingData}. */
export interface BookTrainingDataOptions {
  /** Words on each side of the centre (the listings' WINDOW_SIZE). @default 2 */
  windowSize?: number;
  /** Lower-case the corpus first (`corpus_raw.lower()` in the listings). @default true */
  lowercase?: boolean;
  /**
   * CBOW input: `'listing'` reproduces Listing 4-1a's `for i in xrange(WINDOW_SIZE-1)` — only the
   * FIRST context word's one-hot, divided by the number of context words; `'mean'` is the average of
   * all context one-hots that the text describes.
   * @default 'listing'
   */
  contextInput?: 'listing' | 'mean';
}

/** Training records as dense rows, as `create_training_data` returns them. */
export interface BookTrainingData {
  /** Vocabulary in first-occurrence order (the listing uses a Python `set`, whose order varies). */
  words: string[];
  /** Row-major `records × V` inputs (one-hot, or scaled/averaged context one-hots for CBOW). */
  inputs: Float32Array;
  /** Target word index of each record. */
  targets: Int32Array;
  records: number;
}

/**
 * The chapter's `create_training_data` (Listings 4-1a/b), keeping its semantics and its bugs:
 * sentences are `corpus.split('.')`, tokens `sentence.split()` (commas stay attached), and the window is
 * `sent[max(i−W, 0) : min(i+W, len)+1]` minus every token equal to the centre word (`if nb_w != w`, not
 * just the centre position).
 *
 * Skip-gram records are (centre, neighbour) pairs. CBOW (Listing 4-1a) has two more quirks reproduced
 * here: `data_recs.append([rec, w])` sits inside the neighbour loop, so each record is appended once
 * per token of the window slice (all copies share the final context list); and the input sums only
 * `xrange(WINDOW_SIZE-1)` = the first context word (see `contextInput`). Records whose context is empty
 * (a one-word sentence) are skipped — the listing would raise IndexError on them.
 */
export function createTrainingData(
  corpus: string,
  mode: 'cbow' | 'skipgram',
  options: BookTrainingDataOptions = {},
): BookTrainingData {
  assertOneOf(mode, ['cbow', 'skipgram'], 'mode', 'createTrainingData');
  const windowSize = options.windowSize ?? 2;
  assertInteger(windowSize, 'windowSize', 'createTrainingData', 1);
  const contextInput = options.contextInput ?? 'listing';
  assertOneOf(contextInput, ['listing', 'mean'], 'contextInput', 'createTrainingData');
  const text = options.lowercase === false ? corpus : corpus.toLowerCase();
  const sentences = text.split('.').map((s) =>
    s
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((w) => w.split('.')[0]),
  );
  const index = new Map<string, number>();
  for (const s of sentences) for (const w of s) if (!index.has(w)) index.set(w, index.size);
  const v = index.size;
  const recs: Array<{ context: string[]; target: string }> = [];
  for (const sent of sentences)
    sent.forEach((w, ind) => {
      const slice = sent.slice(Math.max(ind - windowSize, 0), Math.min(ind + windowSize, sent.length) + 1);
      const context = slice.filter((nb) => nb !== w);
      if (mode === 'skipgram') for (const nb of context) recs.push({ context: [w], target: nb });
      else if (context.length > 0)
        for (let copy = 0; copy < slice.length; copy++) recs.push({ context, target: w });
    });
  const inputs = new Float32Array(recs.length * v);
  const targets = new Int32Array(recs.length);
  recs.forEach(({ context, target }, r) => {
    targets[r] = index.get(target)!;
    if (mode === 'skipgram') inputs[r * v + index.get(context[0])!] = 1;
    else if (contextInput === 'listing') {
      for (let i = 0; i < windowSize - 1; i++) inputs[r * v + index.get(context[i])!] += 1 / context.length;
    } else for (const c of context) inputs[r * v + index.get(c)!] += 1 / context.length;
  });
  return { words: [...index.keys()], inputs, targets, records: recs.length };
}
