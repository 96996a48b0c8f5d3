import { type KeyedVectors, readVectors, type SimilarWord } from '@wordloom/embeddings';
import { checkInput } from './check-input.js';
import { byId, describeError, el, showMessage } from './dom.js';
import type { MapPoints } from './scatter-view.js';
import { ScatterView } from './scatter-view.js';
import type { WebData } from './web-data-client.js';

/** Neighbours listed for a selected word. */
const TOP_N = 10;

function renderNeighbours(target: HTMLElement, title: string, list: SimilarWord[]): void {
  const ol = el('ol', undefined, 'neighbours');
  for (const s of list) {
    const li = el('li');
    li.append(el('span', s.word, 'word'), el('span', s.similarity.toFixed(3), 'score'));
    li.dataset.word = s.word;
    ol.append(li);
  }
  target.replaceChildren(el('h3', title), ol);
}

/**
 * The embedding projector: the tour's t-SNE map of skip-gram words (pan, zoom, hover), the nearest
 * neighbours of a clicked or typed word with cosine similarities, and the analogy box a − b + c.
 */
export async function setUpProjector(data: WebData): Promise<{ vectors: KeyedVectors; view: ScatterView }> {
  const { projector } = data.manifest;
  const [vectorBytes, map] = await Promise.all([
    data.bytes(projector.vectors),
    data.json<MapPoints>(projector.map),
  ]);
  const vectors = await readVectors([vectorBytes], { format: 'word2vec-bin', source: projector.vectors });
  const hover = byId<HTMLElement>('projector-hover');
  const neighbours = byId<HTMLElement>('neighbours');
  const canvas = byId<HTMLCanvasElement>('projector-canvas');

  const select = (word: string) => {
    if (!vectors.has(word)) {
      view.select(null);
      showMessage(
        neighbours,
        `“${word}” is not in the vocabulary (${vectors.size.toLocaleString('en-US')} most frequent words of ${projector.corpus}).`,
        'error',
      );
      return;
    }
    const list = vectors.mostSimilar({ positive: [word], topN: TOP_N });
    view.select(
      word,
      list.map((s) => s.word),
    );
    renderNeighbours(neighbours, `Nearest to “${word}”${view.has(word) ? '' : ' (not on the map)'}`, list);
  };
  const view = new ScatterView(
    canvas,
    map,
    (word) => {
      hover.textContent = word ?? '';
    },
    select,
  );
  canvas.dataset.ready = 'true';
  byId<HTMLElement>('projector-info').textContent =
    `${map.words.length} words on the map, ${vectors.size.toLocaleString('en-US')} × ${vectors.dim} vectors (skip-gram, ${projector.corpus}). Drag to pan, wheel to zoom, click a word.`;

  const wordInput = byId<HTMLInputElement>('word-input');
  byId<HTMLFormElement>('word-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const checked = checkInput(wordInput.value, 'word');
    if ('problem' in checked) {
      showMessage(neighbours, checked.problem, 'error');
      return;
    }
    select(checked.text.toLowerCase());
  });
  byId<HTMLButtonElement>('projector-reset').addEventListener('click', () => view.reset());

  const analogyResult = byId<HTMLElement>('analogy-result');
  byId<HTMLFormElement>('analogy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const words: string[] = [];
    for (const id of ['analogy-a', 'analogy-b', 'analogy-c']) {
      const checked = checkInput(byId<HTMLInputElement>(id).value, 'word');
      if ('problem' in checked) {
        showMessage(analogyResult, checked.problem, 'error');
        return;
      }
      words.push(checked.text.toLowerCase());
    }
    const unknown = words.filter((w) => !vectors.has(w));
    if (unknown.length > 0) {
      showMessage(
        analogyResult,
        `Not in the vocabulary: ${unknown.map((w) => `“${w}”`).join(', ')}.`,
        'error',
      );
      return;
    }
    const [a, b, c] = words;
    try {
      const list = vectors.mostSimilar({ positive: [a, c], negative: [b], topN: 5 });
      view.select(
        null,
        list.map((s) => s.word),
      );
      renderNeighbours(analogyResult, `${a} − ${b} + ${c} ≈`, list);
    } catch (error) {
      showMessage(analogyResult, describeError(error), 'error');
    }
  });
  return { vectors, view };
}
