import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from '../harness.js';
import { PYTHON, runNode, runPython, WORK_DIR } from './embeddings-word2vec.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/corpora');
/** The formats wordloom writes, with the arguments gensim reads each with. */
const FORMATS = ['word2vec-bin', 'word2vec-txt', 'glove'] as const;

/** A vectors file and what it must hold: its words, and its values as raw little-endian float32. */
interface Written {
  fixture: string;
  format: string;
  path: string;
  words: string[];
  raw: string;
  dim: number;
}

interface Check {
  fixture: string;
  format: string;
  seconds: number;
  sameWords: boolean;
  sameVectors: boolean;
  error: string | null;
}

/**
 * Interop on users' messy text (issue 13): wordloom trains on every file of test-fixtures/corpora
 * (backspace underlining, Latin-1, CRLF, NFD, CJK, emoji) and writes it in every format it has
 * (word2vec binary, word2vec text, headerless GloVe text); gensim reads each file
 * (`KeyedVectors.load_word2vec_format` with `binary` / `no_header`, strict UTF-8), and its words and its
 * vectors must equal wordloom's exactly (the float32 values, compared with the raw bytes wordloom holds).
 * The other way round, gensim trains on the same text and saves word2vec binary and text, and
 * wordloom's `loadVectors` must read the same words and exactly the same vectors. Times: both libraries
 * read the same files (wordloom's, every format); tiny files, so the row is about agreement and the
 * time shows the per-file overhead. Any disagreement is recorded in the note and fails the run.
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

  // 1. wordloom trains on every fixture, writes every format and its raw values, and times reading
  //    its own files back.
  const ours = runNode(
    `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors, saveVectors, trainWord2Vec } from ${JSON.stringify(embeddingsNode)};
const [fixtures, dir, formats, ...files] = process.argv.slice(2);
const out = [];
let seconds = 0;
for (const fixture of files) {
  const encoding = fixture === 'latin1.txt' ? 'latin1' : 'utf-8';
  const { vectors } = await trainWord2Vec(join(fixtures, fixture), { dim: 16, minCount: 1, epochs: 2, seed: 1, encoding });
  const raw = join(dir, 'wordloom-' + fixture + '.f32');
  writeFileSync(raw, new Uint8Array(vectors.vectors.buffer, vectors.vectors.byteOffset, vectors.vectors.byteLength));
  for (const format of formats.split(',')) {
    const path = join(dir, 'wordloom-' + fixture + '.' + format);
    await saveVectors(path, vectors, format);
    const t0 = performance.now();
    await loadVectors(path);
    seconds += (performance.now() - t0) / 1000;
    out.push({ fixture, format, path, words: vectors.words, raw, dim: vectors.dim });
  }
}
console.log(JSON.stringify({ files: out, seconds }));
`,
    [FIXTURES, dir, FORMATS.join(','), ...fixtures],
  );
  const written = ours.files as Written[];

  // 2. gensim reads them, then trains on the same text (same tokens: Python str.split) and writes its own.
  const theirs = runPython(
    `
import json, sys, time
import numpy as np
from gensim.models import KeyedVectors, Word2Vec
fixtures_dir, out_dir, written = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
reads, files, trained = [], [], set()
for w in written:
    check = {'fixture': w['fixture'], 'format': w['format'], 'seconds': 0, 'sameWords': False,
             'sameVectors': False, 'error': None}
    try:
        t0 = time.perf_counter()
        kv = KeyedVectors.load_word2vec_format(w['path'], binary=w['format'] == 'word2vec-bin',
                                               no_header=w['format'] == 'glove')
        check['seconds'] = time.perf_counter() - t0
        expected = np.fromfile(w['raw'], dtype='<f4').reshape(-1, w['dim'])
        check['sameWords'] = list(kv.index_to_key) == w['words']
        check['sameVectors'] = bool(kv.vectors.shape == expected.shape and np.array_equal(kv.vectors, expected))
    except Exception as e:
        check['error'] = repr(e)[:200]
    reads.append(check)
    if w['fixture'] in trained:
        continue
    trained.add(w['fixture'])
    encoding = 'latin1' if w['fixture'] == 'latin1.txt' else 'utf-8'
    with open(fixtures_dir + '/' + w['fixture'], encoding=encoding, newline='\\n') as f:
        sentences = [line.split() for line in f if line.split()]
    model = Word2Vec(sentences, vector_size=16, min_count=1, epochs=2, workers=1, seed=1)
    raw = out_dir + '/gensim-' + w['fixture'] + '.f32'
    model.wv.vectors.astype('<f4').tofile(raw)
    for fmt, binary in (('word2vec-bin', True), ('word2vec-txt', False)):
        path = out_dir + '/gensim-' + w['fixture'] + '.' + fmt
        model.wv.save_word2vec_format(path, binary=binary)
        files.append({'fixture': w['fixture'], 'format': fmt, 'path': path,
                      'words': list(model.wv.index_to_key), 'raw': raw, 'dim': 16})
print(json.dumps({'reads': reads, 'files': files}))
`,
    [FIXTURES, dir, JSON.stringify(written)],
  );
  const gensimReads = theirs.reads as Check[];
  const gensimFiles = theirs.files as Written[];

  // 3. wordloom reads gensim's files.
  const back = runNode(
    `
import { readFileSync } from 'node:fs';
import { loadVectors } from ${JSON.stringify(embeddingsNode)};
const files = JSON.parse(process.argv[2]);
const reads = [];
for (const f of files) {
  const check = { fixture: f.fixture, format: f.format, seconds: 0, sameWords: false, sameVectors: false, error: null };
  try {
    const t0 = performance.now();
    const kv = await loadVectors(f.path);
    check.seconds = (performance.now() - t0) / 1000;
    const raw = readFileSync(f.raw);
    const expected = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    check.sameWords = JSON.stringify(kv.words) === JSON.stringify(f.words);
    check.sameVectors = kv.vectors.length === expected.length && kv.vectors.every((v, i) => v === expected[i]);
  } catch (e) { check.error = String(e.message); }
  reads.push(check);
}
console.log(JSON.stringify({ reads }));
`,
    [JSON.stringify(gensimFiles)],
  ).reads as Check[];

  const agree = (c: Check) => c.sameWords && c.sameVectors && c.error === null;
  const describe = (c: Check) =>
    `${c.fixture} ${c.format}${c.error ? `: ${c.error}` : `${c.sameWords ? '' : ' (words differ)'}${c.sameVectors ? '' : ' (vectors differ)'}`}`;
  const failures = [
    ...gensimReads.filter((c) => !agree(c)).map((c) => `gensim on wordloom's ${describe(c)}`),
    ...back.filter((c) => !agree(c)).map((c) => `wordloom on gensim's ${describe(c)}`),
  ];
  for (const f of failures) console.error(`disagreement: ${f}`);
  record(
    {
      benchmark: 'embeddings-gensim-read',
      workload: `wordloom's word2vec-bin, word2vec-txt and GloVe files of the ${fixtures.length} test-fixtures/corpora files, read by both libraries: total read time`,
      seconds: ours.seconds as number,
      peer: `gensim ${gensimVersion} load_word2vec_format (binary / no_header)`,
      peerSeconds: gensimReads.reduce((a, c) => a + c.seconds, 0),
      backend: 'typed arrays (no tfjs)',
      note: [
        `gensim read ${gensimReads.filter(agree).length}/${gensimReads.length} wordloom files (${FORMATS.length} formats × ${fixtures.length} fixtures) with the same words and exactly the same vectors`,
        `wordloom read ${back.filter(agree).length}/${back.length} gensim files (word2vec bin and text) the same way`,
        ...(failures.length > 0 ? [`disagreements: ${failures.join('; ')}`] : []),
      ].join('; '),
    },
    command,
  );
  if (failures.length > 0)
    throw new Error(`embeddings-gensim-read: ${failures.length} disagreements (above)`);
}
