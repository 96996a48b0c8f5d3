import * as tf from '@tensorflow/tfjs-core';
import { KeyedVectors, readVectors } from '@wordloom/embeddings';
import { CATEGORY_COLORS, pca } from '@wordloom/viz';
import { checkInput } from './check-input.js';
import { byId, describeError, el, showMessage } from './dom.js';
import { type Metric, type Neighbour, nearestNeighbours } from './neighbours.js';
import { type MapPoints, ScatterView, type TourMap } from './scatter-view.js';
import { formatState, LIMITS, type ProjectionName, parseState, type ViewState } from './url-state.js';
import type { WebData } from './web-data-client.js';
import type { ProjectionRequest, ProjectionResponse } from './worker-protocol.js';

/** Vectors the projector shows, with the Projector's metadata columns when they came from a metadata.tsv. */
export interface Dataset {
  name: string;
  vectors: KeyedVectors;
  columns: string[];
  values: string[][];
  /** The tour's precomputed t-SNE map (only for the tour's vectors). */
  tourMap?: TourMap;
  /** One line about where the vectors come from. */
  summary: string;
}

/** Categories coloured by a metadata column; the rest share the base colour. */
const MAX_CATEGORIES = CATEGORY_COLORS.length - 1;

function renderList(
  target: HTMLElement,
  title: string,
  note: string,
  list: { word: string; score: number }[],
  onPick: (word: string) => void,
): void {
  const ol = el('ol', undefined, 'neighbours');
  for (const s of list) {
    const li = el('li');
    li.dataset.testid = 'neighbour';
    li.dataset.word = s.word;
    const word = el('button', s.word, 'word');
    word.type = 'button';
    word.title = `show the neighbours of “${s.word}”`;
    word.addEventListener('click', () => onPick(s.word));
    li.append(word, el('span', s.score.toFixed(3), 'score'));
    ol.append(li);
  }
  target.replaceChildren(el('h3', title), el('p', note, 'meta'), ol);
}

/**
 * The embedding projector: any word vectors (the tour's, a file the user opens, vectors trained in the
 * page) on a map — PCA in 2-D/3-D, live t-SNE and UMAP in a worker, or the tour's own t-SNE map — with
 * the nearest neighbours of a word in the original space (cosine or euclidean) listed and highlighted,
 * "isolate the nearest", an analogy box, colour by a metadata column, and the view kept in the URL.
 */
export class Projector {
  private dataset: Dataset | null = null;
  private readonly view: ScatterView;
  private state: ViewState;
  private worker: Worker | null = null;
  private run = 0;
  private paused = false;
  private mapWords: readonly string[] = [];
  /** What syncControls last wrote into each control. */
  private readonly written = new Map<HTMLElement, string>();
  private current: Neighbour[] = [];
  private readonly el = {
    info: byId<HTMLElement>('projector-info'),
    status: byId<HTMLElement>('projector-status'),
    hover: byId<HTMLElement>('projector-hover'),
    neighbours: byId<HTMLElement>('neighbours'),
    projection: byId<HTMLSelectElement>('projection'),
    note: byId<HTMLElement>('projection-note'),
    live: byId<HTMLElement>('live-controls'),
    perplexity: byId<HTMLInputElement>('tsne-perplexity'),
    lr: byId<HTMLInputElement>('tsne-lr'),
    iterations: byId<HTMLInputElement>('live-iterations'),
    umapNeighbours: byId<HTMLInputElement>('umap-neighbours'),
    points: byId<HTMLInputElement>('live-points'),
    pause: byId<HTMLButtonElement>('live-pause'),
    rerun: byId<HTMLButtonElement>('live-run'),
    metric: byId<HTMLSelectElement>('metric'),
    count: byId<HTMLInputElement>('neighbour-count'),
    countValue: byId<HTMLElement>('neighbour-count-value'),
    isolate: byId<HTMLButtonElement>('isolate'),
    colorBy: byId<HTMLSelectElement>('color-by'),
    legend: byId<HTMLElement>('legend'),
    wordInput: byId<HTMLInputElement>('word-input'),
    analogy: byId<HTMLElement>('analogy-result'),
  };

  constructor() {
    this.state = parseState(location.hash);
    const canvas = byId<HTMLCanvasElement>('projector-canvas');
    this.view = new ScatterView(
      canvas,
      byId<HTMLCanvasElement>('projector-gl'),
      (word) => {
        this.el.hover.textContent = word ?? '';
      },
      (word) => this.select(word),
    );
    canvas.dataset.renderer = this.view.renderer;
    this.bindControls();
  }

