import { describe, expect, it } from 'vitest';
import { twoTopicCorpus } from '../../test-support/two-topic-corpus.js';
import { buildCooccurrence } from '../cooccurrence/build-cooccurrence.js';
import { gloveWeight } from './glove-kernel.js';
import { gloveCost, trainGlove } from './train-glove.js';

describe('GloVe', () => {
  it('h(x) = (x/x_max)^α below x_max and 1 above (Fig 4-9)', () => {
    expect(gloveWeight(25, 100, 0.75)).toBeCloseTo(0.25 ** 0.75, 15);
    expect(gloveWeight(100, 100, 0.75)).toBe(1);
    expect(gloveWeight(1e6, 100, 0.75)).toBe(1);
  });

  it('gloveCost equals the formula written out over the dense matrix', async () => {
    const m = await buildCooccurrence([['a', 'b', 'c', 'a', 'b']], { window: 2, weighting: 'harmonic' });
    const r = await trainGlove(m, { dim: 3, epochs: 1, xMax: 2 });
    const dense = m.toDense();
    let direct = 0;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const x = dense[i][j];
        if (x === 0) continue;
        let pred = r.b[i] + r.bt[j];
        for (let k = 0; k < 3; k++) pred += r.w[i * 3 + k] * r.wt[j * 3 + k];
        const h = x < 2 ? (x / 2) ** 0.75 : 1;
        direct += h * (pred - Math.log(x)) ** 2;
      }
    expect(gloveCost(m, r, { xMax: 2 })).toBeCloseTo(direct, 6);
  });

  it('reports, with learning rate 0, exactly the directly evaluated cost at the initial parameters', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(50), { window: 2 });
    const r = await trainGlove(m, { dim: 4, epochs: 2, learningRate: 0 });
    expect(r.costPerEpoch[0]).toBeCloseTo(gloveCost(m, r), 3);
    expect(r.costPerEpoch[1]).toBe(r.costPerEpoch[0]);
  });

  it.each([1, 2])(
    'decreases the cost every epoch and groups words of a topic (threads: %i)',
    async (threads) => {
      const m = await buildCooccurrence(twoTopicCorpus(400), { window: 3, weighting: 'harmonic' });
      const r = await trainGlove(m, { dim: 8, epochs: 15, xMax: 10, seed: 2, threads });
      for (let e = 1; e < 15; e++) expect(r.costPerEpoch[e]).toBeLessThan(r.costPerEpoch[e - 1]);
      expect(r.vectors.similarity('cat', 'dog')).toBeGreaterThan(r.vectors.similarity('cat', 'saw'));
      const w = await trainGlove(m, { dim: 8, epochs: 1, output: 'W', threads: 1 });
      const sum = await trainGlove(m, { dim: 8, epochs: 1, output: 'sum', threads: 1 });
      expect(sum.vectors.vectors[0]).toBeCloseTo(w.w[0] + w.wt[0], 6);
      expect(w.vectors.vectors[0]).toBe(w.w[0]);
    },
  );

  it('the WebAssembly SIMD kernel gives the plain kernel’s costs and vectors', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(100), { window: 3, weighting: 'harmonic' });
    const a = await trainGlove(m, { dim: 8, epochs: 3, simd: true, threads: 1 });
    const b = await trainGlove(m, { dim: 8, epochs: 3, simd: false });
    for (let e = 0; e < 3; e++) expect(a.costPerEpoch[e]).toBeCloseTo(b.costPerEpoch[e], 3);
    for (let i = 0; i < a.w.length; i++) expect(a.w[i]).toBeCloseTo(b.w[i], 5);
  });

  it('rejects bad options by name', async () => {
    const m = await buildCooccurrence([['a', 'b']]);
    await expect(trainGlove(m, { xMax: 0 })).rejects.toThrow(/'xMax'/);
    await expect(trainGlove(m, { output: 'V' as never })).rejects.toThrow(/'output'/);
  });
});

describe('GloVe as Stanford trains it', () => {
  it("defaults to demo.sh (x_max 10, 15 iterations) and reports glove.c's per-entry cost", async () => {
    const m = await buildCooccurrence(twoTopicCorpus(200), { window: 3, weighting: 'harmonic' });
    const r = await trainGlove(m, { dim: 4 });
    expect(r.costPerEpoch).toHaveLength(15);
    // glove.c: cost += 0.5·f·diff² per entry, printed as total / num_lines.
    expect(r.entryCostPerEpoch.map((c) => c * 2 * m.nonZeros)).toEqual(
      r.costPerEpoch.map((c) => expect.closeTo(c, 9)),
    );
    // With learning rate 0 the first epoch's cost is the direct cost at the initial parameters under x_max 10.
    const frozen = await trainGlove(m, { dim: 4, epochs: 1, learningRate: 0 });
    expect(frozen.costPerEpoch[0]).toBeCloseTo(gloveCost(m, frozen), 6);
    expect(gloveCost(m, frozen)).not.toBeCloseTo(gloveCost(m, frozen, { xMax: 100 }), 3);
  });

  it('refuses unknown options', async () => {
    const m = await buildCooccurrence(twoTopicCorpus(20), { window: 2 });
    await expect(trainGlove(m, { x_max: 10 } as never)).rejects.toThrow(/there is no option 'x_max'/);
  });
});
