import { describe, expect, it } from 'vitest';
import { mutations } from './fuzz.js';

describe('mutations', () => {
  const valid = new TextEncoder().encode('3 2\nthe 0.1 0.2\ncat 0.3 0.4\nsat 0.5 0.6\n');

  it('is reproducible from the seed and differs across seeds', () => {
    const a = [...mutations(valid, { seed: 5, count: 50 })];
    const b = [...mutations(valid, { seed: 5, count: 50 })];
    const c = [...mutations(valid, { seed: 6, count: 50 })];
    expect(a.map((m) => m.description)).toEqual(b.map((m) => m.description));
    expect(a.map((m) => [...m.bytes])).toEqual(b.map((m) => [...m.bytes]));
    expect(a.map((m) => m.description)).not.toEqual(c.map((m) => m.description));
  });

  it('changes the input in almost every case and never touches the original', () => {
    const before = valid.slice();
    const cases = [...mutations(valid, { count: 1000 })];
    expect(cases).toHaveLength(1000);
    const changed = cases.filter(
      (m) => m.bytes.length !== valid.length || m.bytes.some((x, i) => x !== valid[i]),
    );
    expect(changed.length).toBeGreaterThan(950);
    expect(valid).toEqual(before);
    // Every kind of mutation shows up.
    for (const word of ['flip', 'set', 'truncate', 'append', 'duplicate', 'delete', 'write', 'insert'])
      expect(cases.some((m) => m.description.startsWith(word))).toBe(true);
  });

  it('leaves a pooled Node Buffer and its pool untouched, giving the same cases as a Uint8Array', () => {
    // Small Buffers share Node's pool: a view or a DataView on .buffer would write outside the input.
    const neighbour = Buffer.from('neighbour bytes in the same pool');
    const buffer = Buffer.from(valid);
    expect(buffer.byteOffset > 0 || buffer.buffer.byteLength > buffer.length).toBe(true);
    const fromBuffer = [...mutations(buffer, { seed: 9, count: 200 })];
    expect([...buffer]).toEqual([...valid]);
    expect(neighbour.toString()).toBe('neighbour bytes in the same pool');
    const fromArray = [...mutations(valid, { seed: 9, count: 200 })];
    expect(fromBuffer.map((m) => [...m.bytes])).toEqual(fromArray.map((m) => [...m.bytes]));
  });
});
