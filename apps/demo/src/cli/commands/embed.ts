import { stat } from 'node:fs/promises';
import { InvalidArgumentError } from '@wordloom/core';
import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import {
  choiceFlag,
  FlagError,
  numberFlag,
  outputFileFlag,
  requiredIntegerFlag,
  requiredNumberFlag,
} from '../flags.js';
import { sanitizeForTerminal } from '../report-error.js';

// Only commander, @wordloom/core and local files load at start-up (`wordloom --help` stays fast); tfjs,
// @wordloom/datasets and @wordloom/embeddings are imported inside the actions.

/** Short names accepted by `--corpus` besides the dataset names. */
const ALIASES: Record<string, string> = { alice: 'carroll-alice' };

const METHODS = ['cbow', 'skipgram', 'glove', 'svd'] as const;
const LOSSES = ['ns', 'hs', 'softmax'] as const;
const FORMATS = ['word2vec-bin', 'word2vec-txt', 'glove'] as const;
const ENCODINGS = ['utf-8', 'latin1'] as const;
const UNICODE_ERRORS = ['strict', 'replace', 'ignore'] as const;

/** Largest sizes the command accepts: beyond them a run never ends or never fits in memory. */
const LIMITS = { dim: 4096, window: 1000, negative: 1000, epochs: 10_000, threads: 256 };
/** The full-softmax model holds its one-hot inputs densely (records × vocabulary floats). */
const SOFTMAX_MAX_BYTES = 256 * 2 ** 20;
/** …and its dense matmuls: more multiply-adds than this would run for hours. */
const SOFTMAX_MAX_WORK = 1e12;

interface TrainFlags {
  method: string;
  loss: string;
  corpus: string;
  dim: string;
  window: string;
  negative: string;
  sample: string;
  minCount: string;
  epochs?: string;
  threads: string;
  lowercase: boolean;
  ppmi: boolean;
  out: string;
  /** Absent: from the extension of `out` ({@link formatForOut}). */
  format?: string;
  encoding: string;
  unicodeErrors: string;
  xMax: string;
  alpha: string;
  eta: string;
}

type SentenceSource = AsyncIterable<readonly string[]>;

/** `--corpus`: a file (one sentence per line) or a corpus of @wordloom/datasets. */
async function corpusSource(flags: TrainFlags, signal: AbortSignal): Promise<SentenceSource> {
  const isFile = await stat(flags.corpus).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isFile) {
    const { fileSentences } = await import('@wordloom/embeddings/node');
    return fileSentences(flags.corpus, {
      lowercase: flags.lowercase,
      encoding: choiceFlag(flags.encoding, '--encoding', ENCODINGS),
      unicodeErrors: choiceFlag(flags.unicodeErrors, '--unicode-errors', UNICODE_ERRORS),
      signal,
    });
  }
  const { listCorpora, loadCorpusSentences } = await import('@wordloom/datasets');
  const name = ALIASES[flags.corpus] ?? flags.corpus;
  const names = listCorpora().map((c) => c.name);
  if (!names.includes(name))
    throw new FlagError(
      '--corpus',
      `no such file or corpus: ${JSON.stringify(flags.corpus)} (expected an existing file or one of alice, ${names.join(', ')})`,
    );
  return {
    async *[Symbol.asyncIterator]() {
      yield* await loadCorpusSentences(name, { lowercase: flags.lowercase });
    },
  };
}

async function countTokens(source: SentenceSource): Promise<number> {
  let n = 0;
  for await (const s of source) n += s.length;
  return n;
}

interface Summary {
  tokens: number;
  vocab: number;
  seconds: number;
  /** Raw tokens × epochs / seconds; null for GloVe and SVD, which do not pass over the text. */
  wordsPerSecond: number | null;
  lossPerEpoch: number[];
}

async function train(ctx: CliContext, flags: TrainFlags): Promise<void> {
  try {
    await trainVectors(ctx, flags);
  } catch (error) {
    const { TextDecodeError } = await import('@wordloom/embeddings');
    if (!TextDecodeError.isInstance(error)) throw error;
    // Say it in the command's words: the flags, not the library's option names.
    const byte = `byte 0x${error.byte.toString(16).padStart(2, '0').toUpperCase()}`;
    throw new FlagError(
      '--corpus',
      `${error.source}: ${byte} at offset ${error.offset} is not valid ${flags.encoding} (pass --encoding latin1, or --unicode-errors replace or ignore)`,
      { cause: error },
    );
  }
}

