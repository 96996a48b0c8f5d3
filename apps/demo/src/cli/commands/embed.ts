import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError } from '@wordloom/core';
import { listCorpora, loadCorpusSentences } from '@wordloom/datasets';
import {
  buildCooccurrence,
  type KeyedVectors,
  type SentenceSource,
  svdEmbeddings,
  trainBookCbow,
  trainBookSkipGram,
  type VectorFormat,
} from '@wordloom/embeddings';
import {
  fileSentences,
  loadVectors,
  readTextFile,
  saveVectors,
  trainGlove,
  trainWord2Vec,
} from '@wordloom/embeddings/node';
import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

/** Short names accepted by `--corpus` besides the dataset names. */
const ALIASES: Record<string, string> = { alice: 'carroll-alice' };

interface TrainFlags {
  method: string;
  loss: string;
  corpus: string;
  dim: string;
  window: string;
  negative: string;
  sample: string;
  minCount: string;
  epochs: string;
  threads: string;
  lowercase: boolean;
  ppmi: boolean;
  out: string;
  format: string;
}

function int(value: string, flag: string, min: number): number {
  return assertInteger(Number(value), flag, 'embed train', min);
}

/** `--corpus`: a file (one sentence per line) or a corpus of @wordloom/datasets. */
function corpusSource(corpus: string, lowercase: boolean): SentenceSource {
  if (existsSync(corpus)) return fileSentences(corpus, { lowercase });
  const name = ALIASES[corpus] ?? corpus;
  const names = listCorpora().map((c) => c.name);
  if (!names.includes(name))
    throw new InvalidArgumentError(
      '--corpus',
      'embed train',
      `an existing file or one of alice, ${names.join(', ')}`,
      corpus,
    );
  return {
    async *[Symbol.asyncIterator]() {
      yield* await loadCorpusSentences(name, { lowercase });
    },
  };
}

async function countTokens(source: SentenceSource): Promise<number> {
  let n = 0;
  for await (const s of source as AsyncIterable<readonly string[]>) n += s.length;
  return n;
}

