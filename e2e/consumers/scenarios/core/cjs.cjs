// @wordloom/core through `require` (Node >= 20.19 loads the ES module synchronously): same checks.
const assert = require('node:assert/strict');
const { mkdtemp, readdir, readFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { assertInteger, InvalidArgumentError, Random, WordloomError } = require('@wordloom/core');
const { writeFileAtomic } = require('@wordloom/core/node');

async function main() {
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

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