/**
 * The format of `--out` when `--format` is not given: word2vec text for a `.txt` or `.vec` name (what
 * gensim's `save_word2vec_format` writes by default, and what such a name promises), else word2vec binary.
 */
function formatForOut(out: string): 'word2vec-txt' | 'word2vec-bin' {
  return /\.(txt|vec)$/i.test(out) ? 'word2vec-txt' : 'word2vec-bin';
}

async function trainVectors(ctx: CliContext, flags: TrainFlags): Promise<void> {
  const method = choiceFlag(flags.method, '--method', METHODS);
  const loss = choiceFlag(flags.loss, '--loss', LOSSES);
  const format =
    flags.format === undefined ? formatForOut(flags.out) : choiceFlag(flags.format, '--format', FORMATS);
  const dim = requiredIntegerFlag(flags.dim, '--dim', { min: 1, max: LIMITS.dim });
  const window = requiredIntegerFlag(flags.window, '--window', { min: 1, max: LIMITS.window });
  const defaultEpochs = method === 'glove' ? '15' : '5';
  const epochs = requiredIntegerFlag(flags.epochs ?? defaultEpochs, '--epochs', {
    min: 1,
    max: LIMITS.epochs,
  });
  const minCount = requiredIntegerFlag(flags.minCount, '--min-count', { min: 1 });
  const threads = requiredIntegerFlag(flags.threads, '--threads', { min: 1, max: LIMITS.threads });
  const negative = requiredIntegerFlag(flags.negative, '--negative', { min: 1, max: LIMITS.negative });
  const sample = requiredNumberFlag(flags.sample, '--sample', { min: 0, max: 1 });
  const xMax = requiredNumberFlag(flags.xMax, '--x-max', { min: 0, exclusiveMin: true });
  const alpha = requiredNumberFlag(flags.alpha, '--alpha', { min: 0 });
  const eta = numberFlag(flags.eta, '--eta', { min: 0, exclusiveMin: true }) ?? 0.05;
  choiceFlag(flags.encoding, '--encoding', ENCODINGS);
  choiceFlag(flags.unicodeErrors, '--unicode-errors', UNICODE_ERRORS);
  const out = await outputFileFlag(flags.out, '--out');
  const { signal } = ctx;
  const source = await corpusSource(flags, signal);
  const emb = await import('@wordloom/embeddings');
  const node = await import('@wordloom/embeddings/node');

  let vectors: import('@wordloom/embeddings').KeyedVectors;
  let summary: Summary;
  let costName = 'loss';
  let backend = 'typed arrays (no tfjs)';
  const start = performance.now();
  if ((method === 'cbow' || method === 'skipgram') && loss !== 'softmax') {
    const progress = ctx.progress(`embed ${method}`, epochs);
    try {
      const r = await node.trainWord2Vec(source, {
        architecture: method,
        loss,
        dim,
        window,
        negative,
        sample,
        minCount,
        epochs,
        threads,
        seed: ctx.seed,
        signal,
        onEpoch: (e) => progress.update(e.epoch, `loss ${e.loss.toPrecision(5)}`),
      });
      vectors = r.vectors;
      summary = {
        tokens: r.tokens,
        vocab: r.vocab,
        seconds: r.seconds,
        wordsPerSecond: r.wordsPerSecond,
        lossPerEpoch: r.lossPerEpoch,
      };
    } finally {
      progress.stop();
    }
  } else if (method === 'cbow' || method === 'skipgram') {
    // The chapter's full-softmax model (Listings 4-1a/b) on tfjs: sentences joined back with '.'.
    const sentences: string[] = [];
    const vocabulary = new Set<string>();
    let tokens = 0;
    for await (const s of source) {
      sentences.push(s.join(' '));
      for (const w of s) vocabulary.add(flags.lowercase ? w.toLowerCase() : w);
      tokens += s.length;
    }
    // Records are at most one per (word, neighbour) pair; each holds a one-hot row of the vocabulary.
    const bytes = tokens * 2 * window * vocabulary.size * 4;
    if (bytes > SOFTMAX_MAX_BYTES)
      throw new FlagError(
        '--loss',
        `softmax trains the chapter's dense model, whose one-hot inputs for this corpus (${tokens} tokens, ${vocabulary.size} words, window ${window}) take up to ${Math.ceil(bytes / 2 ** 20)} MiB; the limit is ${SOFTMAX_MAX_BYTES / 2 ** 20} MiB (use --loss ns or hs for real corpora)`,
      );
    // Two matmuls forward and four backward over R × V × dim per epoch: refuse hours of work up front.
    const work = 6 * tokens * 2 * window * vocabulary.size * dim * epochs;
    if (work > SOFTMAX_MAX_WORK)
      throw new FlagError(
        '--loss',
        `softmax on this corpus (${tokens} tokens, ${vocabulary.size} words) at --dim ${dim} for ${epochs} epochs needs up to ${work.toExponential(1)} multiply-adds; the limit is ${SOFTMAX_MAX_WORK.toExponential(0)} (minutes on a CPU): use --loss ns or hs, or fewer --epochs or a smaller --dim`,
      );
    backend = (await ctx.useBackend()).name;
    const tf = await import('@tensorflow/tfjs-core');
    await tf.ready();
    const trainer = method === 'cbow' ? emb.trainBookCbow : emb.trainBookSkipGram;
    const progress = ctx.progress(`embed ${method}`, epochs);
    try {
      const r = trainer(sentences.join(' . '), {
        dim,
        windowSize: window,
        epochs,
        seed: ctx.seed,
        gradients: 'analytic',
        lowercase: flags.lowercase,
        signal,
        onEpoch: (epoch, l) => progress.update(epoch, `loss ${l.toPrecision(5)}`),
      });
      vectors = r.vectors;
      const seconds = (performance.now() - start) / 1000;
      summary = {
        tokens,
        vocab: r.vectors.size,
        seconds,
        wordsPerSecond: (tokens * epochs) / seconds,
        lossPerEpoch: r.lossPerEpoch,
      };
    } finally {
      progress.stop();
    }
  } else {
    ctx.log(`counting co-occurrences (window ${window}, 1/k weighting)…`);
    const matrix = await emb.buildCooccurrence(source, { window, weighting: 'harmonic', minCount });
    const tokens = await countTokens(source);
    if (method === 'glove') {
      costName = "cost (glove.c's ½Σf(X)·diff² / non-zeros)";
      const progress = ctx.progress('embed glove', epochs);
      try {
        const r = await node.trainGlove(matrix, {
          dim,
          epochs,
          threads,
          xMax,
          alpha,
          learningRate: eta,
          seed: ctx.seed,
          signal,
          onEpoch: (e) => progress.update(e.epoch, `cost ${(e.entryCost ?? e.loss).toPrecision(5)}`),
        });
        vectors = r.vectors;
        summary = {
          tokens,
          vocab: matrix.size,
          seconds: (performance.now() - start) / 1000,
          wordsPerSecond: null,
          lossPerEpoch: r.entryCostPerEpoch,
        };
      } finally {
        progress.stop();
      }
    } else {
      ctx.log(`truncated SVD of the ${matrix.size}×${matrix.size} matrix (${matrix.nonZeros} non-zeros)…`);
      vectors = emb.svdEmbeddings(flags.ppmi ? matrix.ppmi() : matrix, { dim, seed: ctx.seed }).vectors;
      summary = {
        tokens,
        vocab: matrix.size,
        seconds: (performance.now() - start) / 1000,
        wordsPerSecond: null,
        lossPerEpoch: [],
      };
    }
  }
  await node.saveVectors(out, vectors, format);
  const rate = summary.wordsPerSecond === null ? '' : `${Math.round(summary.wordsPerSecond)} words/s, `;
  ctx.print(
    [
      `trained ${method}${method === 'cbow' || method === 'skipgram' ? `/${loss}` : ''} on ${summary.tokens} tokens: ${summary.vocab} words × ${vectors.dim} dims in ${summary.seconds.toFixed(2)} s (${rate}${backend})`,
      ...(summary.lossPerEpoch.length > 0
        ? [`${costName} per epoch: ${summary.lossPerEpoch.map((l) => l.toPrecision(5)).join(', ')}`]
        : []),
      `wrote ${sanitizeForTerminal(flags.out)} (${format})`,
    ],
    { ...summary, backend, ...(method === 'glove' ? { xMax, alpha, eta, epochs } : {}) },
  );
}