  /** The dataset on show. */
  get vectors(): KeyedVectors | null {
    return this.dataset?.vectors ?? null;
  }

  /** Coordinates of the map now on show (for the e2e tests and the benchmark). */
  get mapSize(): number {
    return this.view.size;
  }

  private bindControls(): void {
    const e = this.el;
    e.projection.addEventListener('change', () => {
      this.update({ projection: e.projection.value as ProjectionName });
      void this.project();
    });
    e.metric.addEventListener('change', () => {
      this.update({ metric: e.metric.value as Metric });
      this.reselect();
    });
    e.count.addEventListener('input', () => {
      e.countValue.textContent = e.count.value;
      this.update({ k: Number(e.count.value) });
      this.reselect();
    });
    e.isolate.addEventListener('click', () => {
      this.update({ isolate: !this.state.isolate });
      this.applyIsolation();
    });
    e.colorBy.addEventListener('change', () => {
      this.update({ color: e.colorBy.value });
      this.applyColors();
    });
    e.pause.addEventListener('click', () => {
      if (!this.worker || !this.run) return;
      this.paused = !this.paused;
      this.worker.postMessage({
        type: this.paused ? 'pause' : 'resume',
        id: this.run,
      } satisfies ProjectionRequest);
      e.pause.textContent = this.paused ? 'Resume' : 'Pause';
      e.pause.setAttribute('aria-pressed', String(this.paused));
    });
    e.rerun.addEventListener('click', () => {
      const lr = e.lr.value.trim();
      this.update({
        perplexity: clampInt(e.perplexity.value, LIMITS.perplexity, this.state.perplexity),
        lr: lr === '' || lr === 'auto' || !(Number(lr) > 0) ? 'auto' : Number(lr),
        iterations: clampInt(e.iterations.value, LIMITS.iterations, this.state.iterations),
        neighbours: clampInt(e.umapNeighbours.value, LIMITS.neighbours, this.state.neighbours),
        points: clampInt(e.points.value, LIMITS.points, this.state.points),
      });
      void this.project();
    });
    byId<HTMLButtonElement>('projector-reset').addEventListener('click', () => this.view.reset());
    byId<HTMLFormElement>('word-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const checked = checkInput(e.wordInput.value, 'word');
      if ('problem' in checked) {
        showMessage(e.neighbours, checked.problem, 'error');
        return;
      }
      this.select(checked.text);
    });
    byId<HTMLFormElement>('analogy-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.analogy();
    });
    window.addEventListener('hashchange', () => {
      const next = parseState(location.hash);
      if (formatState(next) === formatState(this.state)) return;
      const reproject = ['projection', 'perplexity', 'lr', 'iterations', 'neighbours', 'points'].some(
        (k) => next[k as keyof ViewState] !== this.state[k as keyof ViewState],
      );
      this.state = next;
      this.syncControls(true);
      if (reproject) void this.project();
      else this.reselect();
      this.applyColors();
    });
  }

  /** Merges a change into the state and writes it to the URL (replaceState: no history entry per slider step). */
  private update(change: Partial<ViewState>): void {
    this.state = { ...this.state, ...change };
    history.replaceState(null, '', `${location.pathname}${location.search}${formatState(this.state)}`);
  }

  /**
   * Shows the state in the controls. A control is rewritten only when its state value changed since it was
   * last written (or when `force`d, on navigation): a new map's first frame re-applies the selection, and
   * must not wipe parameters the user has typed but not yet run.
   */
  private syncControls(force = false): void {
    const e = this.el;
    const s = this.state;
    const set = (control: HTMLInputElement | HTMLSelectElement, value: string) => {
      if (!force && this.written.get(control) === value) return;
      this.written.set(control, value);
      control.value = value;
    };
    set(e.projection, s.projection);
    set(e.metric, s.metric);
    set(e.count, String(s.k));
    e.countValue.textContent = String(s.k);
    set(e.perplexity, String(s.perplexity));
    set(e.lr, s.lr === 'auto' ? '' : String(s.lr));
    set(e.iterations, String(s.iterations));
    set(e.umapNeighbours, String(s.neighbours));
    set(e.points, String(s.points));
    e.isolate.textContent = s.isolate ? 'Show all' : `Isolate the ${s.k} nearest`;
    e.isolate.setAttribute('aria-pressed', String(s.isolate));
  }

  /** Shows a dataset: fills the controls, projects it, re-applies the URL's selection. */
  async show(dataset: Dataset): Promise<void> {
    this.dataset = dataset;
    const tourOption = this.el.projection.querySelector<HTMLOptionElement>('option[value=tour]')!;
    tourOption.disabled = !dataset.tourMap;
    tourOption.hidden = !dataset.tourMap;
    if (!dataset.tourMap && this.state.projection === 'tour') this.update({ projection: 'pca2' });
    const options = [el('option', 'nothing (one colour)')];
    options[0].value = '';
    for (const c of dataset.columns) {
      const o = el('option', c);
      o.value = c;
      options.push(o);
    }
    this.el.colorBy.replaceChildren(...options);
    this.el.colorBy.disabled = dataset.columns.length === 0;
    if (!dataset.columns.includes(this.state.color)) this.update({ color: '' });
    this.syncControls();
    this.el.info.textContent = `${dataset.summary}. Drag to pan (orbit in 3-D, shift-drag pans), wheel to zoom, click a word.`;
    this.el.neighbours.replaceChildren();
    this.el.analogy.replaceChildren();
    await this.project();
    if (this.state.word && dataset.vectors.has(this.state.word)) this.select(this.state.word);
  }

  /** Runs the chosen projection: PCA here (all points), t-SNE/UMAP in the worker (the first `points`). */
  async project(): Promise<void> {
    const dataset = this.dataset;
    if (!dataset) return;
    this.stopLive();
    const { vectors } = dataset;
    const p = this.state.projection;
    const live = p.startsWith('tsne') || p.startsWith('umap');
    this.el.live.hidden = !live;
    for (const id of ['tsne-only-perplexity', 'tsne-only-lr'])
      byId<HTMLElement>(id).hidden = !p.startsWith('tsne');
    byId<HTMLElement>('umap-only-neighbours').hidden = !p.startsWith('umap');
    this.el.status.replaceChildren();
    try {
      if (p === 'tour') {
        const map = dataset.tourMap!;
        const coords = new Float32Array(map.words.length * 2);
        for (let i = 0; i < map.words.length; i++) {
          coords[2 * i] = map.x[i];
          coords[2 * i + 1] = map.y[i];
        }
        this.setMap({ words: map.words, coords, dims: 2 });
        this.el.note.textContent = `t-SNE of the ${map.words.length} most frequent words, computed by the tour`;
      } else if (p === 'pca2' || p === 'pca3') {
        const dims = p === 'pca2' ? 2 : 3;
        if (vectors.size < 2 || vectors.dim < dims)
          throw new Error(`PCA ${dims}-D needs at least 2 vectors of dimension ≥ ${dims}`);
        const started = performance.now();
        const fit = pca(
          { data: vectors.vectors, rows: vectors.size, cols: vectors.dim },
          { components: dims },
        );
        const coords = Float32Array.from(await fit.projected.data());
        const ratio = Array.from(fit.explainedVarianceRatio);
        fit.dispose();
        this.setMap({ words: vectors.words, coords, dims });
        const ms = performance.now() - started;
        const share = ratio.map((r) => `${(100 * r).toFixed(1)}%`).join(' + ');
        this.el.note.textContent = `PCA ${dims}-D of all ${vectors.size.toLocaleString('en-US')} points on ${tf.getBackend()}: explained variance ${share} = ${(100 * ratio.reduce((a, b) => a + b, 0)).toFixed(1)}% (${ms.toFixed(0)} ms)`;
        this.el.note.dataset.explained = ratio.map((r) => r.toFixed(6)).join(',');
      } else this.startLive(p.startsWith('tsne') ? 'tsne' : 'umap', p.endsWith('3') ? 3 : 2);
    } catch (error) {
      showMessage(this.el.status, `Could not project: ${describeError(error)}`, 'error');
    }
    byId<HTMLElement>('projector').dataset.projection = p;
  }

  private setMap(points: MapPoints, keepView = false): void {
    const newWords = points.words !== this.mapWords;
    this.mapWords = points.words;
    this.view.setPoints(points, keepView);
    byId<HTMLCanvasElement>('projector-canvas').dataset.points = String(points.words.length);
    if (newWords) {
      this.applyColors();
      this.reselect();
    }
  }

  private startLive(method: 'tsne' | 'umap', dimensions: 2 | 3): void {
    const { vectors } = this.dataset!;
    const rows = Math.min(vectors.size, this.state.points);
    const s = this.state;
    if (method === 'tsne' && s.perplexity >= rows)
      throw new Error(`t-SNE needs more points (${rows}) than the perplexity (${s.perplexity}): lower it`);
    if (method === 'umap' && s.neighbours >= rows)
      throw new Error(`UMAP needs more points (${rows}) than neighbours (${s.neighbours}): lower them`);
    this.worker ??= new Worker(new URL('./projection-worker.ts', import.meta.url), { type: 'module' });
    const id = ++this.run;
    this.view.moved = false;
    this.paused = false;
    this.el.pause.textContent = 'Pause';
    this.el.pause.disabled = false;
    const words = vectors.words.slice(0, rows);
    const worker = this.worker;
    const onMessage = (event: MessageEvent<ProjectionResponse>) => {
      const m = event.data;
      if (m.id !== id) return;
      // A run replaced by a newer one still reports its end: drop it, it must not touch the new run.
      if (id !== this.run) {
        if (m.type !== 'step') worker.removeEventListener('message', onMessage);
        return;
      }
      if (m.type === 'error') {
        showMessage(this.el.status, `Could not project: ${m.message}`, 'error');
        worker.removeEventListener('message', onMessage);
        return;
      }
      // Animate in a fitted view, unless the user has moved it since the run began.
      this.setMap({ words, coords: m.coords, dims: dimensions }, this.view.moved);
      this.el.note.textContent = `${m.note}${m.type === 'step' ? '' : ' — done'} (first ${rows.toLocaleString('en-US')} of ${vectors.size.toLocaleString('en-US')} points)`;
      byId<HTMLElement>('projector').dataset.liveIteration = String(m.iteration);
      if (m.type === 'done') {
        byId<HTMLElement>('projector').dataset.liveDone = 'true';
        this.el.pause.disabled = true;
        worker.removeEventListener('message', onMessage);
      }
    };
    worker.addEventListener('message', onMessage);
    byId<HTMLElement>('projector').dataset.liveDone = 'false';
    const data = vectors.vectors.slice(0, rows * vectors.dim);
    this.el.note.textContent = `${method === 'tsne' ? 't-SNE' : 'UMAP'}: preparing ${rows.toLocaleString('en-US')} points…`;
    worker.postMessage(
      {
        type: 'run',
        id,
        method,
        data,
        rows,
        dim: vectors.dim,
        dimensions,
        perplexity: s.perplexity,
        learningRate: s.lr,
        iterations: s.iterations,
        neighbours: s.neighbours,
        seed: 1,
      } satisfies ProjectionRequest,
      [data.buffer],
    );
  }

  private stopLive(): void {
    if (this.worker && this.run)
      this.worker.postMessage({ type: 'stop', id: this.run } satisfies ProjectionRequest);
    this.el.pause.disabled = true;
  }

  /** Looks the word up as typed, then lowercased (the tour's and most files' vocabularies are lowercase). */
  private resolve(word: string): string | null {
    const v = this.dataset?.vectors;
    if (!v) return null;
    if (v.has(word)) return word;
    const lower = word.toLowerCase();
    return v.has(lower) ? lower : null;
  }

  /** Selects a word: its nearest neighbours in the original space, listed and highlighted on the map. */
  select(typed: string): void {
    const dataset = this.dataset;
    if (!dataset) return;
    const word = this.resolve(typed);
    if (word === null) {
      this.view.select(null);
      this.current = [];
      showMessage(
        this.el.neighbours,
        `“${typed}” is not in the vocabulary (${dataset.vectors.size.toLocaleString('en-US')} words of ${dataset.name}).`,
        'error',
      );
      return;
    }
    this.el.wordInput.value = word;
    const { metric, k } = this.state;
    const list = nearestNeighbours(dataset.vectors, word, metric, Math.min(k, dataset.vectors.size - 1));
    this.current = [{ word, index: dataset.vectors.indexOf(word), score: 0 }, ...list];
    this.update({ word });
    this.view.select(
      word,
      list.map((s) => s.word),
    );
    const onMap = this.view.has(word);
    renderList(
      this.el.neighbours,
      `Nearest to “${word}”${onMap ? '' : ' (not on the map)'}`,
      metric === 'cosine'
        ? 'cosine similarity in the original space'
        : 'euclidean distance in the original space',
      list,
      (w) => this.select(w),
    );
    this.applyIsolation();
  }

  private reselect(): void {
    this.syncControls();
    if (this.state.word && this.dataset?.vectors.has(this.state.word)) this.select(this.state.word);
  }

  private applyIsolation(): void {
    this.syncControls();
    const panel = byId<HTMLElement>('projector');
    if (!this.state.isolate || this.current.length === 0) {
      if (this.view.isolated) this.view.isolate(null);
      panel.dataset.isolated = 'all';
      return;
    }
    const onMap = new Map(this.mapWords.map((w, i) => [w, i]));
    const indices = this.current.map((n) => onMap.get(n.word)).filter((i): i is number => i !== undefined);
    this.view.isolate(indices);
    panel.dataset.isolated = String(indices.length);
  }

  /** Colours the map by the chosen metadata column: the most frequent values get a colour each. */
  private applyColors(): void {
    const dataset = this.dataset;
    const c = dataset ? dataset.columns.indexOf(this.state.color) : -1;
    if (!dataset || c < 0) {
      this.view.setColors(null);
      this.el.legend.replaceChildren();
      return;
    }
    const column = dataset.values[c];
    const counts = new Map<string, number>();
    for (const v of column) counts.set(v, (counts.get(v) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_CATEGORIES);
    const code = new Map(top.map(([v], i) => [v, i]));
    const n = this.mapWords.length;
    const categories = new Uint8Array(n).fill(255);
    // Map points are the dataset's first rows (in file order) or the tour's words.
    const row = dataset.tourMap ? (i: number) => dataset.vectors.indexOf(this.mapWords[i]) : (i: number) => i;
    for (let i = 0; i < n; i++) categories[i] = code.get(column[row(i)]) ?? 255;
    const palette = CATEGORY_COLORS.slice(1);
    this.view.setColors(categories, [...palette]);
    this.el.legend.replaceChildren(
      ...top.map(([v, count], i) => {
        const item = el('span', `${v} (${count})`, 'legend-item');
        item.style.setProperty('--swatch', palette[i]);
        return item;
      }),
      ...(counts.size > MAX_CATEGORIES
        ? [el('span', `${counts.size - MAX_CATEGORIES} more values in blue`, 'legend-item')]
        : []),
    );
  }

  private analogy(): void {
    const vectors = this.dataset?.vectors;
    const result = this.el.analogy;
    if (!vectors) return;
    const words: string[] = [];
    const unknown: string[] = [];
    for (const id of ['analogy-a', 'analogy-b', 'analogy-c']) {
      const checked = checkInput(byId<HTMLInputElement>(id).value, 'word');
      if ('problem' in checked) {
        showMessage(result, checked.problem, 'error');
        return;
      }
      const w = this.resolve(checked.text);
      if (w === null) unknown.push(checked.text.toLowerCase());
      else words.push(w);
    }
    if (unknown.length > 0) {
      showMessage(result, `Not in the vocabulary: ${unknown.map((w) => `“${w}”`).join(', ')}.`, 'error');
      return;
    }
    const [a, b, c] = words;
    try {
      const list = vectors.mostSimilar({ positive: [a, c], negative: [b], topN: 5 });
      this.view.select(
        null,
        list.map((s) => s.word),
      );
      renderList(
        result,
        `${a} − ${b} + ${c} ≈`,
        'cosine similarity to a − b + c (3CosAdd)',
        list.map((s) => ({ word: s.word, score: s.similarity })),
        (w) => this.select(w),
      );
    } catch (error) {
      showMessage(result, describeError(error), 'error');
    }
  }
}

