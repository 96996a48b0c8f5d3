// @wordloom/backend via `import` and `require`: it switches the app's own tfjs-core (one instance) between cpu and
// wasm, and names what is wrong with a bad choice.
import assert from 'node:assert/strict';

/** The scenario's checks, on the package modules that `load` returns. */
export async function run(load) {
  const tf = await load('@tensorflow/tfjs-core');
  const { availableBackends, selectBackend } = await load('@wordloom/backend');

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