/** Loads `--vectors` with the decoding flags. */
async function loadVectorsFlag(flags: { vectors: string; unicodeErrors: string; encoding: string }) {
  const { loadVectors } = await import('@wordloom/embeddings/node');
  return loadVectors(flags.vectors, {
    encoding: choiceFlag(flags.encoding, '--encoding', ENCODINGS),
    unicodeErrors: choiceFlag(flags.unicodeErrors, '--unicode-errors', UNICODE_ERRORS),
  });
}

interface AnalogyFlags {
  vectors: string;
  questions?: string;
  a?: string;
  b?: string;
  c?: string;
  top: string;
  restrict: string;
  caseSensitive: boolean;
  encoding: string;
  unicodeErrors: string;
}

async function analogy(ctx: CliContext, flags: AnalogyFlags): Promise<void> {
  const restrictVocab = requiredIntegerFlag(flags.restrict, '--restrict', { min: 1 });
  const topN = requiredIntegerFlag(flags.top, '--top', { min: 1, max: 1000 });
  const safe = sanitizeForTerminal;
  if (flags.questions) {
    const { readTextFile } = await import('@wordloom/embeddings/node');
    const questions = await readTextFile(flags.questions).catch((error: NodeJS.ErrnoException) => {
      throw new FlagError('--questions', `cannot read ${flags.questions}: ${error.code ?? error.message}`);
    });
    const backend = await ctx.useBackend();
    const vectors = await loadVectorsFlag(flags);
    const r = vectors.evaluateWordAnalogies(questions, {
      restrictVocab,
      caseInsensitive: !flags.caseSensitive,
    });
    const { section: _total, ...accuracy } = r;
    ctx.print(
      [
        // Section names come from the file: a binary or hostile file must not drive the terminal.
        ...r.sections.map(
          (s) =>
            `${safe(s.section)}: ${s.correct}/${s.total} = ${(100 * s.accuracy).toFixed(1)}%${s.oov ? ` (${s.oov} skipped, unknown words)` : ''}`,
        ),
        `total: ${r.correct}/${r.total} = ${(100 * r.accuracy).toFixed(1)}% (${r.oov} skipped; backend ${backend.name})`,
      ],
      accuracy,
    );
    return;
  }
  if (!flags.a || !flags.b || !flags.c)
    throw new FlagError('--questions', 'missing (expected --questions FILE, or all of --a, --b and --c)');
  const vectors = await loadVectorsFlag(flags);
  const answers = vectors.mostSimilar({
    positive: [flags.b, flags.c],
    negative: [flags.a],
    topN,
    restrictVocab,
  });
  ctx.print(
    answers.map(
      (s) =>
        `${safe(flags.a!)} : ${safe(flags.b!)} :: ${safe(flags.c!)} : ${safe(s.word)} (${s.similarity.toFixed(4)})`,
    ),
    { a: flags.a, b: flags.b, c: flags.c, answers },
  );
}

