import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpusSentences } from '@wordloom/datasets';
import { record } from '../harness.js';

// The helpers below are shared with embeddings-glove.ts.

export const WORK_DIR = join(tmpdir(), 'wordloom-bench-embeddings');
export const PYTHON = '/usr/bin/python3';

/** The NLTK Gutenberg corpus, lower-cased, one sentence per line (the file both trainers read). */
export async function gutenbergFile(): Promise<{ path: string; sentences: number; tokens: number }> {
  mkdirSync(WORK_DIR, { recursive: true });
  const sentences = await loadCorpusSentences('gutenberg', { lowercase: true });
  const path = join(WORK_DIR, 'gutenberg-lower.txt');
  writeFileSync(path, `${sentences.map((s) => s.join(' ')).join('\n')}\n`);
  return { path, sentences: sentences.length, tokens: sentences.reduce((n, s) => n + s.length, 0) };
}

/** The first `lines` sentences of a corpus file, as a file of their own (the benches' BENCH_TINY runs). */
export function headOfCorpus(
  corpus: { path: string },
  lines: number,
): { path: string; sentences: number; tokens: number } {
  const head = readFileSync(corpus.path, 'utf8').split('\n').filter(Boolean).slice(0, lines);
  const path = join(WORK_DIR, `gutenberg-head-${lines}.txt`);
  writeFileSync(path, `${head.join('\n')}\n`);
  return { path, sentences: head.length, tokens: head.reduce((n, l) => n + l.split(' ').length, 0) };
}

