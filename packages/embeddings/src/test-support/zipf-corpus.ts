import { Random } from '@wordloom/core';

/**
 * A seeded corpus of `v` words `w0 … w{v−1}` with Zipfian frequencies and local structure (half the
 * words follow their predecessor closely), in sentences of 12: a co-occurrence matrix with a slowly
 * decaying spectrum, like real text.
 */
export function zipfCorpus(v: number, tokens: number, seed: number): string[][] {
  const rng = new Random(seed);
  const cdf = new Float64Array(v);
  let total = 0;
  for (let i = 0; i < v; i++) {
    total += 1 / (i + 1);
    cdf[i] = total;
  }
  const out: string[][] = [];
  let prev = 0;
  for (let n = 0; n < tokens; n += 12) {
    const sentence: string[] = [];
    for (let k = 0; k < 12; k++) {
      let w: number;
      if (rng.next() < 0.5) w = (prev + 1 + Math.floor(rng.next() * 5)) % v;
      else {
        const u = rng.next() * total;
        let lo = 0;
        let hi = v - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        w = lo;
      }
      sentence.push(`w${w}`);
      prev = w;
    }
    out.push(sentence);
  }
  return out;
}
