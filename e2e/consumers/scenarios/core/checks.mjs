// @wordloom/core via `import` and `require`: seeded draws, a typed validation error, an atomic file write.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  const { assertInteger, InvalidArgumentError, Random, WordloomError } = await load('@wordloom/core');
  const { writeFileAtomic } = await load('@wordloom/core/node');

  const draws = (seed) => {
    const rng = new Random(seed);
    return Array.from({ length: 6 }, () => rng.int(100));
  };
  assert.deepEqual(draws(42), draws(42));
  assert.notDeepEqual(draws(42), draws(43));
  console.log(`Random(42): ${draws(42).join(' ')}`);

  try {
    assertInteger(0, 'topN', 'mostSimilar', 1, 100);
    assert.fail('assertInteger accepted 0');
  } catch (error) {
    assert.ok(error instanceof InvalidArgumentError);
    console.log(WordloomError.isInstance(error), error.name, error.argument);
    console.log(error.message);
  }

  const dir = await mkdtemp(join(tmpdir(), 'wordloom-core-consumer-'));
  const file = join(dir, 'greeting.txt');
  await writeFileAtomic(file, async (append) => {
    await append('hello ');
    await append(new TextEncoder().encode('world'));
  });
  console.log(await readFile(file, 'utf8'), (await readdir(dir)).length);
  await rm(dir, { recursive: true });
}
