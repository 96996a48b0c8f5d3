// Type-checked as a user's file (ESM under node16 and bundler resolution, CommonJS under node20).
import { assertInteger, assertOneOf, InvalidArgumentError, Random, WordloomError } from '@wordloom/core';

const rng: Random = new Random(7);
const draw: number = rng.int(10);
const fork: Random = rng.fork();
const topN: number = assertInteger(3, 'topN', 'mostSimilar', 1, 100);
const mode: 'cbow' | 'skip-gram' = assertOneOf('cbow', ['cbow', 'skip-gram'] as const, 'mode', 'train');
const error = new InvalidArgumentError('topN', 'mostSimilar', 'a positive integer', -3);
const argument: string = error.argument;
const known: boolean = WordloomError.isInstance(error);

// @ts-expect-error the seed is a number
new Random('seed');
// @ts-expect-error Random has no `choice` method
rng.choice([1, 2]);

export { argument, draw, fork, known, mode, topN };