/** Runs a Node ES module script in a child process and returns its last stdout line parsed as JSON. */
export function runNode(script: string, args: string[] = []): Record<string, unknown> {
  const file = join(WORK_DIR, `child-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`node child failed with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
}

/** Runs a Python script with /usr/bin/python3 and returns its last stdout line parsed as JSON. */
export function runPython(script: string, args: string[] = []): Record<string, unknown> {
  const r = spawnSync(PYTHON, ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`python3 failed with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
}

/** The 23 word pairs of questions-words.txt's `family` section (Mikolov et al. 2013). */
const FAMILY = [
  'boy girl',
  'brother sister',
  'brothers sisters',
  'dad mom',
  'father mother',
  'grandfather grandmother',
  'grandpa grandma',
  'grandson granddaughter',
  'groom bride',
  'he she',
  'his her',
  'husband wife',
  'king queen',
  'man woman',
  'nephew niece',
  'policeman policewoman',
  'prince princess',
  'son daughter',
  'sons daughters',
  'stepbrother stepsister',
  'stepfather stepmother',
  'stepson stepdaughter',
  'uncle aunt',
];
/** Singular/plural pairs frequent in the Gutenberg books, in the style of the `gram8-plural` section. */
const PLURAL = [
  'man men',
  'woman women',
  'child children',
  'day days',
  'hand hands',
  'eye eyes',
  'year years',
  'word words',
  'thing things',
  'friend friends',
  'house houses',
  'king kings',
  'heart hearts',
  'city cities',
  'horse horses',
  'tree trees',
  'night nights',
  'brother brothers',
  'son sons',
  'name names',
];

/**
 * The analogy questions: `questions-words.txt` when it is on this machine (WORDLOOM_QUESTIONS_WORDS or
 * gensim's test data), else a file in the same format built from the family section's 23 pairs and
 * 20 plural pairs (every ordered pair of pairs, as questions-words is built).
 */
export function questionsFile(): { path: string; source: string } {
  const fromEnv = process.env.WORDLOOM_QUESTIONS_WORDS;
  if (fromEnv && existsSync(fromEnv)) return { path: fromEnv, source: 'questions-words.txt' };
  const r = spawnSync(
    PYTHON,
    ['-c', "from gensim.test.utils import datapath; print(datapath('questions-words.txt'))"],
    { encoding: 'utf8' },
  );
  const gensimPath = r.stdout?.trim();
  if (r.status === 0 && gensimPath && existsSync(gensimPath))
    return { path: gensimPath, source: 'questions-words.txt' };
  const lines: string[] = [];
  for (const [name, pairs] of [
    ['family', FAMILY],
    ['gram-plural', PLURAL],
  ] as const) {
    lines.push(`: ${name}`);
    for (const a of pairs) for (const b of pairs) if (a !== b) lines.push(`${a} ${b}`);
  }
  const path = join(WORK_DIR, 'analogies-family-plural.txt');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return {
    path,
    source: `questions-words format: family section (23 pairs) + 20 plural pairs, ${lines.length - 2} questions (questions-words.txt is not on this machine)`,
  };
}

const PARAMS = {
  dim: 100,
  window: 5,
  negative: 5,
  sample: 1e-3,
  minCount: 5,
  epochs: 5,
  threads: 2,
  seed: 1,
};

/**
 * Skip-gram with negative sampling on the NLTK Gutenberg corpus (lower-cased, one sentence per line),
 * wordloom against gensim 4.2 (Debian python3-gensim) with the same parameters, same file, same run:
 * wall time (vocabulary scan included for both), peak RSS, and analogy accuracy with restrict 30 000,
 * each model scored by its own library and by the other's (our file loaded in gensim: the interop check).
 */
export default async function embeddingsWord2vec(command: string): Promise<void> {
  const tiny = process.env.BENCH_TINY === '1';
  const corpus = tiny ? headOfCorpus(await gutenbergFile(), 5000) : await gutenbergFile();
  const params = { ...PARAMS, epochs: tiny ? 1 : PARAMS.epochs };
  const questions = questionsFile();
  const ours = join(WORK_DIR, 'wordloom-sg.bin');
  const theirs = join(WORK_DIR, 'gensim-sg.bin');
  const embeddingsNode = import.meta.resolve('@wordloom/embeddings/node');
  const backendUrl = import.meta.resolve('@wordloom/backend');

  const w = runNode(
    `
import { trainWord2Vec, saveVectors, loadVectors, readTextFile } from ${JSON.stringify(embeddingsNode)};
import { selectBackend } from ${JSON.stringify(backendUrl)};
const [corpus, out, theirs, questions] = process.argv.slice(2);
const p = ${JSON.stringify(params)};
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = await trainWord2Vec(corpus, { architecture: 'skipgram', loss: 'ns', ...p,
  onEpoch: (e) => console.error('wordloom epoch', e.epoch, 'loss', e.loss.toFixed(4), e.seconds.toFixed(2) + ' s') });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRss = process.resourceUsage().maxRSS * 1024;
await saveVectors(out, r.vectors, 'word2vec-bin');
await selectBackend({ backend: 'wasm' });
const q = await readTextFile(questions);
const acc = r.vectors.evaluateWordAnalogies(q, { restrictVocab: 30000 });
console.log(JSON.stringify({ seconds, cpuSeconds, maxRss, vocab: r.vocab, tokens: r.tokens, loss: r.lossPerEpoch, correct: acc.correct, total: acc.total, accuracy: acc.accuracy }));
`,
    [corpus.path, ours, theirs, questions.path],
  );

  const g = runPython(
    `
import sys, time, json, resource, logging
import numpy as np
from gensim.models import Word2Vec, KeyedVectors
from gensim.models.word2vec import LineSentence
import gensim
corpus, ours, theirs, questions = sys.argv[1:5]
t0 = time.time()
c0 = time.process_time()
m = Word2Vec(LineSentence(corpus), vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=${params.epochs}, workers=2, sg=1, hs=0, seed=1)
seconds = time.time() - t0
cpu_seconds = time.process_time() - c0
max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
m.wv.save_word2vec_format(theirs, binary=True)
acc, _ = m.wv.evaluate_word_analogies(questions, restrict_vocab=30000)
sections = m.wv.evaluate_word_analogies(questions, restrict_vocab=30000)[1]
correct = sum(len(s['correct']) for s in sections if s['section'] == 'Total accuracy')
total = sum(len(s['correct']) + len(s['incorrect']) for s in sections if s['section'] == 'Total accuracy')
o = KeyedVectors.load_word2vec_format(ours, binary=True)
ours_acc, _ = o.evaluate_word_analogies(questions, restrict_vocab=30000)
print(json.dumps({'seconds': seconds, 'cpuSeconds': cpu_seconds, 'maxRss': max_rss, 'vocab': len(m.wv), 'accuracy': acc, 'correct': correct, 'total': total,
  'oursInGensim': {'vocab': len(o), 'accuracy': ours_acc, 'checksum': float(np.sum(o.vectors.astype(np.float64)))}, 'version': gensim.__version__}))
`,
    [corpus.path, ours, theirs, questions.path],
  );

  // Interop: gensim's file loads here with the same vectors gensim has; ours loads in gensim unchanged.
  const interop = runNode(
    `
import { loadVectors } from ${JSON.stringify(embeddingsNode)};
const [ours, theirs] = process.argv.slice(2);
const a = await loadVectors(ours);
const b = await loadVectors(theirs);
let sum = 0; for (const x of a.vectors) sum += x;
console.log(JSON.stringify({ oursChecksum: sum, theirsVocab: b.size }));
`,
    [ours, theirs],
  );
  const oursInGensim = g.oursInGensim as { vocab: number; accuracy: number; checksum: number };
  const mb = (x: unknown) => `${Math.round(Number(x) / 2 ** 20)} MiB`;
  const note = [
    `Gutenberg ${corpus.tokens} tokens, ${corpus.sentences} sentences; vocab ${w.vocab} vs ${g.vocab}`,
    `analogy (${questions.source}, restrict 30k): wordloom ${(100 * Number(w.accuracy)).toFixed(1)}% (${w.correct}/${w.total}), gensim ${(100 * Number(g.accuracy)).toFixed(1)}% (${g.correct}/${g.total}); our file scored by gensim ${(100 * oursInGensim.accuracy).toFixed(1)}%`,
    `CPU time (all threads) wordloom ${Number(w.cpuSeconds).toFixed(1)} s, gensim ${Number(g.cpuSeconds).toFixed(1)} s`,
    `peak RSS wordloom ${mb(w.maxRss)}, gensim ${mb(g.maxRss)}`,
    `interop: our .bin loads in gensim (${oursInGensim.vocab} words, checksum Δ ${Math.abs(oursInGensim.checksum - Number(interop.oursChecksum)).toExponential(1)}), gensim's .bin loads here (${interop.theirsVocab} words)`,
    `loss/epoch ${(w.loss as number[]).map((l) => l.toFixed(3)).join(' ')}`,
    ...(tiny ? ['BENCH_TINY: 5,000 sentences, 1 epoch'] : []),
  ].join('; ');
  record(
    {
      benchmark: 'embeddings-word2vec',
      workload: `skip-gram NS d=100 window 5 neg 5 sample 1e-3 min-count 5, ${params.epochs} epochs, 2 threads`,
      seconds: Number(w.seconds),
      peer: `gensim ${g.version} (Cython/BLAS, 2 workers)`,
      peerSeconds: Number(g.seconds),
      backend: 'compiled WebAssembly SIMD, 2 threads (KernelPool)',
      note,
    },
    command,
  );
}