async function train(ctx: CliContext, flags: TrainFlags): Promise<void> {
  const method = assertOneOf(flags.method, ['cbow', 'skipgram', 'glove', 'svd'], '--method', 'embed train');
  const loss = assertOneOf(flags.loss, ['ns', 'hs', 'softmax'], '--loss', 'embed train');
  const format = assertOneOf(
    flags.format,
    ['word2vec-bin', 'word2vec-txt', 'glove'],
    '--format',
    'embed train',
  ) as VectorFormat;
  const dim = int(flags.dim, '--dim', 1);
  const window = int(flags.window, '--window', 1);
  const epochs = int(flags.epochs, '--epochs', 1);
  const minCount = int(flags.minCount, '--min-count', 1);
  const threads = int(flags.threads, '--threads', 1);
  const negative = int(flags.negative, '--negative', 1);
  const sample = assertNumber(Number(flags.sample), '--sample', 'embed train', { min: 0 });
  const source = corpusSource(flags.corpus, flags.lowercase);
  const progress = ctx.progress(`embed ${method}`, epochs);
  const onEpoch = (e: { epoch: number; loss: number }) =>
    progress.update(e.epoch, `loss ${e.loss.toPrecision(5)}`);
  let vectors: KeyedVectors;
  let summary: {
    tokens: number;
    vocab: number;
    seconds: number;
    wordsPerSecond: number;
    lossPerEpoch: number[];
  };
  let backend = 'typed arrays (no tfjs)';
  const start = performance.now();
  try {
    if ((method === 'cbow' || method === 'skipgram') && loss !== 'softmax') {
      const r = await trainWord2Vec(source, {
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
        onEpoch,
      });
      vectors = r.vectors;
      summary = {
        tokens: r.tokens,
        vocab: r.vocab,
        seconds: r.seconds,
        wordsPerSecond: r.wordsPerSecond,
        lossPerEpoch: r.lossPerEpoch,
      };
    } else if (method === 'cbow' || method === 'skipgram') {
      // The chapter's full-softmax model (Listings 4-1a/b) on tfjs: sentences joined back with '.'.
      backend = (await ctx.useBackend()).name;
      await tf.ready();
      const sentences: string[] = [];
      for await (const s of source as AsyncIterable<readonly string[]>) sentences.push(s.join(' '));
      const text = sentences.join(' . ');
      const trainer = method === 'cbow' ? trainBookCbow : trainBookSkipGram;
      const r = trainer(text, {
        dim,
        windowSize: window,
        epochs,
        seed: ctx.seed,
        gradients: 'analytic',
        lowercase: flags.lowercase,
        onEpoch: (epoch, l) => onEpoch({ epoch, loss: l }),
      });
      vectors = r.vectors;
      const seconds = (performance.now() - start) / 1000;
      const tokens = sentences.reduce((n, s) => n + s.split(' ').length, 0);
      summary = {
        tokens,
        vocab: r.vectors.size,
        seconds,
        wordsPerSecond: (tokens * epochs) / seconds,
        lossPerEpoch: r.lossPerEpoch,
      };
    } else {
      if (!progress) ctx.log(`counting co-occurrences (window ${window}, 1/k weighting)…`);
      const matrix = await buildCooccurrence(source, { window, weighting: 'harmonic', minCount });
      if (!progress)
        ctx.log(`truncated SVD of the ${matrix.size}×${matrix.size} matrix (${matrix.nonZeros} non-zeros)…`);
      const tokens = await countTokens(source);
      if (method === 'glove') {
        const r = await trainGlove(matrix, { dim, epochs, threads, seed: ctx.seed, onEpoch });
        vectors = r.vectors;
        const seconds = (performance.now() - start) / 1000;
        summary = {
          tokens,
          vocab: matrix.size,
          seconds,
          wordsPerSecond: (tokens * epochs) / seconds,
          lossPerEpoch: r.costPerEpoch,
        };
      } else {
        vectors = svdEmbeddings(flags.ppmi ? matrix.ppmi() : matrix, { dim, seed: ctx.seed }).vectors;
        const seconds = (performance.now() - start) / 1000;
        summary = { tokens, vocab: matrix.size, seconds, wordsPerSecond: tokens / seconds, lossPerEpoch: [] };
      }
    }
  } finally {
    progress?.stop();
  }
  await saveVectors(flags.out, vectors, format);
  ctx.print(
    [
      `trained ${method}${method === 'cbow' || method === 'skipgram' ? `/${loss}` : ''} on ${summary.tokens} tokens: ${summary.vocab} words × ${vectors.dim} dims in ${summary.seconds.toFixed(2)} s (${Math.round(summary.wordsPerSecond)} words/s, ${backend})`,
      ...(summary.lossPerEpoch.length > 0
        ? [`loss per epoch: ${summary.lossPerEpoch.map((l) => l.toPrecision(5)).join(', ')}`]
        : []),
      `wrote ${flags.out} (${format})`,
    ],
    { ...summary, backend },
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
      'a file with one sentence per line (whitespace tokens), or gutenberg, alice, carroll-alice, …',
    )
    .option('--dim <n>', 'vector size', '100')
    .option('--window <n>', 'context window', '5')
    .option('--negative <n>', 'negative samples (ns)', '5')
    .option('--sample <x>', 'subsampling threshold of frequent words', '1e-3')
    .option('--min-count <n>', 'drop words seen fewer times', '5')
    .option('--epochs <n>', 'passes over the corpus', '5')
    .option('--threads <n>', 'worker threads (1 = deterministic)', '1')
    .option('--lowercase', 'lower-case the corpus', false)
    .option('--ppmi', 'svd: factorise the PPMI matrix instead of the counts', false)
    .requiredOption('--out <file>', 'where to write the vectors')
    .option('--format <format>', 'word2vec-bin, word2vec-txt or glove', 'word2vec-bin')
    .action(action((ctx, flags: TrainFlags) => train(ctx, flags)));

  embed
    .command('similar')
    .description('nearest words to a word by cosine similarity')
    .requiredOption('--vectors <file>', 'word2vec binary/text or GloVe file')
    .requiredOption('--word <word>', 'the query word')
    .option('--top <n>', 'how many neighbours', '10')
    .action(
      action(async (ctx, flags: { vectors: string; word: string; top: string }) => {
        const vectors = await loadVectors(flags.vectors);
        const similar = vectors.mostSimilar({
          positive: [flags.word],
          topN: assertInteger(Number(flags.top), '--top', 'embed similar', 1),
        });
        ctx.print(
          similar.map((s) => `${s.word}\t${s.similarity.toFixed(4)}`),
          { word: flags.word, similar },
        );
      }),
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
    .action(
      action(
        async (
          ctx,
          flags: {
            vectors: string;
            questions?: string;
            a?: string;
            b?: string;
            c?: string;
            top: string;
            restrict: string;
          },
        ) => {
          const restrictVocab = assertInteger(Number(flags.restrict), '--restrict', 'embed analogy', 1);
          if (flags.questions) {
            const backend = await ctx.useBackend();
            const [vectors, questions] = await Promise.all([
              loadVectors(flags.vectors),
              readTextFile(flags.questions),
            ]);
            const r = vectors.evaluateWordAnalogies(questions, { restrictVocab });
            const { section: _total, ...accuracy } = r;
            ctx.print(
              [
                ...r.sections.map(
                  (s) =>
                    `${s.section}: ${s.correct}/${s.total} = ${(100 * s.accuracy).toFixed(1)}%${s.oov ? ` (${s.oov} skipped, unknown words)` : ''}`,
                ),
                `total: ${r.correct}/${r.total} = ${(100 * r.accuracy).toFixed(1)}% (${r.oov} skipped; backend ${backend.name})`,
              ],
              accuracy,
            );
            return;
          }
          if (!flags.a || !flags.b || !flags.c)
            throw new InvalidArgumentError(
              '--questions',
              'embed analogy',
              'given, or else all of --a, --b and --c',
            );
          const vectors = await loadVectors(flags.vectors);
          const answers = vectors.mostSimilar({
            positive: [flags.b, flags.c],
            negative: [flags.a],
            topN: assertInteger(Number(flags.top), '--top', 'embed analogy', 1),
            restrictVocab,
          });
          ctx.print(
            answers.map(
              (s) => `${flags.a} : ${flags.b} :: ${flags.c} : ${s.word} (${s.similarity.toFixed(4)})`,
            ),
            { a: flags.a, b: flags.b, c: flags.c, answers },
          );
        },
      ),
    );
}
