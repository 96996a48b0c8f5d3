import { Random } from '@wordloom/core';

/**
 * A synthetic two-topic corpus for tests: each sentence draws 8 words from one topic (animals or
 * tools), so words of a topic share contexts and a working trainer puts them close together.
 */
export function twoTopicCorpus(sentences: number, seed = 3): string[][] {
  const topics = [
    ['cat', 'dog', 'horse', 'cow', 'sheep', 'goat'],
    ['hammer', 'saw', 'drill', 'wrench', 'chisel', 'pliers'],
  ];
  const rng = new Random(seed);
  return Array.from({ length: sentences }, () => {
    const topic = topics[rng.int(2)];
    return Array.from({ length: 8 }, () => topic[rng.int(topic.length)]);
  });
}