/** `wordloom embed`: train word vectors (word2vec, GloVe, SVD) and query them. */
export function registerEmbed(program: Command): void {
  const embed = program
    .command('embed')
    .description('train word vectors (word2vec, GloVe, SVD) and query them');
  embed
    .command('train')
    .description('train word vectors on a corpus and write them to a file (progress on stderr)')
    .option('--method <method>', 'cbow, skipgram, glove or svd', 'skipgram')
    .option(
      '--loss <loss>',
      "cbow/skipgram: ns (negative sampling), hs (hierarchical softmax) or softmax (the chapter's full-softmax model, small corpora)",
      'ns',
    )
    .requiredOption(
      '--corpus <corpus>',
      'a file with one sentence per line (white-space tokens), or gutenberg, alice, carroll-alice, …',
    )
    .option('--encoding <name>', 'encoding of a --corpus file: utf-8 or latin1', 'utf-8')
    .option(
      '--unicode-errors <mode>',
      'bytes not valid in --encoding: strict (refuse, naming the offset), replace or ignore',
      'strict',
    )
    .option('--dim <n>', `vector size (at most ${LIMITS.dim})`, '100')
    .option('--window <n>', `context window (at most ${LIMITS.window})`, '5')
    .option('--negative <n>', `negative samples (ns; at most ${LIMITS.negative})`, '5')
    .option('--sample <x>', 'subsampling threshold of frequent words', '1e-3')
    .option('--min-count <n>', 'drop words seen fewer times', '5')
    .option('--epochs <n>', 'passes over the corpus (default: 5; glove: 15, as Stanford demo.sh)')
    .option('--threads <n>', 'worker threads (1 = deterministic)', '1')
    .option('--x-max <x>', 'glove: cut-off of the weighting (x/x_max)^alpha (Stanford demo.sh)', '10')
    .option('--alpha <x>', 'glove: exponent of the weighting', '0.75')
    .option('--eta <x>', 'glove: AdaGrad initial learning rate', '0.05')
    .option('--lowercase', 'lower-case the corpus', false)
    .option('--ppmi', 'svd: factorise the PPMI matrix instead of the counts', false)
    .requiredOption('--out <file>', 'where to write the vectors (checked before training)')
    .option(
      '--format <format>',
      'word2vec-bin, word2vec-txt or glove (default: word2vec-txt for a .txt or .vec --out, else word2vec-bin)',
    )
    .action(action((ctx, flags: TrainFlags) => train(ctx, flags)));

  embed
    .command('similar')
    .description('nearest words to a word by cosine similarity')
    .requiredOption('--vectors <file>', 'word2vec binary/text or GloVe file')
    .requiredOption('--word <word>', 'the query word')
    .option('--top <n>', 'how many neighbours', '10')
    .option('--encoding <name>', 'encoding of the words in --vectors: utf-8 or latin1', 'utf-8')
    .option('--unicode-errors <mode>', 'invalid bytes in words: strict, replace or ignore', 'strict')
    .action(
      action(
        async (
          ctx,
          flags: { vectors: string; word: string; top: string; encoding: string; unicodeErrors: string },
        ) => {
          const topN = requiredIntegerFlag(flags.top, '--top', { min: 1, max: 100_000 });
          const vectors = await loadVectorsFlag(flags);
          if (!vectors.has(flags.word))
            throw new InvalidArgumentError(
              '--word',
              'embed similar',
              `a word of ${flags.vectors} (${vectors.size} words)`,
              flags.word,
            );
          const similar = vectors.mostSimilar({ positive: [flags.word], topN });
          ctx.print(
            similar.map((s) => `${sanitizeForTerminal(s.word)}\t${s.similarity.toFixed(4)}`),
            { word: flags.word, similar },
          );
        },
      ),
    );

  embed
    .command('analogy')
    .description('a is to b as c is to ?, or accuracy on a questions-words file')
    .requiredOption('--vectors <file>', 'word2vec binary/text or GloVe file')
    .option('--questions <file>', 'analogy questions (": section" lines, then "a b c d" lines)')
    .option('--a <word>', 'a (e.g. man)')
    .option('--b <word>', 'b (e.g. king)')
    .option('--c <word>', 'c (e.g. woman)')
    .option('--top <n>', 'answers to show for --a/--b/--c', '1')
    .option('--restrict <n>', 'only the first N words count (most frequent first)', '30000')
    .option('--case-sensitive', 'compare words as written (gensim: case_insensitive=False)', false)
    .option('--encoding <name>', 'encoding of the words in --vectors: utf-8 or latin1', 'utf-8')
    .option('--unicode-errors <mode>', 'invalid bytes in words: strict, replace or ignore', 'strict')
    .action(action((ctx, flags: AnalogyFlags) => analogy(ctx, flags)));
}
