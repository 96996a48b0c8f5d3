import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from '../harness.js';
import { PYTHON, runNode, runPython, WORK_DIR } from './embeddings-word2vec.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/corpora');

interface Written {
  fixture: string;
  path: string;
  words: string[];
  sum: number;
}

/**
 * Interop on users' messy text (issue 13): wordloom trains on every file of test-fixtures/corpora
 * (backspace underlining, Latin-1, CRLF, NFD, CJK, emoji) and writes word2vec binary; gensim
 * (`KeyedVectors.load_word2vec_format(binary=True)`, strict UTF-8) reads each file, and the words and
 * the sum of the values must match. The other way round, gensim trains on the same text and saves
 * word2vec binary, and wordloom's `loadVectors` must read the same words. Times are the totals of the
 * reads (tiny files: the row is about agreement; the time shows the per-file overhead).
 */
export default async function embeddingsGensimRead(command: string): Promise<void> {
  const probe = spawnSync(PYTHON, ['-c', 'import gensim; print(gensim.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(
      `embeddings-gensim-read needs gensim importable by ${PYTHON} (apt install python3-gensim)`,
    );
  const gensimVersion = probe.stdout.trim();
  const dir = join(WORK_DIR, 'gensim-read');
  mkdirSync(dir, { recursive: true });
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const embeddingsNode = import.meta.resolve('@wordloom/embeddings/node');

  // 1. wordloom trains and writes word2vec-bin for every fixture.
  const ours = runNode(
    `
import { join } from 'node:path';
import { trainWord2Vec, saveVectors } from ${JSON.stringify(embeddingsNode)};
const [fixtures, dir, ...files] = process.argv.slice(2);
const out = [];
for (const fixture of files) {
  const encoding = fixture === 'latin1.txt' ? 'latin1' : 'utf-8';
  const { vectors } = await trainWord2Vec(join(fixtures, fixture), { dim: 16, minCount: 1, epochs: 2, seed: 1, encoding });
  const path = join(dir, 'wordloom-' + fixture + '.bin');
  await saveVectors(path, vectors, 'word2vec-bin');
  out.push({ fixture, path, words: vectors.words, sum: vectors.vectors.reduce((a, b) => a + b, 0) });
}
console.log(JSON.stringify({ files: out }));
`,
    [FIXTURES, dir, ...fixtures],
  ).files as Written[];

  // 2. gensim reads them, then trains on the same text (same tokens: Python str.split) and writes its own.
  const theirs = runPython(
    `
import json, sys, time
from gensim.models import KeyedVectors, Word2Vec
fixtures_dir, out_dir, written = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
reads, files = [], []
for w in written:
    t0 = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(w['path'], binary=True)
    seconds = time.perf_counter() - t0
    same = list(kv.index_to_key) == w['words']
    total = float(kv.vectors.astype('float64').sum())
    reads.append({'fixture': w['fixture'], 'seconds': seconds, 'sameWords': same,
                  'sumError': abs(total - w['sum']) / max(1.0, abs(w['sum']))})
    encoding = 'latin1' if w['fixture'] == 'latin1.txt' else 'utf-8'
    with open(fixtures_dir + '/' + w['fixture'], encoding=encoding, newline='\\n') as f:
        sentences = [line.split() for line in f if line.split()]
    model = Word2Vec(sentences, vector_size=16, min_count=1, epochs=2, workers=1, seed=1)
    path = out_dir + '/gensim-' + w['fixture'] + '.bin'
    model.wv.save_word2vec_format(path, binary=True)
    files.append({'fixture': w['fixture'], 'path': path, 'words': list(model.wv.index_to_key)})
print(json.dumps({'reads': reads, 'files': files}))
`,
    [FIXTURES, dir, JSON.stringify(ours)],
  );
  const gensimReads = theirs.reads as Array<{
    fixture: string;
    seconds: number;
    sameWords: boolean;
    sumError: number;
  }>;
  const gensimFiles = theirs.files as Array<{ fixture: string; path: string; words: string[] }>;

  // 3. wordloom reads gensim's files.
  const back = runNode(
    `
import { loadVectors } from ${JSON.stringify(embeddingsNode)};
const files = JSON.parse(process.argv[2]);
const reads = [];
for (const f of files) {
  const t0 = performance.now();
  let sameWords = false, error = null;
  try {
    const kv = await loadVectors(f.path);
    sameWords = JSON.stringify(kv.words) === JSON.stringify(f.words);
  } catch (e) { error = String(e.message); }
  reads.push({ fixture: f.fixture, seconds: (performance.now() - t0) / 1000, sameWords, error });
}
console.log(JSON.stringify({ reads }));
`,
    [JSON.stringify(gensimFiles)],
  ).reads as Array<{ fixture: string; seconds: number; sameWords: boolean; error: string | null }>;

  const gensimOk = gensimReads.filter((r) => r.sameWords && r.sumError < 1e-6).length;
  const oursOk = back.filter((r) => r.sameWords).length;
  const failures = [
    ...gensimReads
      .filter((r) => !(r.sameWords && r.sumError < 1e-6))
      .map((r) => `gensim on wordloom's ${r.fixture}`),
    ...back
      .filter((r) => !r.sameWords)
      .map((r) => `wordloom on gensim's ${r.fixture}${r.error ? `: ${r.error}` : ''}`),
  ];
  for (const f of failures) console.error(`disagreement: ${f}`);
  record(
    {
      benchmark: 'embeddings-gensim-read',
      workload: `word2vec-bin files of the ${fixtures.length} test-fixtures/corpora files, each read by the other library: total read time`,
      seconds: back.reduce((a, r) => a + r.seconds, 0),
      peer: `gensim ${gensimVersion} load_word2vec_format(binary=True)`,
      peerSeconds: gensimReads.reduce((a, r) => a + r.seconds, 0),
      backend: 'typed arrays (no tfjs)',
      note: [
        `gensim read ${gensimOk}/${fixtures.length} wordloom files with the same words and values`,
        `wordloom read ${oursOk}/${fixtures.length} gensim files with the same words`,
        ...(failures.length > 0 ? [`disagreements: ${failures.join('; ')}`] : []),
      ].join('; '),
    },
    command,
  );
}
