/**
 * "Nice" axis ticks: a step of 1, 2 or 5 × 10^e chosen so that about `count` ticks cover `[min, max]`
 * (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990). Returns the ticks inside the range.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(roundTo(k * step, step));
  return ticks;
}

/** Widens `[min, max]` outwards to multiples of the nice tick step, so the axes start and end on ticks. */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return [min - pad, max + pad];
  }
  const step = niceStep((max - min) / Math.max(1, count));
  return [
    roundTo(Math.floor(min / step + 1e-9) * step, step),
    roundTo(Math.ceil(max / step - 1e-9) * step, step),
  ];
}

/** A tick label: as few decimals as the tick spacing needs, no trailing float noise (0.30000000000000004). */
export function formatTick(value: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(value) || 1;
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const text = value.toFixed(decimals);
  return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

function niceStep(raw: number): number {
  const e = Math.floor(Math.log10(raw));
  const f = raw / 10 ** e;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * 10 ** e;
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 15)));
}