function clampInt(value: string, [lo, hi]: readonly [number, number], fallback: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) && value.trim() !== '' ? Math.min(hi, Math.max(lo, n)) : fallback;
}

/** The tour's vectors and map: the page's default dataset. */
export async function loadTourDataset(data: WebData): Promise<Dataset> {
  const { projector } = data.manifest;
  const [vectorBytes, map] = await Promise.all([
    data.bytes(projector.vectors),
    data.json<TourMap>(projector.map),
  ]);
  const vectors = await readVectors([vectorBytes], { format: 'word2vec-bin', source: projector.vectors });
  return {
    name: projector.corpus,
    vectors,
    columns: [],
    values: [],
    tourMap: map,
    summary: `The tour's skip-gram vectors of ${projector.corpus}: ${vectors.size.toLocaleString('en-US')} × ${vectors.dim}, ${map.words.length} words on its t-SNE map`,
  };
}

/** A dataset from vectors the data worker sent (a file the user opened, or vectors trained in the page). */
export function datasetFrom(
  name: string,
  message: { words: string[]; data: Float32Array; dim: number; columns: string[]; values: string[][] },
  summary: string,
): Dataset {
  return {
    name,
    vectors: new KeyedVectors(message.words, message.data, message.dim),
    columns: message.columns,
    values: message.values,
    summary,
  };
}
