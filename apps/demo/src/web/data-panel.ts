import { encodeVectors, type KeyedVectors } from '@wordloom/embeddings';
import { byId, el, showMessage } from './dom.js';
import { MAX_TRAIN_TEXT_CHARS, MAX_USER_FILE_BYTES } from './limits.js';
import { datasetFrom, type Projector } from './projector-panel.js';
import { formatBytes } from './read-file-chunks.js';
import type { DataRequest, DataResponse, TrainSettings } from './worker-protocol.js';

/**
 * "Your data": open or drop word vectors (word2vec binary/text, GloVe text, the Projector's vectors.tsv +
 * metadata.tsv) or paste/drop a text and train word2vec on it — all in a worker, in this browser; no byte
 * is sent anywhere. What comes out is shown in the projector.
 */
export function setUpDataPanel(projector: Projector): void {
  const worker = new Worker(new URL('./data-worker.ts', import.meta.url), { type: 'module' });
  const status = byId<HTMLElement>('data-status');
  const progress = byId<HTMLProgressElement>('data-progress');
  const stop = byId<HTMLButtonElement>('data-stop');
  const fileInput = byId<HTMLInputElement>('vectors-file');
  const drop = byId<HTMLElement>('drop-zone');
  const text = byId<HTMLTextAreaElement>('train-text');
  const trainButton = byId<HTMLButtonElement>('train-run');
  const download = byId<HTMLAnchorElement>('train-download');
  const panel = byId<HTMLElement>('projector');
  let nextId = 1;
  let running = 0;
  let downloadUrl = '';

  const finish = () => {
    running = 0;
    progress.hidden = true;
    stop.hidden = true;
    trainButton.disabled = false;
    fileInput.disabled = false;
  };

  const start = (request: DataRequest, label: string) => {
    if (running) worker.postMessage({ type: 'stop', id: running } satisfies DataRequest);
    running = request.id;
    panel.dataset.data = 'busy';
    progress.hidden = false;
    progress.value = 0;
    stop.hidden = false;
    showMessage(status, label);
    worker.postMessage(request);
  };

  worker.addEventListener('message', (event: MessageEvent<DataResponse>) => {
    const m = event.data;
    if (m.id !== running) return;
    if (m.type === 'progress') {
      progress.value = m.fraction;
      progress.textContent = `${Math.round(m.fraction * 100)}%`;
      status.firstElementChild!.textContent = m.text;
      return;
    }
    const trained = m.type === 'vectors' && m.name === 'trained in the browser';
    finish();
    if (m.type === 'error') {
      showMessage(
        status,
        m.message === 'stopped' ? 'Stopped.' : `Could not use it: ${m.message}`,
        m.message === 'stopped' ? 'info' : 'error',
      );
      panel.dataset.data = 'failed';
      return;
    }
    const dataset = datasetFrom(m.name, m.vectors, m.summary);
    showMessage(status, `${m.summary}.`);
    if (trained) offerDownload(dataset.vectors);
    void projector.show(dataset).then(() => {
      panel.dataset.data = trained ? 'trained' : 'loaded';
    });
  });

  const offerDownload = (vectors: KeyedVectors) => {
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    const blob = new Blob([...encodeVectors(vectors, 'word2vec-bin')] as BlobPart[], {
      type: 'application/octet-stream',
    });
    downloadUrl = URL.createObjectURL(blob);
    download.href = downloadUrl;
    download.hidden = false;
    download.textContent = `Download the vectors (word2vec binary, ${formatBytes(blob.size)})`;
  };

  const load = (files: File[]) => {
    if (files.length === 0) return;
    start(
      { type: 'load', id: nextId++, files, maxBytes: MAX_USER_FILE_BYTES },
      `Reading ${files.map((f) => f.name).join(' + ')} (${formatBytes(files.reduce((s, f) => s + f.size, 0))})…`,
    );
  };

  fileInput.addEventListener('change', () => {
    load(Array.from(fileInput.files ?? []));
    fileInput.value = '';
  });
  stop.addEventListener('click', () => {
    if (running) worker.postMessage({ type: 'stop', id: running } satisfies DataRequest);
  });

  // Drop vectors on the drop zone, a text on the training box; files never leave the page.
  const dropTarget = (target: HTMLElement, onFiles: (files: File[]) => void) => {
    target.addEventListener('dragover', (e) => {
      e.preventDefault();
      target.classList.add('dragging');
    });
    target.addEventListener('dragleave', () => target.classList.remove('dragging'));
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      target.classList.remove('dragging');
      onFiles(Array.from(e.dataTransfer?.files ?? []));
    });
  };
  dropTarget(drop, load);
  dropTarget(text, async ([file]) => {
    if (!file) return;
    if (file.size > MAX_TRAIN_TEXT_CHARS * 4) {
      showMessage(
        status,
        `${file.name} is ${formatBytes(file.size)}; training in the page takes texts up to ${formatBytes(MAX_TRAIN_TEXT_CHARS)}.`,
        'error',
      );
      return;
    }
    text.value = await file.text();
  });

  byId<HTMLFormElement>('train-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = text.value;
    if (value.trim() === '') {
      showMessage(status, 'Paste or drop a text to train on first.', 'error');
      return;
    }
    if (value.length > MAX_TRAIN_TEXT_CHARS) {
      showMessage(
        status,
        `That text is ${value.length.toLocaleString('en-US')} characters long; training in the page takes at most ${MAX_TRAIN_TEXT_CHARS.toLocaleString('en-US')}.`,
        'error',
      );
      return;
    }
    const number = (id: string, lo: number, hi: number) => {
      const input = byId<HTMLInputElement>(id);
      const n = Number(input.value);
      if (!Number.isInteger(n) || n < lo || n > hi)
        throw new RangeError(
          `${input.labels?.[0]?.textContent?.trim() ?? id} must be an integer from ${lo} to ${hi}`,
        );
      return n;
    };
    let settings: TrainSettings;
    try {
      settings = {
        architecture: byId<HTMLSelectElement>('train-architecture').value === 'cbow' ? 'cbow' : 'skipgram',
        dim: number('train-dim', 4, 300),
        window: number('train-window', 1, 20),
        epochs: number('train-epochs', 1, 200),
        minCount: number('train-min-count', 1, 1000),
        negative: 5,
        seed: 1,
      };
    } catch (error) {
      showMessage(status, (error as Error).message, 'error');
      return;
    }
    download.hidden = true;
    trainButton.disabled = true;
    start({ type: 'train', id: nextId++, text: value, settings }, 'Tokenizing…');
  });
  byId<HTMLElement>('data-privacy').replaceChildren(
    el(
      'span',
      `Files are read by this page in your browser (at most ${formatBytes(MAX_USER_FILE_BYTES)}); nothing is uploaded.`,
    ),
  );
}
