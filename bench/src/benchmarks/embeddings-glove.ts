import { record } from '../harness.js';
import { gutenbergFile, runNode } from './embeddings-word2vec.js';

/**
 * GloVe on the NLTK Gutenberg corpus: co-occurrences within 10 words (1/k weighting, symmetric,
 * min-count 5), then 10 AdaGrad iterations of d = 100 on 2 worker threads. Stanford GloVe cannot be
 * fetched or built on this machine (no network beyond the npm registry), so the row reports absolute
 * time per iteration and memory, with no peer.
 */
export default async function embeddingsGlove(command: string): Promise<void> {
  const corpus = await gutenbergFile();
  const embeddings = import.meta.resolve('@wordloom/embeddings');
  const embeddingsNode = import.meta.resolve('@wordloom/embeddings/node');
  const r = runNode(
    `
import { buildCooccurrence } from ${JSON.stringify(embeddings)};
import { fileSentences, trainGlove } from ${JSON.stringify(embeddingsNode)};
const t0 = performance.now();
const m = await buildCooccurrence(fileSentences(process.argv[2]), { window: 10, weighting: 'harmonic', minCount: 5 });
const coocSeconds = (performance.now() - t0) / 1000;
const rssAfterCooc = process.memoryUsage().rss;
const perIteration = [];
const g = await trainGlove(m, { dim: 100, epochs: 10, threads: 2, xMax: 100, alpha: 0.75, learningRate: 0.05,
  onEpoch: (e) => { perIteration.push(e.seconds); console.error('glove iter', e.epoch, 'cost', e.loss.toExponential(4), e.seconds.toFixed(2) + ' s'); } });
const sorted = [...perIteration].sort((a, b) => a - b);
console.log(JSON.stringify({ coocSeconds, vocab: m.size, nonZeros: m.nonZeros, medianIteration: sorted[sorted.length >> 1],
  cost: g.costPerEpoch, maxRss: process.resourceUsage().maxRSS * 1024, rssAfterCooc,
  kingQueen: g.vectors.similarity('king', 'queen'), nearKing: g.vectors.mostSimilar({ positive: ['king'], topN: 5 }).map((s) => s.word) }));
`,
    [corpus.path],
  );
  const mb = (x: unknown) => `${Math.round(Number(x) / 2 ** 20)} MiB`;
  const cost = r.cost as number[];
  record(
    {
      benchmark: 'embeddings-glove',
      workload: 'GloVe d=100, x_max 100, α 0.75, AdaGrad η 0.05, 2 threads: median time of one iteration',
      seconds: Number(r.medianIteration),
      peer: 'none (Stanford GloVe cannot be fetched or built here)',
      peerSeconds: null,
      backend: 'typed arrays + WebAssembly SIMD, 2 worker threads',
      note: [
        `Gutenberg ${corpus.tokens} tokens; co-occurrence window 10, 1/k, symmetric, min-count 5: ${r.vocab} words, ${r.nonZeros} non-zeros built in ${Number(r.coocSeconds).toFixed(1)} s`,
        `cost ${cost[0].toExponential(3)} → ${cost[cost.length - 1].toExponential(3)} over ${cost.length} iterations`,
        `peak RSS ${mb(r.maxRss)} (${mb(r.rssAfterCooc)} after counting)`,
        `nearest to king: ${(r.nearKing as string[]).join(', ')}`,
        'machine shared with other engineers (under load)',
      ].join('; '),
    },
    command,
  );
}
