import { describe, expect, it } from 'vitest';
import { formatTick, niceDomain, niceTicks } from './ticks.js';

describe('ticks', () => {
  it('picks 1-2-5 steps', () => {
    expect(niceTicks(0, 20)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-37, 112)).toEqual([-20, 0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0.1, 0.35)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });

  it('widens a domain to the ticks and formats labels without float noise', () => {
    expect(niceDomain(0.3, 19.2)).toEqual([0, 20]);
    expect(niceDomain(5, 5)).toEqual([4.5, 5.5]);
    const ticks = niceTicks(0, 0.3, 3);
    expect(ticks.map((t) => formatTick(t, ticks))).toEqual(['0.0', '0.1', '0.2', '0.3']);
    expect(formatTick(-0.0001, [0, 1])).toBe('0');
  });
});
