// @wordloom/core in a browser bundle: the same seeded draws and validation message as in Node.
import { assertInteger, InvalidArgumentError, Random, WordloomError } from '@wordloom/core';
import { report } from './page.js';

report(() => {
  const rng = new Random(42);
  const lines = [`Random(42): ${Array.from({ length: 6 }, () => rng.int(100)).join(' ')}`];
  try {
    assertInteger(0, 'topN', 'mostSimilar', 1, 100);
    lines.push('assertInteger accepted 0');
  } catch (error) {
    lines.push(
      `${WordloomError.isInstance(error)} ${error instanceof InvalidArgumentError} ${error.message}`,
    );
  }
  return lines;
});
