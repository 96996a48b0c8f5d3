// @wordloom/backend through `require`: same checks as esm.mjs.
const assert = require('node:assert/strict');
const tf = require('@tensorflow/tfjs-core');
const { availableBackends, selectBackend } = require('@wordloom/backend');

const product = () =>
  tf.tidy(() =>
    tf
      .matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      )
      .arraySync(),
  );

async function main() {
  for (const backend of ['cpu', 'wasm']) {
    const info = await selectBackend({ backend });
    assert.equal(tf.getBackend(), backend, 'the app and wordloom share one tfjs-core');
    console.log(info.name, info.threads, info.source, JSON.stringify(product()));
  }
  console.log((await availableBackends()).join(' '));
  try {
    await selectBackend({ backend: 'gpu' });
    assert.fail('selectBackend accepted gpu');
  } catch (error) {
    console.log(error.name, error.argument);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
