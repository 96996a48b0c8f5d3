/** The view's state as kept in the page's URL fragment (`#projection=pca3&word=king&k=20`), shareable. */
export interface ViewState {
  projection: ProjectionName;
  word: string;
  metric: 'cosine' | 'euclidean';
  k: number;
  isolate: boolean;
  color: string;
  perplexity: number;
  lr: number | 'auto';
  iterations: number;
  neighbours: number;
  points: number;
  backend: string;
}

/** The projections the page offers (`tour` is the tour's precomputed t-SNE map). */
export const PROJECTIONS = ['tour', 'pca2', 'pca3', 'tsne2', 'tsne3', 'umap2', 'umap3'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];

/** Neighbour count and the live projections' limits (the Projector's: t-SNE and UMAP on ≤ 10,000 points). */
export const LIMITS = {
  k: [1, 100],
  perplexity: [2, 100],
  iterations: [10, 5000],
  neighbours: [2, 100],
  points: [10, 10000],
} as const;

export const DEFAULT_STATE: ViewState = {
  projection: 'tour',
  word: '',
  metric: 'cosine',
  k: 10,
  isolate: false,
  color: '',
  perplexity: 30,
  lr: 'auto',
  iterations: 500,
  neighbours: 15,
  points: 5000,
  backend: '',
};

function intIn(value: string | null, [lo, hi]: readonly [number, number], fallback: number): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= lo && n <= hi ? n : fallback;
}

/** Reads the state from a fragment; anything missing or out of range keeps its default. */
export function parseState(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const d = DEFAULT_STATE;
  const projection = p.get('projection');
  const lr = p.get('lr');
  const lrNumber = Number(lr);
  return {
    projection: (PROJECTIONS as readonly string[]).includes(projection ?? '')
      ? (projection as ProjectionName)
      : d.projection,
    word: (p.get('word') ?? '').slice(0, 200),
    metric: p.get('metric') === 'euclidean' ? 'euclidean' : 'cosine',
    k: intIn(p.get('k'), LIMITS.k, d.k),
    isolate: p.get('isolate') === '1',
    color: (p.get('color') ?? '').slice(0, 200),
    perplexity: intIn(p.get('perplexity'), LIMITS.perplexity, d.perplexity),
    lr: lr !== null && lr !== 'auto' && Number.isFinite(lrNumber) && lrNumber > 0 ? lrNumber : 'auto',
    iterations: intIn(p.get('iterations'), LIMITS.iterations, d.iterations),
    neighbours: intIn(p.get('neighbours'), LIMITS.neighbours, d.neighbours),
    points: intIn(p.get('points'), LIMITS.points, d.points),
    backend: /^(webgpu|webgl|wasm|cpu)$/.test(p.get('backend') ?? '') ? (p.get('backend') as string) : '',
  };
}

/** The fragment for a state: only what differs from the defaults, so links stay short. */
export function formatState(state: ViewState): string {
  const p = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_STATE) as (keyof ViewState)[])
    if (state[key] !== DEFAULT_STATE[key])
      p.set(key, typeof state[key] === 'boolean' ? (state[key] ? '1' : '0') : String(state[key]));
  const s = p.toString();
  return s === '' ? '' : `#${s}`;
}
