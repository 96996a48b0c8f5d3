// CommonJS consumer: loads the package under test with `require` (Node >= 20.19 loads ES modules
// synchronously) and runs the same checks as esm.mjs.
const { run } = require('./checks.mjs');

run(async (specifier) => require(specifier)).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
