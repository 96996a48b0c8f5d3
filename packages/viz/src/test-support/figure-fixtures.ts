import { Random } from '@wordloom/core';
import type { WordMapData } from '../plots/chapter-figures.js';

/** The first words of a frequency list plus the chapter's four analogy words: word-map labels for tests. */
export const FIXTURE_WORDS =
  'the of and to in a is that for it as was with be by on not he i this are or his from at which but have an they you were her she there one all we their its can been has more if will would who so no said what up out when about into them man woman king queen some time could these only than two may other first new very any like our people also made after'.split(
    ' ',
  );

/** A seeded 2-D layout of {@link FIXTURE_WORDS} (elliptical Gaussian, 10 × 6), the stand-in for a t-SNE map. */
export function fixtureWordMap(seed = 3): WordMapData {
  const rng = new Random(seed);
  return { points: FIXTURE_WORDS.map(() => [rng.normal() * 10, rng.normal() * 6]), labels: FIXTURE_WORDS };
}

/** Fig 4-8's data: the words of the chapter's three sentences at the first two columns of U (Listing 4-1c). */
export const SVD_FIXTURE: WordMapData = {
  labels: ['I', '.', 'like', 'Machine', 'Learning', 'TensorFlow', 'prefer', 'Python'],
  points: [
    [0.5241, -0.5729],
    [0.2469, 0.1573],
    [0.5944, 0.6301],
    [0.2856, -0.2479],
    [0.1931, 0.0338],
    [0.3051, -0.294],
    [0.2563, 0.274],
    [0.1825, -0.161],
  ],
};
