import { Random } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { calibratePerplexity, rowEntropies } from './perplexity.js';

describe('calibratePerplexity', () => {
  it('hits the target entropy log(perplexity) on every row', () => {
    const rng = new Random(3);
    const rows = 50;
    const k = 90;
    const distances = new Float64Array(rows * k);
    for (let e = 0; e < distances.length; e++) distances[e] = (rng.next() * 40) ** 2 * (1 + (e % 7));
    const { probabilities, betas } = calibratePerplexity(distances, k, 30);
    const entropies = rowEntropies(probabilities, k);
    for (let i = 0; i < rows; i++) {
      expect(Math.abs(entropies[i] - Math.log(30))).toBeLessThan(1e-5);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += probabilities[i * k + j];
      expect(sum).toBeCloseTo(1, 12);
      expect(betas[i]).toBeGreaterThan(0);
    }
  });

  it('gives a uniform row when all distances are equal (entropy log k is reached at once)', () => {
    const { probabilities } = calibratePerplexity(new Float64Array(8).fill(5), 8, 8);
    for (const p of probabilities) expect(p).toBeCloseTo(1 / 8, 12);
  });

  it('matches a hand-solved two-neighbour row', () => {
    // Distances 0 and 1: p = (1, e^-β)/(1 + e^-β). Perplexity 1.5 → H = log 1.5; solve for β by bisection
    // by hand: H(β) = log(1 + e^-β) + β e^-β / (1 + e^-β); H(1.80) ≈ 0.4083 > log 1.5 = 0.4055 > H(1.82) ≈ 0.4039.
    const { probabilities, betas } = calibratePerplexity(Float64Array.of(0, 1), 2, 1.5);
    const beta = betas[0];
    const h = Math.log(1 + Math.exp(-beta)) + (beta * Math.exp(-beta)) / (1 + Math.exp(-beta));
    expect(h).toBeCloseTo(Math.log(1.5), 5);
    expect(beta).toBeGreaterThan(1.8);
    expect(beta).toBeLessThan(1.82);
    expect(probabilities[0]).toBeCloseTo(1 / (1 + Math.exp(-beta)), 12);
  });

  it('does not underflow on far-apart data (distances shifted by the row minimum)', () => {
    const { probabilities } = calibratePerplexity(Float64Array.of(1e6, 1e6 + 1, 1e6 + 2, 1e6 + 3), 4, 2);
    const [h] = rowEntropies(probabilities, 4);
    expect(h).toBeCloseTo(Math.log(2), 5);
  });
});
