/** Points of the map: words at t-SNE coordinates. */
export interface MapPoints {
  words: string[];
  x: number[];
  y: number[];
}

/** Pixel distance within which the pointer "hovers" a point. */
const HIT_RADIUS = 8;

/**
 * A pannable, zoomable canvas scatter of labelled words (the projector's map): drag pans, the wheel zooms
 * around the pointer, hovering names the point under the pointer, a click selects it. Highlighted words
 * (a selection's neighbours) are drawn in colour on top.
 */
export class ScatterView {
  private scale = 1;
  private offsetX = 0;
  private offsetY = 0;
  private base = { scale: 1, cx: 0, cy: 0 };
  private hovered = -1;
  private selected = -1;
  private highlighted = new Set<number>();
  private readonly index = new Map<string, number>();
  private drag: { x: number; y: number; moved: boolean } | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly points: MapPoints,
    private readonly onHover: (word: string | null) => void,
    private readonly onSelect: (word: string) => void,
  ) {
    for (const [i, w] of points.words.entries()) this.index.set(w, i);
    this.fit();
    canvas.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, moved: false };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drag) {
        const dx = e.clientX - this.drag.x;
        const dy = e.clientY - this.drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 2) this.drag.moved = true;
        if (this.drag.moved) {
          this.offsetX += dx;
          this.offsetY += dy;
          this.drag.x = e.clientX;
          this.drag.y = e.clientY;
          this.draw();
        }
        return;
      }
      const hit = this.hit(e);
      if (hit !== this.hovered) {
        this.hovered = hit;
        this.onHover(hit < 0 ? null : points.words[hit]);
        this.draw();
      }
    });
    canvas.addEventListener('pointerup', (e) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved) {
        const hit = this.hit(e);
        if (hit >= 0) this.onSelect(points.words[hit]);
      }
    });
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const { x, y } = this.local(e);
        const factor = Math.exp(-e.deltaY * 0.0015);
        const next = Math.min(40, Math.max(0.25, this.scale * factor));
        const k = next / this.scale;
        // Keep the point under the pointer in place: offsets are measured from the canvas centre.
        const ax = x - canvas.clientWidth / 2;
        const ay = y - canvas.clientHeight / 2;
        this.offsetX = ax - (ax - this.offsetX) * k;
        this.offsetY = ay - (ay - this.offsetY) * k;
        this.scale = next;
        this.draw();
      },
      { passive: false },
    );
    new ResizeObserver(() => this.draw()).observe(canvas);
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
    if (this.selected >= 0) {
      const [px, py] = this.project(this.selected);
      this.offsetX += this.canvas.clientWidth / 2 - px;
      this.offsetY += this.canvas.clientHeight / 2 - py;
    }
    this.draw();
  }

  /** Restores the initial view. */
  reset(): void {
    this.scale = 1;
    this.offsetX = 0;
    this.offsetY = 0;
    this.draw();
  }

  /** Screen position (CSS pixels) of a point — the e2e test clicks it. */
  screenPosition(word: string): { x: number; y: number } | null {
    const i = this.index.get(word);
    if (i === undefined) return null;
    const [x, y] = this.project(i);
    return { x, y };
  }

  /** Initial view: the central 90% of the points on each axis (a few t-SNE outliers must not shrink the rest). */
  private fit(): void {
    const range = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
      return [at(0.05), at(0.95)] as const;
    };
    const [x0, x1] = range(this.points.x);
    const [y0, y1] = range(this.points.y);
    this.base = { scale: 1 / Math.max(x1 - x0, y1 - y0, 1e-9), cx: (x0 + x1) / 2, cy: (y0 + y1) / 2 };
  }

  private project(i: number): [number, number] {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const s = Math.min(w, h) * 0.8 * this.base.scale * this.scale;
    return [
      w / 2 + (this.points.x[i] - this.base.cx) * s + this.offsetX,
      h / 2 - (this.points.y[i] - this.base.cy) * s + this.offsetY,
    ];
  }

  private local(e: MouseEvent): { x: number; y: number } {
    // Canvas content coordinates: inside the border, where the points are drawn.
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left - this.canvas.clientLeft, y: e.clientY - r.top - this.canvas.clientTop };
  }

  private hit(e: MouseEvent): number {
    const { x, y } = this.local(e);
    let best = -1;
    let bestD = HIT_RADIUS * HIT_RADIUS;
    for (let i = 0; i < this.points.words.length; i++) {
      const [px, py] = this.project(i);
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** Redraws: dots for every word, labels for as many as the zoom leaves room for, highlights on top. */
  draw(): void {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
    const n = this.points.words.length;
    // Labels: the most frequent words first (the map lists them by frequency); more as you zoom in.
    const labelled = Math.min(n, Math.round(150 * this.scale * this.scale));
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < n; i++) {
      const [x, y] = this.project(i);
      if (x < -50 || y < -20 || x > w + 20 || y > h + 20) continue;
      ctx.fillStyle = '#4a7ab0';
      ctx.beginPath();
      ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
      ctx.fill();
      if (i < labelled) {
        ctx.fillStyle = '#333333';
        ctx.fillText(this.points.words[i], x + 4, y);
      }
    }
    const mark = (i: number, color: string, radius: number) => {
      const [x, y] = this.project(i);
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.font = 'bold 13px system-ui, sans-serif';
      ctx.fillText(this.points.words[i], x + radius + 3, y);
    };
    for (const i of this.highlighted) mark(i, '#d9731a', 4);
    if (this.selected >= 0) mark(this.selected, '#c0182b', 5);
    if (this.hovered >= 0) mark(this.hovered, '#111111', 4);
  }
}
