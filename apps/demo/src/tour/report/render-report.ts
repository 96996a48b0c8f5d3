import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimilarWord } from '@wordloom/embeddings';
import type { FigureFiles } from '../stages/figure-files.js';
import type { HeldOutResult } from '../stages/language-model-stage.js';
import type { VectorSetResult } from '../stages/word-vectors-stage.js';
import type { TourResult } from '../tour-result.js';
import { dataUri, escapeHtml as h, table } from './html.js';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.6em 0 1.2em}
td,th{border:1px solid #ddd;padding:3px 8px;vertical-align:top;text-align:left}th{background:#f4f4f4}
td:nth-child(n){max-width:640px}figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}.matrix td{text-align:right;font-family:monospace}code,.mono{font-family:monospace}
.note{color:#555}`;

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const words = (list: SimilarWord[] | null) =>
  list === null
    ? 'not in the vocabulary'
    : list.map((s) => `${s.word} (${s.similarity.toFixed(3)})`).join(', ');

async function figure(out: string, files: FigureFiles, format: 'svg' | 'png'): Promise<string> {
  const bytes = await readFile(join(out, files[format]));
  const uri = dataUri(bytes, format === 'svg' ? 'image/svg+xml' : 'image/png');
  return `<figure><img alt="${h(files.title)}" src="${uri}"><figcaption>${h(files.title)} — <span class="mono">${h(files[format])}</span></figcaption></figure>`;
}

function vectorSet(name: string, v: VectorSetResult, extra: string): string {
  return `<h3>${h(name)}</h3>
<p>${v.vocabulary.toLocaleString('en-US')} words × ${v.dim} dimensions, ${v.epochs} epochs in ${fmt(v.seconds, 1)} s ${extra};
loss per epoch ${h(v.lossPerEpoch.map((l) => fmt(l, 4)).join(' → '))}. Saved in word2vec text format: <span class="mono">${h(v.file)}</span>.</p>
${table(
  ['word', 'nearest neighbours (cosine)'],
  v.neighbours.map((n) => [n.word, words(n.similar)]),
)}
${table(
  ['analogy', 'b − a + c (cosine)'],
  v.analogies.map((a) => [`${a.a} : ${a.b} :: ${a.c} : ?`, words(a.answers)]),
)}`;
}

/**
 * The language models on text they never saw: held-out perplexity of the LSTM and of the Kneser–Ney
 * n-gram, both fit on the first part of one book and scored on its last part, with the same vocabulary.
 */
export function heldOutSection(held: HeldOutResult): string {
  const total = held.trainTokens + held.validationTokens;
  const share = `${Math.round((100 * held.validationTokens) / total)}%`;
  return `<h3>Held-out perplexity: text neither model saw</h3>
<p>The lower-cased words of <span class="mono">${h(held.corpus)}</span>: the first ${held.trainTokens.toLocaleString('en-US')} tokens
train both models, the last ${held.validationTokens.toLocaleString('en-US')} tokens (the final ${share} of the book) score them.
Vocabulary: the ${(held.vocabulary - 1).toLocaleString('en-US')} words of the training part plus &lt;unk&gt;, which ${pct(held.unknownRate)} of the
held-out tokens become for both models. LSTM: ${held.layers} layers of ${held.units} units on a ${held.embeddingSize}-d embedding,
truncated BPTT over ${held.sequenceLength} tokens, ${held.epochs} epochs in ${fmt(held.seconds, 1)} s.</p>
${table(
  ['model', 'held-out perplexity'],
  [
    [`${held.layers}-layer LSTM (best of ${held.epochs} epochs)`, fmt(held.perplexity, 2)],
    [`${held.ngram.order}-gram (${held.ngram.smoothing})`, fmt(held.ngram.perplexity, 2)],
  ],
)}
<p>LSTM held-out perplexity after each epoch: ${h(held.perplexityPerEpoch.map((p) => fmt(p, 2)).join(' → '))}.</p>`;
}

/** Every chapter figure in the chapter's order: 4-8 from the SVD stage, the others from the maps stage. */
async function chapterFigures(out: string, r: TourResult): Promise<string> {
  const entries = [
    ...r.maps.chapter,
    { id: '4-8', caption: r.svd.figure.title, figure: r.svd.figure, missing: undefined },
  ].sort((a, b) => Number(a.id.split('-')[1]) - Number(b.id.split('-')[1]));
  const parts: string[] = [];
  for (const entry of entries)
    parts.push(
      entry.figure
        ? await figure(out, entry.figure, 'png')
        : `<p class="note">Fig ${h(entry.id)} (${h(entry.caption)}) was not drawn: ${h(entry.missing ?? 'no data')}.</p>`,
    );
  return parts.join('\n');
}

/**
 * The tour's `report.html`: one self-contained page (inline CSS, figures as data URIs) with every figure,
 * table and number of the run. Every text from data is HTML-escaped.
 */
export async function renderReport(out: string, r: TourResult): Promise<string> {
  const s = r.search;
  const wv = r.wordVectors;
  const lm = r.languageModel;
  const searchTables = s.queries
    .map(
      (q) => `<h3>“${h(q.query)}”</h3>
<p>BM25 (Lucene, k1 1.2, b 0.75)</p>
${table(
  ['rank', 'paragraph', 'score', 'text'],
  q.bm25.map((hit, i) => [i + 1, hit.doc, fmt(hit.score), hit.snippet]),
)}
<p>tf-idf (Σ tf·idf with smooth idf: no length normalisation or tf saturation, so long paragraphs win — what BM25 corrects)</p>
${table(
  ['rank', 'paragraph', 'score', 'text'],
  q.tfidf.map((hit, i) => [i + 1, hit.doc, fmt(hit.score), hit.snippet]),
)}`,
    )
    .join('\n');
  const svd = r.svd;
  const stageRows = Object.entries(r.seconds).map(([stage, sec]) => [stage, fmt(sec, 1)]);
  const body = `<h1>wordloom tour</h1>
<p>The chapter <em>NLP with RNNs</em> end to end on embedded data. Run ${h(r.startedAt)} on Node ${h(r.node)},
tfjs backend <b>${h(r.backend.name)}</b> (threads ${r.backend.threads}, SIMD ${r.backend.simd}), seed ${r.seed}.</p>
${table(['stage', 'seconds'], stageRows)}
<p class="note">Sizes (options of <span class="mono">wordloom tour</span>): ${h(
    Object.entries(r.sizes)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · '),
  )}. Timings are wall-clock on this machine (other work running at the same time slows them).</p>

<h2>1. Vector space model: BM25 and tf-idf search</h2>
<p>${s.documents.toLocaleString('en-US')} paragraphs of <span class="mono">${h(s.corpus)}</span>, ${s.terms.toLocaleString('en-US')} terms,
indexed in ${fmt(s.indexSeconds, 2)} s. Index file <span class="mono">${h(s.files.index)}</span> (the web page's search box loads it).</p>
${searchTables}

<h2>2. Word vectors</h2>
<p>Corpus <span class="mono">${h(wv.corpus)}</span>: ${wv.sentences.toLocaleString('en-US')} sentences, ${wv.tokens.toLocaleString('en-US')} tokens.</p>
${vectorSet('Skip-gram with negative sampling (production engine)', wv.skipGram, `(${r.sizes.threads} thread(s))`)}
${vectorSet('GloVe', wv.glove, `on ${wv.glove.cooccurrences.toLocaleString('en-US')} co-occurrences (window ${wv.glove.window}, harmonic weighting)`)}
<h3>SVD of the co-occurrence matrix (Listing 4-1c)</h3>
<p>Sentences: ${h(svd.sentences.map((x) => `“${x}”`).join(' '))}. Adjacent-word co-occurrence counts:</p>
${table(
  ['', ...svd.words],
  svd.matrix.map((row, i) => [svd.words[i], ...row.map((x) => String(x))]),
  'matrix',
)}
<p>Singular values: ${h(svd.singularValues.map((x) => fmt(x, 4)).join(', '))}. Words at (U[:,0], U[:,1]):
${h(svd.words.map((w, i) => `${w} (${fmt(svd.coordinates[i][0], 3)}, ${fmt(svd.coordinates[i][1], 3)})`).join('; '))}.</p>
<p>These are the points of Fig 4-8 (section 3).</p>

<h2>3. The chapter's figures</h2>
<p>Figs 4-2, 4-4, 4-6, 4-8, 4-9 and 4-10 of the chapter <em>NLP with RNNs</em>, each drawn from the data the chapter uses or the
stand-in named in its caption (PNG with the bundled DejaVu Sans; the SVG beside it in <span class="mono">figures/</span>).</p>
${await chapterFigures(out, r)}

<h2>4. t-SNE maps</h2>
<p>Words: ${r.maps.words.points} points, ${r.maps.words.method}, ${r.maps.words.iterations} iterations, KL ${fmt(r.maps.words.kl)}, ${fmt(r.maps.words.seconds, 1)} s.
Digits: ${r.maps.digits.points} points, ${r.maps.digits.method}, ${r.maps.digits.iterations} iterations, KL ${fmt(r.maps.digits.kl)}, ${fmt(r.maps.digits.seconds, 1)} s.</p>
${await figure(out, r.maps.words.figure, 'svg')}
${await figure(out, r.maps.digits.figure, 'png')}

<h2>5. Recurrent networks</h2>
<h3>LSTM on MNIST rows (Listing 4-3)</h3>
${table(
  [
    'training images',
    'test images',
    'LSTM units',
    'epochs',
    'batch',
    'seconds',
    'train loss',
    'train accuracy',
    'test loss',
    'test accuracy',
  ],
  [
    [
      r.mnist.trainImages,
      r.mnist.testImages,
      r.mnist.units,
      r.mnist.epochs,
      r.mnist.batchSize,
      fmt(r.mnist.seconds, 1),
      fmt(r.mnist.trainLoss),
      pct(r.mnist.trainAccuracy),
      fmt(r.mnist.testLoss),
      pct(r.mnist.testAccuracy),
    ],
  ],
)}
${await figure(out, r.mnist.figure, 'svg')}
<h3>Next-word prediction and sentence completion (Listing 4-4)</h3>
<p>The Alice passage (Listing 4-5): ${lm.tokens} tokens, ${lm.vocabulary} distinct words; ${lm.layers}-layer LSTM, ${lm.units} units,
${lm.window}-word context, ${lm.epochs} epochs in ${fmt(lm.seconds, 1)} s. Both models are scored on the passage they learned, as the chapter does (the held-out
table below scores them on text they never saw).</p>
${table(
  ['model', 'perplexity', 'next-word accuracy'],
  [
    [`LSTM language model`, fmt(lm.perplexity), pct(lm.accuracy)],
    [`${lm.ngram.order}-gram (${lm.ngram.smoothing})`, fmt(lm.ngram.perplexity), pct(lm.ngram.accuracy)],
  ],
)}
${table(
  [`completion of “${lm.prompt}”`, 'text'],
  [
    ['LSTM, greedy (Listing 4-4)', lm.completion],
    ['LSTM, sampled at temperature 1', lm.sampled],
    [`${lm.ngram.order}-gram, greedy`, lm.ngram.completion],
  ],
)}
${await figure(out, lm.figure, 'svg')}
${heldOutSection(lm.heldOut)}
<p class="note">Files: vectors in <span class="mono">vectors/</span>, figures in <span class="mono">figures/</span>, models in
<span class="mono">models/</span>, every number in <span class="mono">summary.json</span>. <span class="mono">wordloom serve --dir ${h('<this folder>')}</span> opens the interactive page.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>wordloom tour</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}
