import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SIZES, SIZE_FLAGS, TINY_SIZES, type TourSizes } from '../../tour/tour-sizes.js';
import { action } from '../context.js';
import { integerFlag, outputDirFlag } from '../flags.js';

/** Worker threads beyond this only cost memory and start-up time (each holds a copy of the model). */
const MAX_THREADS = Math.max(4, 4 * availableParallelism());

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const NUMERIC = (Object.keys(DEFAULT_SIZES) as Array<keyof TourSizes>).filter((k) => k !== 'corpus') as Array<
  Exclude<keyof TourSizes, 'corpus'>
>;

/**
 * `wordloom tour`: the chapter end to end on embedded data (search, word vectors, t-SNE maps, MNIST
 * LSTM, Alice language model) into `out/`, with `out/report.html` holding every figure and number.
 */
export function registerTour(program: Command): void {
  const command = program
    .command('tour')
    .description('run the whole chapter on embedded data and write out/report.html (a few minutes)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--tiny', 'a complete but tiny run (one book, small models) in seconds', false)
    .option(
      '--corpus <name>',
      `corpus of the search and word-vector stages (default ${DEFAULT_SIZES.corpus})`,
    );
  for (const key of NUMERIC)
    command.option(`--${kebab(key)} <n>`, `${SIZE_FLAGS[key].help} (default ${DEFAULT_SIZES[key]})`);
  command.action(
    action(async (ctx, flags: Record<string, string | boolean | undefined>) => {
      // Installs the Ctrl-C handlers first: the first Ctrl-C stops the running stage after its current
      // step, a second one exits at once (interrupt.ts).
      const signal = ctx.signal;
      const sizes: Partial<TourSizes> = { ...(flags.tiny ? TINY_SIZES : {}) };
      if (typeof flags.corpus === 'string') sizes.corpus = flags.corpus;
      for (const key of NUMERIC) {
        const value = flags[key];
        if (typeof value === 'string')
          sizes[key] = integerFlag(value, `--${kebab(key)}`, {
            min: 1,
            max: key === 'threads' ? MAX_THREADS : SIZE_FLAGS[key].max,
          });
      }
      const backend = await ctx.useBackend();
      const out = await outputDirFlag(String(flags.out), '--out');
      ctx.log(
        `wordloom tour → ${out} (backend ${backend.name}, seed ${ctx.seed}); Ctrl-C stops after the current step`,
      );
      // Loaded here, not at start-up: the tour pulls in every package (`wordloom --help` stays fast).
      const { runTour } = await import('../../tour/run-tour.js');
      try {
        const result = await runTour({
          out,
          sizes,
          seed: ctx.seed,
          backend,
          signal,
          reporter: { log: (m) => ctx.log(m), progress: (label, total) => ctx.progress(label, total) },
        });
        const lm = result.languageModel;
        const { svd, wordVectors } = result;
        const similar = (list: Array<{ word: string; similarity: number }> | null) =>
          list === null
            ? 'not in the vocabulary'
            : list.map((s) => `${s.word} ${s.similarity.toFixed(3)}`).join(', ');
        const width = Math.max(...svd.words.map((w) => w.length));
        ctx.print(
          [
            `tour finished in ${result.seconds.total.toFixed(1)} s on ${backend.name}: ${join(out, 'report.html')}`,
            `search: ${result.search.documents} paragraphs; top BM25 hit for "${result.search.queries[0].query}": ${result.search.queries[0].bm25[0]?.snippet.slice(0, 70) ?? 'none'}`,
            `skip-gram ${wordVectors.skipGram.vocabulary} words, GloVe ${wordVectors.glove.vocabulary} words (${wordVectors.corpus})`,
            ...wordVectors.skipGram.neighbours
              .slice(0, 2)
              .map((n) => `  nearest to ${n.word}: ${similar(n.similar)}`),
            ...wordVectors.glove.analogies
              .slice(0, 1)
              .map((a) => `  GloVe ${a.a} : ${a.b} :: ${a.c} : ? → ${similar(a.answers)}`),
            'co-occurrence matrix of the three sentences (Listing 4-1c):',
            `  ${' '.repeat(width)} ${svd.words.join(' ')}`,
            ...svd.matrix.map(
              (row, i) =>
                `  ${svd.words[i].padStart(width)} ${row.map((x, j) => String(x).padStart(svd.words[j].length)).join(' ')}`,
            ),
            `MNIST LSTM test accuracy ${(100 * result.mnist.testAccuracy).toFixed(2)}% (${result.mnist.trainImages} training images)`,
            `Alice held-out perplexity (last 10% of the book): LSTM ${lm.heldOut.perplexity.toFixed(1)}, ${lm.heldOut.ngram.order}-gram ${lm.heldOut.ngram.perplexity.toFixed(1)}; on the chapter's passage it trained on: ${lm.perplexity.toFixed(3)} vs ${lm.ngram.order}-gram ${lm.ngram.perplexity.toFixed(3)}`,
            `completion: ${lm.completion}`,
            `next: wordloom serve --dir ${flags.out}`,
          ],
          {
            out,
            report: join(out, 'report.html'),
            seconds: result.seconds,
            summary: join(out, 'summary.json'),
          },
        );
      } catch (error) {
        if (signal.aborted) {
          // One line, and the exit status shells expect after Ctrl-C.
          ctx.print(`tour interrupted; the files already in ${out} are complete`, {
            interrupted: true,
            out,
          });
          process.exitCode = 130;
          return;
        }
        throw error;
      }
    }),
  );
}
