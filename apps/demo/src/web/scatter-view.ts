import { placeLabels } from './place-labels.js';
import { PointLayer } from './point-layer.js';

/** Points of the map: labels at 2-D or 3-D coordinates (row-major, `dims` numbers per point). */
export interface MapPoints {
  words: readonly string[];
  coords: Float32Array;
  dims: 2 | 3;
}

/** The tour's map file (`projector-map.json`): words at t-SNE coordinates. */
export interface TourMap {
  words: string[];
  x: number[];
  y: number[];
}

/** Pixel distance within which the pointer "hovers" a point. */
const HIT_RADIUS = 8;

/** Colour of a point without a category (and of every point when nothing colours them). */
const BASE_COLOR: [number, number, number] = [0x4a, 0x7a, 0xb0];

/** Most labels considered per frame (the rest of 100,000 points stay dots). */
const LABEL_CANDIDATES = 3000;

/** Parses `#rrggbb`. */
export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * A pannable, zoomable scatter of labelled words (the projector's map). 2-D: drag pans, the wheel zooms
 * around the pointer. 3-D: drag orbits, shift-drag pans, the wheel zooms. Hovering names the point under
 * the pointer and a click selects it. Dots are drawn by WebGL when the browser has it (100,000 points
 * stay smooth), else by a 2-D canvas; labels go on a 2-D overlay without overlapping each other, the
 * selection and its neighbours first, then words in file order (most frequent first).
 */
export class ScatterView {
  private points: MapPoints = { words: [], coords: new Float32Array(0), dims: 2 };
  private scale = 1;
  private offsetX = 0;
  private offsetY = 0;
  private yaw = 0.6;
  private pitch = 0.35;
  private base = { scale: 1, cx: 0, cy: 0, cz: 0 };
  private hovered = -1;
  private selected = -1;
  private highlighted = new Set<number>();
  private visible: Uint8Array | null = null;
  private colors: Uint8Array | null = null;
  private palette: [number, number, number][] = [];
  private readonly index = new Map<string, number>();
  private drag: { x: number; y: number; moved: boolean; orbit: boolean } | null = null;
  private sx = new Float32Array(0);
  private sy = new Float32Array(0);
  private depth = new Float32Array(0);
  private frame = 0;
  /** Whether the user panned, zoomed or orbited since the layout was last fitted. */
  moved = false;
  private readonly layer: PointLayer;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly glCanvas: HTMLCanvasElement,
    private readonly onHover: (word: string | null) => void,
    private readonly onSelect: (word: string) => void,
  ) {
    this.layer = new PointLayer(glCanvas);
    canvas.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, moved: false, orbit: this.points.dims === 3 && !e.shiftKey };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drag) {
        const dx = e.clientX - this.drag.x;
        const dy = e.clientY - this.drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 2) this.drag.moved = true;
        if (this.drag.moved) {
          if (this.drag.orbit) {
            this.yaw += dx * 0.01;
            this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + dy * 0.01));
          } else {
            this.offsetX += dx;
            this.offsetY += dy;
          }
          this.drag.x = e.clientX;
          this.drag.y = e.clientY;
          this.moved = true;
          this.draw();
        }
        return;
      }
      const hit = this.hit(e);
      if (hit !== this.hovered) {
        this.hovered = hit;
        this.onHover(hit < 0 ? null : this.points.words[hit]);
        this.draw();
      }
    });
    canvas.addEventListener('pointerup', (e) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved) {
        const hit = this.hit(e);
        if (hit >= 0) this.onSelect(this.points.words[hit]);
      }
    });
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const { x, y } = this.local(e);
        const factor = Math.exp(-e.deltaY * 0.0015);
        const next = Math.min(200, Math.max(0.25, this.scale * factor));
        const k = next / this.scale;
        // Keep the point under the pointer in place: offsets are measured from the canvas centre.
        const ax = x - canvas.clientWidth / 2;
        const ay = y - canvas.clientHeight / 2;
        this.offsetX = ax - (ax - this.offsetX) * k;
        this.offsetY = ay - (ay - this.offsetY) * k;
        this.scale = next;
        this.moved = true;
        this.draw();
      },
      { passive: false },
    );
    // Keyboard: arrows pan (orbit in 3-D), +/- zoom, so the map is usable without a pointer.
    canvas.addEventListener('keydown', (e) => {
      const step = 30;
      const moves: Record<string, () => void> = {
        ArrowLeft: () => (this.points.dims === 3 ? (this.yaw -= 0.1) : (this.offsetX += step)),
        ArrowRight: () => (this.points.dims === 3 ? (this.yaw += 0.1) : (this.offsetX -= step)),
        ArrowUp: () => (this.points.dims === 3 ? (this.pitch -= 0.1) : (this.offsetY += step)),
        ArrowDown: () => (this.points.dims === 3 ? (this.pitch += 0.1) : (this.offsetY -= step)),
        '+': () => (this.scale = Math.min(200, this.scale * 1.25)),
        '=': () => (this.scale = Math.min(200, this.scale * 1.25)),
        '-': () => (this.scale = Math.max(0.25, this.scale / 1.25)),
      };
      const move = moves[e.key];
      if (!move) return;
      e.preventDefault();
      move();
      this.moved = true;
      this.draw();
    });
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Which renderer draws the dots. */
  get renderer(): 'webgl' | 'canvas' {
    return this.layer.ok ? 'webgl' : 'canvas';
  }

  /** Number of points on the map. */
  get size(): number {
    return this.points.words.length;
  }

  /** Shows new points (a new projection or new data); `keepView` keeps pan/zoom (a live t-SNE frame). */
  setPoints(points: MapPoints, keepView = false): void {
    const sameWords = points.words === this.points.words;
    this.points = points;
    if (!sameWords) {
      this.index.clear();
      for (const [i, w] of points.words.entries()) if (!this.index.has(w)) this.index.set(w, i);
      this.selected = -1;
      this.highlighted = new Set();
      this.visible = null;
      this.colors = null;
    }
    this.fit();
    if (!keepView) {
      this.moved = false;
      this.scale = 1;
      this.offsetX = 0;
      this.offsetY = 0;
      // A new layout (a live t-SNE frame too) keeps the selected word in the middle.
      if (this.selected >= 0) this.centre(this.selected);
    }
    this.draw();
  }

  private centre(i: number): void {
    this.computeScreen();
    this.offsetX += this.canvas.clientWidth / 2 - this.sx[i];
    this.offsetY += this.canvas.clientHeight / 2 - this.sy[i];
  }

  /** Colours points by category (`255` = none), with one palette entry per category. */
  setColors(categories: Uint8Array | null, palette: string[] = []): void {
    this.colors = categories;
    this.palette = palette.map(rgb);
    this.draw();
  }

  /** Shows only these points (the "isolate" of the Projector), or all of them with `null`. */
  isolate(indices: number[] | null): void {
    if (indices === null) this.visible = null;
    else {
      this.visible = new Uint8Array(this.size);
      for (const i of indices) this.visible[i] = 1;
    }
    this.fit();
    this.scale = 1;
    this.offsetX = 0;
    this.offsetY = 0;
    this.draw();
  }

  /** Whether a subset is isolated. */
  get isolated(): boolean {
    return this.visible !== null;
  }

  /** Whether the word is on the map. */
  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Marks `word` selected and `neighbours` highlighted; centres the view on the word when it is on the map. */
  select(word: string | null, neighbours: string[] = []): void {
    this.selected = word === null ? -1 : (this.index.get(word) ?? -1);
    this.highlighted = new Set(
      neighbours.map((w) => this.index.get(w)).filter((i): i is number => i !== undefined),
    );
    if (this.selected >= 0) this.centre(this.selected);
    this.draw();
  }

  /** Restores the initial view. */
  reset(): void {
    this.moved = false;
    this.scale = 1;
    this.offsetX = 0;
    this.offsetY = 0;
    this.yaw = 0.6;
    this.pitch = 0.35;
    this.draw();
  }

  /** Screen position (CSS pixels) of a point — the e2e test clicks it. */
  screenPosition(word: string): { x: number; y: number } | null {
    const i = this.index.get(word);
    if (i === undefined) return null;
    this.computeScreen();
    return { x: this.sx[i], y: this.sy[i] };
  }

  private shown(i: number): boolean {
    return this.visible === null || this.visible[i] === 1;
  }

  /** Initial view: the central 90% of the (shown) points on each axis — outliers must not shrink the rest. */
  private fit(): void {
    const { coords, dims } = this.points;
    const n = this.size;
    const axes: number[][] = Array.from({ length: dims }, () => []);
    // A sample is enough for the quantiles of 100,000 points.
    const stride = Math.max(1, Math.floor(n / 20000));
    for (let i = 0; i < n; i += this.visible ? 1 : stride)
      if (this.shown(i)) for (let k = 0; k < dims; k++) axes[k].push(coords[i * dims + k]);
    const range = (values: number[]) => {
      if (values.length === 0) return [0, 1] as const;
      values.sort((a, b) => a - b);
      const at = (q: number) =>
        values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))];
      return this.visible
        ? ([values[0], values[values.length - 1]] as const)
        : ([at(0.05), at(0.95)] as const);
    };
    const r = axes.map(range);
    const extent = Math.max(...r.map(([a, b]) => b - a), 1e-9);
    this.base = {
      scale: 1 / extent,
      cx: (r[0][0] + r[0][1]) / 2,
      cy: (r[1][0] + r[1][1]) / 2,
      cz: dims === 3 ? (r[2][0] + r[2][1]) / 2 : 0,
    };
  }

  /** Screen coordinates of every point (and depth in 3-D, 0 = far … 1 = near). */
  private computeScreen(): void {
    const n = this.size;
    if (this.sx.length !== n) {
      this.sx = new Float32Array(n);
      this.sy = new Float32Array(n);
      this.depth = new Float32Array(n);
    }
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const s = Math.min(w, h) * 0.8 * this.base.scale * this.scale;
    const { coords, dims } = this.points;
    const { cx, cy, cz } = this.base;
    const cyaw = Math.cos(this.yaw);
    const syaw = Math.sin(this.yaw);
    const cp = Math.cos(this.pitch);
    const sp = Math.sin(this.pitch);
    const half = 0.5 / Math.max(this.base.scale, 1e-12);
    for (let i = 0; i < n; i++) {
      let x = coords[i * dims] - cx;
      let y = coords[i * dims + 1] - cy;
      let z = 0;
      if (dims === 3) {
        const z0 = coords[i * dims + 2] - cz;
        const x1 = x * cyaw + z0 * syaw;
        const z1 = -x * syaw + z0 * cyaw;
        const y1 = y * cp - z1 * sp;
        z = y * sp + z1 * cp;
        x = x1;
        y = y1;
      }
      this.sx[i] = w / 2 + x * s + this.offsetX;
      this.sy[i] = h / 2 - y * s + this.offsetY;
      this.depth[i] = dims === 3 ? Math.max(0, Math.min(1, 0.5 + z / (2 * half))) : 1;
    }
  }

  private local(e: MouseEvent): { x: number; y: number } {
    // Canvas content coordinates: inside the border, where the points are drawn.
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left - this.canvas.clientLeft, y: e.clientY - r.top - this.canvas.clientTop };
  }

  private hit(e: MouseEvent): number {
    const { x, y } = this.local(e);
    if (this.sx.length !== this.size) this.computeScreen();
    let best = -1;
    let bestD = HIT_RADIUS * HIT_RADIUS;
    for (let i = 0; i < this.size; i++) {
      if (!this.shown(i)) continue;
      const d = (this.sx[i] - x) ** 2 + (this.sy[i] - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  private colorOf(i: number): [number, number, number] {
    const c = this.colors?.[i];
    return c !== undefined && c !== 255 ? (this.palette[c] ?? BASE_COLOR) : BASE_COLOR;
  }

  /** Redraws on the next animation frame (several changes in one frame draw once). */
  draw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws now: dots (WebGL or 2-D), then labels that fit without overlapping, highlights on top. */
  render(): void {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    for (const c of [canvas, this.glCanvas])
      if (c.width !== Math.round(w * ratio) || c.height !== Math.round(h * ratio)) {
        c.width = Math.round(w * ratio);
        c.height = Math.round(h * ratio);
      }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    this.computeScreen();
    const n = this.size;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const dim = this.selected >= 0 || this.highlighted.size > 0;
    const radius = n > 20000 ? 1.5 : n > 2000 ? 2 : 2.5;
    if (this.layer.ok) {
      this.layer.draw(
        n,
        this.sx,
        this.sy,
        this.depth,
        (i) => this.colorOf(i),
        (i) => this.shown(i),
        radius * ratio,
        ratio,
      );
    } else {
      for (let i = 0; i < n; i++) {
        if (!this.shown(i)) continue;
        const x = this.sx[i];
        const y = this.sy[i];
        if (x < -5 || y < -5 || x > w + 5 || y > h + 5) continue;
        const [r, g, b] = this.colorOf(i);
        ctx.fillStyle = `rgba(${r},${g},${b},${0.35 + 0.65 * this.depth[i]})`;
        ctx.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
      }
    }
    // Labels: selection and highlights first, then points in file order (most frequent first); more as
    // you zoom in, never overlapping.
    const candidates: number[] = [];
    if (this.selected >= 0) candidates.push(this.selected);
    for (const i of this.highlighted) candidates.push(i);
    for (let i = 0; i < n && candidates.length < LABEL_CANDIDATES; i++) {
      if (!this.shown(i) || i === this.selected || this.highlighted.has(i)) continue;
      const x = this.sx[i];
      const y = this.sy[i];
      if (x >= 0 && y >= 0 && x <= w && y <= h) candidates.push(i);
    }
    ctx.textBaseline = 'middle';
    ctx.font = '11px system-ui, sans-serif';
    const placed = placeLabels(
      candidates.map((i) => ({
        x: this.sx[i] + 4,
        y: this.sy[i],
        width:
          ctx.measureText(this.points.words[i]).width *
            (i === this.selected || this.highlighted.has(i) ? 1.25 : 1) +
          2,
        height: 13,
      })),
      w,
      h,
    );
    ctx.font = '11px system-ui, sans-serif';
    for (let c = 0; c < candidates.length; c++) {
      if (!placed[c]) continue;
      const i = candidates[c];
      if (i === this.selected || this.highlighted.has(i)) continue;
      ctx.fillStyle = dim ? '#666666' : '#222222';
      ctx.fillText(this.points.words[i], this.sx[i] + 4, this.sy[i]);
    }
    const mark = (i: number, color: string, r: number, label: boolean) => {
      if (!this.shown(i)) return;
      const x = this.sx[i];
      const y = this.sy[i];
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fill();
      if (!label) return;
      ctx.font = 'bold 13px system-ui, sans-serif';
      ctx.fillText(this.points.words[i], x + r + 3, y);
    };
    for (const [c, i] of candidates.entries()) if (this.highlighted.has(i)) mark(i, '#b3530a', 4, placed[c]);
    if (this.selected >= 0) mark(this.selected, '#c0182b', 5, true);
    if (this.hovered >= 0 && this.hovered < n) mark(this.hovered, '#111111', 4, true);
  }
}
