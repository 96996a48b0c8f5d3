/**
 * The JavaScript every pool worker runs, as source text so it needs no file of its own (Node starts it
 * with `eval: true`, a browser from a Blob URL): it instantiates the kernel module over the shared
 * memory, marks itself ready, then waits on its slot's generation word; for each new generation it calls
 * the named export with the slot's arguments and publishes the generation as done. The control words
 * (Int32, per worker `w` at `8·w`): 0 generation (−1: exit), 1 done, 2 ready, 3 failed.
 */
export const WORKER_SOURCE = `
function start(init) {
  const { module, memory, names, control, args, index } = init;
  const ctrl = new Int32Array(control);
  const argv = new Float64Array(args);
  const base = 8 * index;
  const argBase = 16 * index;
  let fns;
  try {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    fns = names.map((n) => exports[n]);
  } catch (e) {
    Atomics.store(ctrl, base + 3, 1);
    Atomics.store(ctrl, base + 2, -1);
    return;
  }
  Atomics.store(ctrl, base + 2, 1);
  let done = 0;
  for (;;) {
    const generation = Atomics.load(ctrl, base);
    if (generation < 0) return;
    if (generation === done) {
      Atomics.wait(ctrl, base, generation);
      continue;
    }
    try {
      const fn = fns[argv[argBase]];
      const n = argv[argBase + 1];
      const a = [];
      for (let i = 0; i < n; i++) a.push(argv[argBase + 2 + i]);
      fn(...a);
    } catch (e) {
      Atomics.store(ctrl, base + 3, 1);
    }
    done = generation;
    Atomics.store(ctrl, base + 1, generation);
    Atomics.notify(ctrl, base + 1);
  }
}
// Node: getBuiltinModule works whether the eval'd source runs as a script or, when the parent was
// started with --input-type=module (inherited by workers), as an ES module where require is missing.
if (typeof process === 'object' && typeof process.getBuiltinModule === 'function') {
  start(process.getBuiltinModule('node:worker_threads').workerData);
} else if (typeof require === 'function') {
  start(require('node:worker_threads').workerData);
} else {
  self.onmessage = (e) => start(e.data);
}
`;
