import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { record } from '../harness.js';
import { gutenbergFile, headOfCorpus, questionsFile, runNode, WORK_DIR } from './embeddings-word2vec.js';

/** The goal settings (issue 15): Stanford's demo.sh but window 10, d 100, 2 threads. */
const SETTINGS = {
  window: 10,
  xMax: 10,
  alpha: 0.75,
  eta: 0.05,
  iterations: 15,
  dim: 100,
  minCount: 5,
  threads: 2,
};

/** One step of glove.c: its wall time (s) and peak RSS (bytes) from `/usr/bin/time -f '%e %M'`. */
interface Step {
  name: string;
  seconds: number;
  maxRss: number;
}

/** Runs `bin args < stdin > stdout` in `cwd` under /usr/bin/time (glove.c writes temporary files to cwd). */
function timed(cwd: string, bin: string, args: string[], stdin: string | null, stdout: string): Step {
  const input = stdin === null ? 'ignore' : openSync(stdin, 'r');
  const output = openSync(stdout, 'w');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', bin, ...args], {
      cwd,
      stdio: [input, output, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const line = r.stderr
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('TIME '));
    if (r.status !== 0 || !line) throw new Error(`${bin} failed with ${r.status}: ${r.stderr.slice(-2000)}`);
    const [, seconds, kb] = line.split(' ');
    return { name: bin.split('/').pop() ?? bin, seconds: Number(seconds), maxRss: Number(kb) * 1024 };
  } finally {
    if (typeof input === 'number') closeSync(input);
    closeSync(output);
  }
}

/**
 * GloVe on the NLTK Gutenberg corpus (lower-cased, one sentence per line), wordloom against Stanford
 * GloVe's C tools on the same file in the same run, with the goal settings: window 10 (1/k, symmetric),
 * min-count 5, x_max 10, α 0.75, η 0.05, 15 iterations, d 100, 2 threads each. Times are wall clock of the
 * whole pipeline — glove.c's vocab_count + cooccur + shuffle + glove against wordloom's counting
 * and training in one `trainGloveOnCorpus` (the same results as `buildCooccurrence` + `trainGlove`, without
 * holding the matrix) — with each side's peak RSS, and the analogy accuracy of both sets
 * of vectors (W + W̃, scored by the same code). glove.c is built from source outside the repository;
 * its `build` directory comes from GLOVE_C_DIR (default /work/peers/GloVe/build), and without it the
 * row says so. `BENCH_TINY=1` runs 5,000 sentences and 2 iterations, to prove the code works.
 */
