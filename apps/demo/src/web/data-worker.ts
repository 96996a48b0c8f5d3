/// <reference lib="webworker" />
// The page's data worker: parses vector files and trains word2vec off the main thread. Files are read from
// the user's disk by the browser and never sent anywhere.
import { type KeyedVectors, readProjectorTsv, readVectors, trainWord2Vec } from '@wordloom/embeddings';
import { createTokenizer } from '@wordloom/text-vsm';
import { formatBytes, readFileChunks } from './read-file-chunks.js';
import type { DataRequest, DataResponse, TrainSettings, VectorsMessage } from './worker-protocol.js';

declare const self: DedicatedWorkerGlobalScope;

const stopped = new Set<number>();
const controllers = new Map<number, AbortController>();

function post(message: DataResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function toMessage(vectors: KeyedVectors, columns: string[] = [], values: string[][] = []): VectorsMessage {
  return { words: [...vectors.words], data: vectors.vectors, dim: vectors.dim, columns, values };
}

/** `metadata.tsv` by name, else the .tsv whose first line is not all numbers. */
async function splitTsv(files: File[]): Promise<{ vectors: File; metadata?: File }> {
  if (files.length === 1) return { vectors: files[0] };
  const named = files.find((f) => /meta/i.test(f.name));
  if (named) return { vectors: files.find((f) => f !== named)!, metadata: named };
  const firstLine = async (f: File) => (await f.slice(0, 4096).text()).split('\n')[0];
  const numeric = async (f: File) =>
    (await firstLine(f)).split('\t').every((t) => t.trim() !== '' && Number.isFinite(Number(t)));
  const [a, b] = files;
  return (await numeric(a)) ? { vectors: a, metadata: b } : { vectors: b, metadata: a };
}

async function load(id: number, files: File[], maxBytes: number): Promise<void> {
  if (files.length === 0 || files.length > 2)
    throw new Error(
      `choose one vectors file, or the Projector's vectors.tsv and metadata.tsv (got ${files.length} files)`,
    );
  const total = files.reduce((s, f) => s + f.size, 0);
  if (total > maxBytes)
    throw new Error(
      `${files.map((f) => f.name).join(' + ')} ${files.length > 1 ? 'are' : 'is'} ${formatBytes(total)}; the page reads at most ${formatBytes(maxBytes)}`,
    );
  const started = performance.now();
  let done = 0;
  const progress = (name: string) => (read: number) =>
    post({ type: 'progress', id, fraction: (done + read) / total, text: `reading ${name}…` });
  const isStopped = () => stopped.has(id);
  const tsv = files.every((f) => /\.tsv$/i.test(f.name));
  if (!tsv && files.length > 1)
    throw new Error('two files are read only as the Projector pair vectors.tsv + metadata.tsv');
  let message: VectorsMessage;
  let name: string;
  if (tsv) {
    const { vectors, metadata } = await splitTsv(files);
    const result = await readProjectorTsv(
      readFileChunks(vectors, maxBytes, progress(vectors.name), isStopped),
      {
        source: vectors.name,
        metadataSource: metadata?.name,
        metadata: metadata
          ? readFileChunks(metadata, maxBytes, (r) => progress(metadata.name)(vectors.size + r), isStopped)
          : undefined,
      },
    );
    message = toMessage(result.vectors, result.columns, result.values);
    name = metadata ? `${vectors.name} + ${metadata.name}` : vectors.name;
  } else {
    const [file] = files;
    const vectors = await readVectors(readFileChunks(file, maxBytes, progress(file.name), isStopped), {
      source: file.name,
    });
    message = toMessage(vectors);
    name = file.name;
  }
  done = total;
  const seconds = (performance.now() - started) / 1000;
  post(
    {
      type: 'vectors',
      id,
      name,
      vectors: message,
      summary: `${message.words.length.toLocaleString('en-US')} × ${message.dim} vectors from ${name} (${formatBytes(total)}) read in ${seconds.toFixed(1)} s`,
    },
    [message.data.buffer],
  );
}

/** Sentences for word2vec: each non-empty line of the text, tokenized like the rest of wordloom. */
function sentences(text: string): string[][] {
  const tokenize = createTokenizer();
  const out: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const tokens = tokenize(line);
    if (tokens.length > 0) out.push(tokens);
  }
  return out;
}

async function train(id: number, text: string, settings: TrainSettings): Promise<void> {
  const corpus = sentences(text);
  const tokens = corpus.reduce((s, t) => s + t.length, 0);
  if (tokens === 0) throw new Error('the text has no words to train on');
  const controller = new AbortController();
  controllers.set(id, controller);
  const started = performance.now();
  const result = await trainWord2Vec(corpus, {
    ...settings,
    signal: controller.signal,
    onProgress: (fraction) =>
      post({
        type: 'progress',
        id,
        fraction,
        text: `training ${settings.architecture}… ${Math.round(fraction * 100)}%`,
      }),
  });
  const seconds = (performance.now() - started) / 1000;
  const message = toMessage(result.vectors);
  post(
    {
      type: 'vectors',
      id,
      name: 'trained in the browser',
      vectors: message,
      summary: `${settings.architecture === 'cbow' ? 'CBOW' : 'skip-gram'}: ${result.vocab.toLocaleString('en-US')} words × ${settings.dim} from ${tokens.toLocaleString('en-US')} tokens, ${settings.epochs} epochs in ${seconds.toFixed(1)} s`,
    },
    [message.data.buffer],
  );
}

self.addEventListener('message', (event: MessageEvent<DataRequest>) => {
  const request = event.data;
  if (request.type === 'stop') {
    stopped.add(request.id);
    controllers.get(request.id)?.abort(new Error('stopped'));
    return;
  }
  const run =
    request.type === 'load'
      ? load(request.id, request.files, request.maxBytes)
      : train(request.id, request.text, request.settings);
  run
    .catch((error: unknown) => {
      const message = stopped.has(request.id)
        ? 'stopped'
        : error instanceof Error
          ? error.message
          : String(error);
      post({ type: 'error', id: request.id, message });
    })
    .finally(() => {
      stopped.delete(request.id);
      controllers.delete(request.id);
    });
});
