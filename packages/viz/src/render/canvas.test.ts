import { describe, expect, it } from 'vitest';
import { scatterPlot } from '../plots/scatter-plot.js';
import { type Canvas2DLike, renderCanvas } from './canvas.js';

/** A recording stand-in for CanvasRenderingContext2D. */
function recorder() {
  const calls: Array<[string, unknown[]]> = [];
  let depth = 0;
  const ctx = new Proxy({} as Record<string, unknown>, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => {
        if (prop === 'save') depth++;
        if (prop === 'restore') depth--;
        calls.push([prop, args]);
      };
    },
    set(target, prop: string, value) {
      target[prop] = value;
      calls.push([`set ${prop}`, [value]]);
      return true;
    },
  });
  return { ctx: ctx as unknown as Canvas2DLike, calls, depth: () => depth };
}

// Type-level check: the browser's real contexts satisfy the interface (fails `pnpm typecheck` otherwise).
export const acceptsRealContexts: Array<
  (ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D) => Canvas2DLike
> = [(ctx) => ctx];

describe('renderCanvas', () => {
  it('fills the background, draws every label and point, and leaves the context state balanced', () => {
    const { ctx, calls, depth } = recorder();
    const labels = ['deep', 'learning', 'neural'];
    renderCanvas(
      scatterPlot({
        points: [
          [0, 0],
          [1, 1],
          [2, 0],
        ],
        labels,
      }),
      ctx,
    );
    expect(calls[1]).toEqual(['set fillStyle', ['#ffffff']]);
    const drawn = calls.filter(([name]) => name === 'fillText').map(([, args]) => args[0]);
    for (const label of labels) expect(drawn).toContain(label);
    expect(calls.filter(([name]) => name === 'arc')).toHaveLength(3);
    expect(calls.some(([name]) => name === 'clip')).toBe(true);
    expect(depth()).toBe(0);
  });
});