export default async function embeddingsGlove(command: string): Promise<void> {
  const tiny = process.env.BENCH_TINY === '1';
  const iterations = tiny ? 2 : SETTINGS.iterations;
  const full = await gutenbergFile();
  const dir = join(WORK_DIR, 'glove');
  mkdirSync(dir, { recursive: true });
  const corpus = tiny ? headOfCorpus(full, 5000) : full;
  const questions = questionsFile();
  const peerDir = process.env.GLOVE_C_DIR ?? '/work/peers/GloVe/build';
  const haveGloveC = ['vocab_count', 'cooccur', 'shuffle', 'glove'].every((b) =>
    existsSync(join(peerDir, b)),
  );

  // glove.c first (its vectors are scored by the wordloom child below, with the same analogy code).
  let steps: Step[] = [];
  const peerVectors = join(dir, 'glove-c-vectors');
  if (haveGloveC) {
    const bin = (name: string) => join(peerDir, name);
    const vocab = join(dir, 'vocab.txt');
    const cooc = join(dir, 'cooccurrence.bin');
    const shuf = join(dir, 'cooccurrence.shuf.bin');
    steps = [
      timed(
        dir,
        bin('vocab_count'),
        ['-min-count', String(SETTINGS.minCount), '-verbose', '0'],
        corpus.path,
        vocab,
      ),
      timed(
        dir,
        bin('cooccur'),
        ['-memory', '4.0', '-vocab-file', vocab, '-verbose', '0', '-window-size', String(SETTINGS.window)],
        corpus.path,
        cooc,
      ),
      timed(dir, bin('shuffle'), ['-memory', '4.0', '-verbose', '0', '-seed', '1'], cooc, shuf),
      timed(
        dir,
        bin('glove'),
        [
          ...['-save-file', peerVectors, '-threads', String(SETTINGS.threads), '-input-file', shuf],
          ...[
            '-x-max',
            String(SETTINGS.xMax),
            '-iter',
            String(iterations),
            '-vector-size',
            String(SETTINGS.dim),
          ],
          ...['-binary', '0', '-vocab-file', vocab, '-verbose', '0', '-eta', String(SETTINGS.eta)],
          ...['-alpha', String(SETTINGS.alpha), '-model', '2', '-seed', '1'],
        ],
        null,
        join(dir, 'glove.log'),
      ),
    ];
  }

  const embeddings = import.meta.resolve('@wordloom/embeddings');
  const embeddingsNode = import.meta.resolve('@wordloom/embeddings/node');
  const backendUrl = import.meta.resolve('@wordloom/backend');
  const w = runNode(
    `
import { trainGloveOnCorpus } from ${JSON.stringify(embeddings)};
import { fileSentences, loadVectors, readTextFile } from ${JSON.stringify(embeddingsNode)};
const [corpus, questions, peerVectors, iterations] = process.argv.slice(2);
const s = ${JSON.stringify(SETTINGS)};
const t0 = performance.now();
// Counting and training in one call (the counts go straight into the kernel's memory); the counting
// ends where the first iteration starts.
let coocSeconds = 0;
let rssAfterFirst = 0;
const g = await trainGloveOnCorpus(fileSentences(corpus), { window: s.window, weighting: 'harmonic', minCount: s.minCount,
  dim: s.dim, epochs: Number(iterations), threads: s.threads, xMax: s.xMax, alpha: s.alpha, learningRate: s.eta, seed: 1,
  onEpoch: (e) => {
    if (e.epoch === 1) {
      coocSeconds = (performance.now() - t0) / 1000 - e.seconds;
      rssAfterFirst = process.resourceUsage().maxRSS * 1024;
    }
    console.error('wordloom glove iter', e.epoch, 'cost', e.entryCost.toFixed(5), e.seconds.toFixed(2) + ' s');
  } });
const seconds = (performance.now() - t0) / 1000;
const maxRss = process.resourceUsage().maxRSS * 1024;
const { selectBackend } = await import(${JSON.stringify(backendUrl)});
await selectBackend({ backend: 'wasm' });
const q = await readTextFile(questions);
const ours = g.vectors.evaluateWordAnalogies(q, { restrictVocab: 30000 });
let theirs = null;
try {
  const p = await loadVectors(peerVectors + '.txt');
  const a = p.evaluateWordAnalogies(q, { restrictVocab: 30000 });
  theirs = { vocab: p.size, correct: a.correct, total: a.total, accuracy: a.accuracy };
} catch (e) { if (peerVectors !== '') console.error('glove.c vectors not scored:', String(e)); }
console.log(JSON.stringify({ seconds, coocSeconds, maxRss, rssAfterFirst, vocab: g.vectors.size, nonZeros: g.nonZeros,
  entryCost: g.entryCostPerEpoch, correct: ours.correct, total: ours.total, accuracy: ours.accuracy, theirs }));
`,
    [corpus.path, questions.path, haveGloveC ? peerVectors : '', String(iterations)],
  );

  const mib = (x: number) => `${Math.round(x / 2 ** 20)} MiB`;
  const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
  const peerSeconds = haveGloveC ? steps.reduce((t, s) => t + s.seconds, 0) : null;
  const peerRss = Math.max(0, ...steps.map((s) => s.maxRss));
  const theirs = w.theirs as { vocab: number; correct: number; total: number; accuracy: number } | null;
  const cost = w.entryCost as number[];
  const note = [
    `Gutenberg ${corpus.tokens} tokens, ${corpus.sentences} sentences; wordloom ${w.vocab} words, ${w.nonZeros} non-zeros`,
    `wordloom: counting ${Number(w.coocSeconds).toFixed(1)} s + training ${(Number(w.seconds) - Number(w.coocSeconds)).toFixed(1)} s, peak RSS ${mib(Number(w.maxRss))} (${mib(Number(w.rssAfterFirst))} by the end of the first iteration; trainGloveOnCorpus counts straight into the kernel's memory); glove.c cost/entry ${cost[0].toFixed(4)} → ${cost[cost.length - 1].toFixed(4)}`,
    haveGloveC
      ? `glove.c: ${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s / ${mib(s.maxRss)}`).join(', ')}; peak RSS ${mib(peerRss)}`
      : `glove.c not run: no build in GLOVE_C_DIR=${peerDir} (build Stanford GloVe there with make, outside the repository)`,
    `analogy (${questions.source}, restrict 30k): wordloom ${pct(Number(w.accuracy))} (${w.correct}/${w.total})${theirs ? `, glove.c ${pct(theirs.accuracy)} (${theirs.correct}/${theirs.total}, ${theirs.vocab} words)` : ''}`,
    `goal ≥ 3× faster, peak ≤ 200 MiB`,
    ...(tiny ? ['BENCH_TINY: 5,000 sentences, 2 iterations'] : []),
  ].join('; ');
  record(
    {
      benchmark: 'embeddings-glove',
      workload: `GloVe d=${SETTINGS.dim}, window ${SETTINGS.window}, x_max ${SETTINGS.xMax}, α ${SETTINGS.alpha}, η ${SETTINGS.eta}, ${iterations} iterations, min-count ${SETTINGS.minCount}, ${SETTINGS.threads} threads: counting + training`,
      seconds: Number(w.seconds),
      peer: haveGloveC
        ? 'Stanford GloVe C (vocab_count + cooccur + shuffle + glove, -O3 -march=native, 2 threads)'
        : 'Stanford GloVe C (not built here)',
      peerSeconds,
      backend: `compiled WebAssembly SIMD, ${SETTINGS.threads} threads (KernelPool)`,
      note,
    },
    command,
  );
}
